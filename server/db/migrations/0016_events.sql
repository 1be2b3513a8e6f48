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
	"cancelled_at" timestamp with time zone,
	"attendance_by" uuid,
	"attendance_at" timestamp with time zone,
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
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "events_kind_check" CHECK ("events"."kind" IN ('workshop', 'network_meeting', 'course', 'fair', 'delegation_visit', 'academy', 'webinar', 'other')),
	CONSTRAINT "events_status_check" CHECK ("events"."status" IN ('planned', 'cancelled')),
	CONSTRAINT "events_period_check" CHECK ("events"."ends_at" >= "events"."starts_at"),
	CONSTRAINT "events_capacity_check" CHECK ("events"."capacity" IS NULL OR "events"."capacity" > 0)
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
CREATE INDEX "event_follow_ups_event_idx" ON "event_follow_ups" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_participants_event_idx" ON "event_participants" USING btree ("event_id","status","registered_at");--> statement-breakpoint
CREATE INDEX "event_participants_company_idx" ON "event_participants" USING btree ("company_cvr");--> statement-breakpoint
CREATE UNIQUE INDEX "event_participants_email_idx" ON "event_participants" USING btree ("event_id",lower("email")) WHERE "event_participants"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "events_organiser_idx" ON "events" USING btree ("organiser_organisation_id","starts_at");--> statement-breakpoint
CREATE INDEX "events_starts_idx" ON "events" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "events_series_idx" ON "events" USING btree ("series_id");