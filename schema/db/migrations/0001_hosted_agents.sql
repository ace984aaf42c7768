DROP INDEX "messages_context_order";--> statement-breakpoint
DROP INDEX "tasks_scope_recent";--> statement-breakpoint
DROP INDEX "tasks_scope_context";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "agent" text DEFAULT 'demo' NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "agent" text DEFAULT 'demo' NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" DROP CONSTRAINT "messages_tenant_owner_context_id_message_id_pk";--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_agent_tenant_owner_context_id_message_id_pk" PRIMARY KEY("agent","tenant","owner","context_id","message_id");--> statement-breakpoint
CREATE INDEX "messages_context_order" ON "messages" USING btree ("agent","tenant","owner","context_id","committed_at","seq");--> statement-breakpoint
CREATE INDEX "tasks_scope_recent" ON "tasks" USING btree ("agent","tenant","owner","status_timestamp" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tasks_scope_context" ON "tasks" USING btree ("agent","tenant","owner","context_id","status_timestamp" DESC NULLS LAST);