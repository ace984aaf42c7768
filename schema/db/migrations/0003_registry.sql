CREATE TABLE "registry_agents" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"roles" json NOT NULL,
	"credentials" json NOT NULL,
	"limits" json NOT NULL,
	"trusted" boolean DEFAULT false NOT NULL,
	"gateway" boolean DEFAULT false NOT NULL,
	"require_signature" boolean DEFAULT false NOT NULL,
	"keys" json,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_delegations" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"parent_task_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"card_url" text NOT NULL,
	"child_task_id" text,
	"child_context_id" text,
	"caller_owner" text NOT NULL,
	"caller_tenant" text NOT NULL,
	"caller_role" text NOT NULL,
	"state" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_replicas" (
	"agent_id" text NOT NULL,
	"card_url" text NOT NULL,
	"card" json,
	"etag" text,
	"expires_at" timestamp(3) with time zone,
	"fetched_at" timestamp(3) with time zone,
	"protocol_versions" json,
	"card_shape" text,
	"bindings" json,
	"skills" json,
	"streaming" boolean,
	"signature" text,
	"signature_kid" text,
	"card_error" text,
	"state" text DEFAULT 'unknown' NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"latency_ms" integer,
	"last_probe_at" timestamp(3) with time zone,
	"last_error" text,
	CONSTRAINT "registry_replicas_agent_id_card_url_pk" PRIMARY KEY("agent_id","card_url")
);
--> statement-breakpoint
CREATE INDEX "registry_delegations_parent" ON "registry_delegations" USING btree ("parent_task_id");