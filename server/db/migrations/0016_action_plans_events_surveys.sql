CREATE TABLE "event_co_organisers" (
	"event_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	CONSTRAINT "event_co_organisers_event_id_organisation_id_pk" PRIMARY KEY("event_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "event_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"company_cvr" text COLLATE "C",
	"company_name" text,
	"met_with" text NOT NULL,
	"next_step" text NOT NULL,
	"due_on" date,
	"organisation_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"company_cvr" text COLLATE "C",
	"prospect_id" uuid,
	"company_name" text,
	"person_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"status" text NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"cancel_token_hash" text,
	"consent_sharing" boolean DEFAULT false NOT NULL,
	"consent_evaluation" boolean DEFAULT false NOT NULL,
	"consent_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"activity_id" uuid,
	"registered_at" timestamp with time zone NOT NULL,
	"sign_up_order" bigint GENERATED ALWAYS AS IDENTITY (sequence name "event_participants_sign_up_order_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"cancelled_at" timestamp with time zone,
	"attendance_by" uuid,
	"attendance_at" timestamp with time zone,
	"follow_up_task_id" uuid,
	CONSTRAINT "event_participants_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "event_participants_cancel_token_hash_unique" UNIQUE("cancel_token_hash"),
	CONSTRAINT "event_participants_status_check" CHECK ("event_participants"."status" IN ('registered', 'waitlisted', 'cancelled', 'attended', 'no_show')),
	CONSTRAINT "event_participants_subject" CHECK (NOT ("event_participants"."company_cvr" IS NOT NULL AND "event_participants"."prospect_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "event_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_series_members" (
	"series_id" uuid NOT NULL,
	"company_cvr" text COLLATE "C" NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_series_members_series_id_company_cvr_pk" PRIMARY KEY("series_id","company_cvr")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organiser_organisation_id" uuid NOT NULL,
	"series_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text,
	"online" boolean DEFAULT false NOT NULL,
	"capacity" integer,
	"signup_open" boolean DEFAULT true NOT NULL,
	"public" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"reminder_days" integer DEFAULT 2,
	"evaluation_survey_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "events_kind_check" CHECK ("events"."kind" IN ('workshop', 'network_meeting', 'course', 'fair', 'delegation_visit', 'academy', 'webinar', 'other')),
	CONSTRAINT "events_status_check" CHECK ("events"."status" IN ('planned', 'cancelled')),
	CONSTRAINT "events_period_check" CHECK ("events"."ends_at" >= "events"."starts_at"),
	CONSTRAINT "events_capacity_check" CHECK ("events"."capacity" IS NULL OR "events"."capacity" > 0)
);
--> statement-breakpoint
CREATE TABLE "action_plan_initiatives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"focus_area" text,
	"description" text DEFAULT '' NOT NULL,
	"objectives" text[] NOT NULL,
	"responsible_organisation_id" uuid,
	"responsible_name" text,
	"partner_organisation_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"partner_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"assessment" text,
	"assessment_comment" text,
	"assessed_by" uuid,
	"assessed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "action_plan_initiatives_status" CHECK ("action_plan_initiatives"."status" IN ('planned', 'running', 'done', 'dropped')),
	CONSTRAINT "action_plan_initiatives_assessment" CHECK ("action_plan_initiatives"."assessment" IS NULL OR "action_plan_initiatives"."assessment" IN ('on_track', 'at_risk', 'off_track')),
	CONSTRAINT "action_plan_initiatives_responsible" CHECK (("action_plan_initiatives"."responsible_organisation_id" IS NULL) <> ("action_plan_initiatives"."responsible_name" IS NULL)),
	CONSTRAINT "action_plan_initiatives_objectives" CHECK (cardinality("action_plan_initiatives"."objectives") >= 1)
);
--> statement-breakpoint
CREATE TABLE "action_plan_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"initiative_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"linked_by" uuid,
	"linked_by_organisation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_plan_links_kind" CHECK ("action_plan_links"."kind" IN ('engagement', 'event', 'offer', 'referral'))
);
--> statement-breakpoint
CREATE TABLE "action_plan_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"initiative_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"done_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_organisation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"focus_areas" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "action_plans_period" CHECK ("action_plans"."period_end" >= "action_plans"."period_start")
);
--> statement-breakpoint
CREATE TABLE "survey_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"company_cvr" text COLLATE "C",
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"reminded_round" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "survey_invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "survey_objections" (
	"organisation_id" uuid NOT NULL,
	"email" text NOT NULL,
	"company_cvr" text COLLATE "C",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_objections_organisation_id_email_pk" PRIMARY KEY("organisation_id","email")
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" uuid NOT NULL,
	"invitation_id" uuid,
	"idempotency_key" text,
	"company_cvr" text COLLATE "C",
	"industry_group" text,
	"size_band" text,
	"answers" jsonb NOT NULL,
	"attached" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_responses_invitation_id_unique" UNIQUE("invitation_id")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"purpose" text NOT NULL,
	"intro" text DEFAULT '' NOT NULL,
	"questions" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"attach_to_company" boolean DEFAULT false NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"public_token" text,
	"event_id" text,
	"reminder_round" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "surveys_public_token_unique" UNIQUE("public_token")
);
--> statement-breakpoint
ALTER TABLE "event_co_organisers" ADD CONSTRAINT "event_co_organisers_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_co_organisers" ADD CONSTRAINT "event_co_organisers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_follow_ups" ADD CONSTRAINT "event_follow_ups_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_follow_ups" ADD CONSTRAINT "event_follow_ups_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_follow_ups" ADD CONSTRAINT "event_follow_ups_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_follow_ups" ADD CONSTRAINT "event_follow_ups_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_prospect_id_prospects_id_fk" FOREIGN KEY ("prospect_id") REFERENCES "public"."prospects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_attendance_by_users_id_fk" FOREIGN KEY ("attendance_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series" ADD CONSTRAINT "event_series_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series" ADD CONSTRAINT "event_series_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series_members" ADD CONSTRAINT "event_series_members_series_id_event_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."event_series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series_members" ADD CONSTRAINT "event_series_members_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_series_members" ADD CONSTRAINT "event_series_members_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_organiser_organisation_id_organisations_id_fk" FOREIGN KEY ("organiser_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_series_id_event_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."event_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_initiatives" ADD CONSTRAINT "action_plan_initiatives_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_initiatives" ADD CONSTRAINT "action_plan_initiatives_responsible_organisation_id_organisations_id_fk" FOREIGN KEY ("responsible_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_initiatives" ADD CONSTRAINT "action_plan_initiatives_assessed_by_users_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_initiative_id_action_plan_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."action_plan_initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_linked_by_organisation_id_organisations_id_fk" FOREIGN KEY ("linked_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_milestones" ADD CONSTRAINT "action_plan_milestones_initiative_id_action_plan_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."action_plan_initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_objections" ADD CONSTRAINT "survey_objections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_invitation_id_survey_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."survey_invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_follow_ups_event_idx" ON "event_follow_ups" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_participants_event_idx" ON "event_participants" USING btree ("event_id","status","registered_at");--> statement-breakpoint
CREATE INDEX "event_participants_company_idx" ON "event_participants" USING btree ("company_cvr");--> statement-breakpoint
CREATE UNIQUE INDEX "event_participants_email_idx" ON "event_participants" USING btree ("event_id",lower("email")) WHERE "event_participants"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "events_organiser_idx" ON "events" USING btree ("organiser_organisation_id","starts_at");--> statement-breakpoint
CREATE INDEX "events_starts_idx" ON "events" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "events_series_idx" ON "events" USING btree ("series_id");--> statement-breakpoint
CREATE INDEX "action_plan_initiatives_plan_idx" ON "action_plan_initiatives" USING btree ("plan_id","position");--> statement-breakpoint
CREATE INDEX "action_plan_initiatives_partners_idx" ON "action_plan_initiatives" USING gin ("partner_organisation_ids");--> statement-breakpoint
CREATE UNIQUE INDEX "action_plan_links_unique" ON "action_plan_links" USING btree ("initiative_id","kind","target_id");--> statement-breakpoint
CREATE INDEX "action_plan_links_target_idx" ON "action_plan_links" USING btree ("kind","target_id");--> statement-breakpoint
CREATE INDEX "action_plan_milestones_initiative_idx" ON "action_plan_milestones" USING btree ("initiative_id","due_on");--> statement-breakpoint
CREATE INDEX "action_plans_owner_idx" ON "action_plans" USING btree ("owner_organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_email_idx" ON "survey_invitations" USING btree ("survey_id","email");--> statement-breakpoint
CREATE INDEX "survey_invitations_cvr_idx" ON "survey_invitations" USING btree ("company_cvr");--> statement-breakpoint
CREATE INDEX "survey_objections_cvr_idx" ON "survey_objections" USING btree ("organisation_id","company_cvr");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_key_idx" ON "survey_responses" USING btree ("survey_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "survey_responses_survey_idx" ON "survey_responses" USING btree ("survey_id");--> statement-breakpoint
CREATE INDEX "survey_responses_cvr_idx" ON "survey_responses" USING btree ("company_cvr");--> statement-breakpoint
CREATE INDEX "surveys_org_idx" ON "surveys" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "surveys_event_idx" ON "surveys" USING btree ("event_id");