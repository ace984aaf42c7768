CREATE TABLE "messages" (
	"message_id" text NOT NULL,
	"task_id" text,
	"tenant" text NOT NULL,
	"owner" text NOT NULL,
	"context_id" text NOT NULL,
	"role" text NOT NULL,
	"seq" integer NOT NULL,
	"committed_at" bigint NOT NULL,
	"message" json NOT NULL,
	CONSTRAINT "messages_tenant_owner_context_id_message_id_pk" PRIMARY KEY("tenant","owner","context_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant" text NOT NULL,
	"owner" text NOT NULL,
	"context_id" text NOT NULL,
	"state" text NOT NULL,
	"status_timestamp" timestamp(3) with time zone NOT NULL,
	"version" integer NOT NULL,
	"snapshot" json NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "messages_context_order" ON "messages" USING btree ("tenant","owner","context_id","committed_at","seq");--> statement-breakpoint
CREATE INDEX "messages_task" ON "messages" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "tasks_scope_recent" ON "tasks" USING btree ("tenant","owner","status_timestamp" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tasks_scope_context" ON "tasks" USING btree ("tenant","owner","context_id","status_timestamp" DESC NULLS LAST);