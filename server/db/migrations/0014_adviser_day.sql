CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"engagement_id" uuid,
	"company_cvr" text COLLATE "C",
	"activity_id" uuid,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"assignee_user_id" uuid NOT NULL,
	"confidential" boolean DEFAULT false NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "tasks_subject" CHECK ("tasks"."engagement_id" IS NOT NULL OR "tasks"."company_cvr" IS NOT NULL),
	CONSTRAINT "tasks_done" CHECK (("tasks"."done_at" IS NULL) = ("tasks"."done_by" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "saved_filters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"list" text NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_filters_user_list_name" UNIQUE("user_id","list","name")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notify_leads" boolean;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notify_referrals" boolean;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "due_on" date;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "receiver_engagement_id" uuid;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD COLUMN "engagement_id" uuid;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD COLUMN "prospect_id" uuid;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD COLUMN "due_on" date;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_user_id_users_id_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_filters" ADD CONSTRAINT "saved_filters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_assignee_open_idx" ON "tasks" USING btree ("assignee_user_id","due_on") WHERE "tasks"."done_at" IS NULL;--> statement-breakpoint
CREATE INDEX "tasks_engagement_idx" ON "tasks" USING btree ("engagement_id");--> statement-breakpoint
CREATE INDEX "tasks_company_idx" ON "tasks" USING btree ("organisation_id","company_cvr");--> statement-breakpoint
CREATE INDEX "saved_filters_user_idx" ON "saved_filters" USING btree ("user_id","list");--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_receiver_engagement_id_engagements_id_fk" FOREIGN KEY ("receiver_engagement_id") REFERENCES "public"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD CONSTRAINT "guidance_requests_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD CONSTRAINT "guidance_requests_prospect_id_prospects_id_fk" FOREIGN KEY ("prospect_id") REFERENCES "public"."prospects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A deadline was stored as the instant the next day began in Copenhagen; it is the day before that.
UPDATE "referrals" SET "due_on" = (("due_at" AT TIME ZONE 'Europe/Copenhagen') - interval '1 millisecond')::date;--> statement-breakpoint
UPDATE "guidance_requests" SET "due_on" = (("due_at" AT TIME ZONE 'Europe/Copenhagen') - interval '1 millisecond')::date;--> statement-breakpoint
ALTER TABLE "referrals" ALTER COLUMN "due_on" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "guidance_requests" ALTER COLUMN "due_on" SET NOT NULL;
