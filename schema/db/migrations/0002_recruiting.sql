CREATE SCHEMA "recruiting";
--> statement-breakpoint
CREATE TABLE "recruiting"."applications" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"job_id" text NOT NULL,
	"candidate_id" text NOT NULL,
	"stage" text NOT NULL,
	"close_reason" text,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"request_key" text,
	CONSTRAINT "applications_tenant_id_pk" PRIMARY KEY("tenant","id")
);
--> statement-breakpoint
CREATE TABLE "recruiting"."candidates" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"location" text NOT NULL,
	"headline" text NOT NULL,
	"skills" json NOT NULL,
	"years_experience" integer NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "candidates_tenant_id_pk" PRIMARY KEY("tenant","id")
);
--> statement-breakpoint
CREATE TABLE "recruiting"."interviews" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"application_id" text NOT NULL,
	"candidate_id" text NOT NULL,
	"interviewer" text NOT NULL,
	"kind" text NOT NULL,
	"starts_at" timestamp(3) with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"request_key" text,
	CONSTRAINT "interviews_tenant_id_pk" PRIMARY KEY("tenant","id")
);
--> statement-breakpoint
CREATE TABLE "recruiting"."jobs" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"title" text NOT NULL,
	"department" text NOT NULL,
	"location" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"must_have_skills" json NOT NULL,
	"salary_min" integer NOT NULL,
	"salary_max" integer NOT NULL,
	"currency" text NOT NULL,
	"hiring_manager" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"close_reason" text,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp(3) with time zone,
	"request_key" text,
	"close_request_key" text,
	CONSTRAINT "jobs_tenant_id_pk" PRIMARY KEY("tenant","id")
);
--> statement-breakpoint
CREATE TABLE "recruiting"."offers" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"application_id" text NOT NULL,
	"base_salary" integer NOT NULL,
	"currency" text NOT NULL,
	"start_date" text NOT NULL,
	"status" text DEFAULT 'extended' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"request_key" text,
	CONSTRAINT "offers_tenant_id_pk" PRIMARY KEY("tenant","id")
);
--> statement-breakpoint
CREATE TABLE "recruiting"."screenings" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"application_id" text NOT NULL,
	"verdict" text NOT NULL,
	"notes" text NOT NULL,
	"screened_by" text NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"request_key" text,
	CONSTRAINT "screenings_tenant_id_pk" PRIMARY KEY("tenant","id")
);
--> statement-breakpoint
CREATE TABLE "recruiting"."stage_changes" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"application_id" text NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"actor" text NOT NULL,
	"at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"request_key" text,
	CONSTRAINT "stage_changes_tenant_id_pk" PRIMARY KEY("tenant","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "applications_open_per_job" ON "recruiting"."applications" USING btree ("tenant","job_id","candidate_id") WHERE stage <> 'close';--> statement-breakpoint
CREATE UNIQUE INDEX "applications_request_key" ON "recruiting"."applications" USING btree ("tenant","request_key");--> statement-breakpoint
CREATE INDEX "applications_job_stage" ON "recruiting"."applications" USING btree ("tenant","job_id","stage");--> statement-breakpoint
CREATE INDEX "applications_candidate" ON "recruiting"."applications" USING btree ("tenant","candidate_id");--> statement-breakpoint
CREATE UNIQUE INDEX "interviews_request_key" ON "recruiting"."interviews" USING btree ("tenant","request_key");--> statement-breakpoint
CREATE INDEX "interviews_application" ON "recruiting"."interviews" USING btree ("tenant","application_id");--> statement-breakpoint
CREATE INDEX "interviews_interviewer_time" ON "recruiting"."interviews" USING btree ("tenant","interviewer","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_request_key" ON "recruiting"."jobs" USING btree ("tenant","request_key");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_close_request_key" ON "recruiting"."jobs" USING btree ("tenant","close_request_key");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_request_key" ON "recruiting"."offers" USING btree ("tenant","request_key");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_one_open" ON "recruiting"."offers" USING btree ("tenant","application_id") WHERE status = 'extended';--> statement-breakpoint
CREATE UNIQUE INDEX "screenings_request_key" ON "recruiting"."screenings" USING btree ("tenant","request_key");--> statement-breakpoint
CREATE INDEX "screenings_application" ON "recruiting"."screenings" USING btree ("tenant","application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stage_changes_request_key" ON "recruiting"."stage_changes" USING btree ("tenant","request_key");--> statement-breakpoint
CREATE INDEX "stage_changes_application" ON "recruiting"."stage_changes" USING btree ("tenant","application_id","at");