CREATE TYPE "public"."alarm_severity" AS ENUM('warning', 'error', 'critical');--> statement-breakpoint
CREATE TYPE "public"."alarm_status" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."bug_status" AS ENUM('open', 'analyzing', 'fixing', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."gate_status" AS ENUM('pending', 'passed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."lifecycle_state" AS ENUM('idle', 'initializing', 'analyzing', 'planning', 'coding', 'testing', 'verifying', 'waiting_approval', 'error', 'completed');--> statement-breakpoint
CREATE TYPE "public"."llm_call_status" AS ENUM('ok', 'rate_limited', 'server_error', 'timeout', 'auth_error', 'quota_exceeded', 'invalid_response', 'cancelled', 'error');--> statement-breakpoint
CREATE TYPE "public"."paused_reason" AS ENUM('user', 'turn_cap', 'spend_cap', 'loop', 'rate_limited', 'failures', 'error');--> statement-breakpoint
CREATE TYPE "public"."pending_kind" AS ENUM('question', 'approval', 'continuation');--> statement-breakpoint
CREATE TYPE "public"."pending_status" AS ENUM('open', 'answered', 'cancelled', 'superseded');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('running', 'awaiting_human', 'paused', 'idle', 'completed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."snapshot_kind" AS ENUM('manual', 'auto');--> statement-breakpoint
CREATE TYPE "public"."spend_status" AS ENUM('reserved', 'settled', 'released');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'user');--> statement-breakpoint
CREATE TYPE "public"."work_item_status" AS ENUM('pending', 'in_progress', 'needs_review', 'passing', 'failing', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."work_item_type" AS ENUM('feature', 'bug', 'fix');--> statement-breakpoint
CREATE TABLE "alarms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"type" text NOT NULL,
	"severity" "alarm_severity" NOT NULL,
	"status" "alarm_status" DEFAULT 'open' NOT NULL,
	"message" text NOT NULL,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recommended_action" text NOT NULL,
	"auto_resolve" boolean DEFAULT false NOT NULL,
	"raised_seq" bigint NOT NULL,
	"resolved_seq" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor" text DEFAULT 'system' NOT NULL,
	"fencing_token" bigint,
	"superseded_by_seq" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" "gate_status" DEFAULT 'pending' NOT NULL,
	"criteria" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evaluated_seq" bigint,
	"evaluated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"role" text NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"is_fallback" boolean DEFAULT false NOT NULL,
	"status" "llm_call_status" NOT NULL,
	"request" jsonb NOT NULL,
	"response" jsonb,
	"error" text,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cache_read_tokens" integer DEFAULT 0 NOT NULL,
	"cache_write_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" numeric(14, 6),
	"latency_ms" integer NOT NULL,
	"at_seq" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pendings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"kind" "pending_kind" NOT NULL,
	"status" "pending_status" DEFAULT 'open' NOT NULL,
	"asked_seq" bigint NOT NULL,
	"question" text,
	"options" jsonb,
	"subject" text,
	"details" jsonb,
	"reason" text,
	"answer" jsonb,
	"answered_seq" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"stage" text DEFAULT 'bootstrap' NOT NULL,
	"lifecycle_state" "lifecycle_state" DEFAULT 'idle' NOT NULL,
	"run_status" "run_status" DEFAULT 'idle' NOT NULL,
	"paused_reason" "paused_reason",
	"resume_at" timestamp with time zone,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"iterations" integer DEFAULT 0 NOT NULL,
	"turns_since_human" integer DEFAULT 0 NOT NULL,
	"brief" jsonb,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"spent_usd" numeric(14, 6) DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"family_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"rotated_at" timestamp with time zone,
	"replaced_by_id" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"user_agent" text,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refresh_tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "runner_leases" (
	"project_id" uuid PRIMARY KEY NOT NULL,
	"runner_id" text,
	"fencing_token" bigint DEFAULT 0 NOT NULL,
	"acquired_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"recovery_attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "snapshot_kind" DEFAULT 'manual' NOT NULL,
	"commit_sha" text,
	"board_state" jsonb NOT NULL,
	"at_seq" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "specs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spend_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "spend_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"llm_call_id" uuid,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"role" text NOT NULL,
	"status" "spend_status" NOT NULL,
	"reserved_usd" numeric(14, 6) DEFAULT 0 NOT NULL,
	"cost_usd" numeric(14, 6) DEFAULT 0 NOT NULL,
	"priced" boolean DEFAULT true NOT NULL,
	"is_fallback" boolean DEFAULT false NOT NULL,
	"work_item_id" integer,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cache_read_tokens" integer DEFAULT 0 NOT NULL,
	"cache_write_tokens" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "state_transitions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "state_transitions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"from_state" "lifecycle_state" NOT NULL,
	"to_state" "lifecycle_state" NOT NULL,
	"reason" text NOT NULL,
	"iteration" integer NOT NULL,
	"at_seq" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" DEFAULT 'user' NOT NULL,
	"token_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "work_item_dependencies" (
	"project_id" uuid NOT NULL,
	"item_id" integer NOT NULL,
	"depends_on_id" integer NOT NULL,
	CONSTRAINT "work_item_dependencies_item_id_depends_on_id_pk" PRIMARY KEY("item_id","depends_on_id"),
	CONSTRAINT "no_self_dependency" CHECK ("work_item_dependencies"."item_id" <> "work_item_dependencies"."depends_on_id")
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "work_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"item_type" "work_item_type" DEFAULT 'feature' NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text,
	"priority" integer DEFAULT 100 NOT NULL,
	"layer" integer DEFAULT 0 NOT NULL,
	"queue_order" integer DEFAULT 0 NOT NULL,
	"status" "work_item_status" DEFAULT 'pending' NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"evidence" jsonb,
	"last_error" text,
	"parent_bug_id" integer,
	"bug_status" "bug_status",
	"steps_to_reproduce" jsonb,
	"page" text,
	"source_spec" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"passed_at" timestamp with time zone,
	CONSTRAINT "bug_fields" CHECK (("work_items"."item_type" = 'bug') = ("work_items"."bug_status" is not null))
);
--> statement-breakpoint
ALTER TABLE "alarms" ADD CONSTRAINT "alarms_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gates" ADD CONSTRAINT "gates_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm_calls" ADD CONSTRAINT "llm_calls_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pendings" ADD CONSTRAINT "pendings_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runner_leases" ADD CONSTRAINT "runner_leases_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "specs" ADD CONSTRAINT "specs_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_ledger" ADD CONSTRAINT "spend_ledger_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_ledger" ADD CONSTRAINT "spend_ledger_llm_call_id_llm_calls_id_fk" FOREIGN KEY ("llm_call_id") REFERENCES "public"."llm_calls"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "state_transitions" ADD CONSTRAINT "state_transitions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_dependencies" ADD CONSTRAINT "work_item_dependencies_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_dependencies" ADD CONSTRAINT "work_item_dependencies_item_id_work_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."work_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_item_dependencies" ADD CONSTRAINT "work_item_dependencies_depends_on_id_work_items_id_fk" FOREIGN KEY ("depends_on_id") REFERENCES "public"."work_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_parent_bug_id_work_items_id_fk" FOREIGN KEY ("parent_bug_id") REFERENCES "public"."work_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alarms_project_id_status_index" ON "alarms" USING btree ("project_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "events_project_id_seq_index" ON "events" USING btree ("project_id","seq");--> statement-breakpoint
CREATE INDEX "events_project_id_type_index" ON "events" USING btree ("project_id","type");--> statement-breakpoint
CREATE UNIQUE INDEX "gates_project_id_name_index" ON "gates" USING btree ("project_id","name");--> statement-breakpoint
CREATE INDEX "llm_calls_project_id_created_at_index" ON "llm_calls" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "pendings_project_id_status_index" ON "pendings" USING btree ("project_id","status");--> statement-breakpoint
CREATE INDEX "projects_owner_id_index" ON "projects" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "projects_run_status_index" ON "projects" USING btree ("run_status");--> statement-breakpoint
CREATE INDEX "refresh_tokens_user_id_index" ON "refresh_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_id_index" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "runner_leases_expires_at_index" ON "runner_leases" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "snapshots_project_id_created_at_index" ON "snapshots" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "specs_project_id_name_index" ON "specs" USING btree ("project_id","name");--> statement-breakpoint
CREATE INDEX "spend_ledger_project_id_created_at_index" ON "spend_ledger" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "spend_ledger_created_at_index" ON "spend_ledger" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "state_transitions_project_id_id_index" ON "state_transitions" USING btree ("project_id","id");--> statement-breakpoint
CREATE INDEX "work_item_dependencies_depends_on_id_index" ON "work_item_dependencies" USING btree ("depends_on_id");--> statement-breakpoint
CREATE INDEX "work_items_project_id_status_index" ON "work_items" USING btree ("project_id","status");--> statement-breakpoint
CREATE INDEX "work_items_parent_bug_id_index" ON "work_items" USING btree ("parent_bug_id");