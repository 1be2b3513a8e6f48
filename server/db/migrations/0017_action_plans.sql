CREATE TABLE "action_plan_initiatives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
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
ALTER TABLE "action_plan_initiatives" ADD CONSTRAINT "action_plan_initiatives_plan_id_action_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."action_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_initiatives" ADD CONSTRAINT "action_plan_initiatives_responsible_organisation_id_organisations_id_fk" FOREIGN KEY ("responsible_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_initiatives" ADD CONSTRAINT "action_plan_initiatives_assessed_by_users_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_initiative_id_action_plan_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."action_plan_initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_links" ADD CONSTRAINT "action_plan_links_linked_by_organisation_id_organisations_id_fk" FOREIGN KEY ("linked_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plan_milestones" ADD CONSTRAINT "action_plan_milestones_initiative_id_action_plan_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."action_plan_initiatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_plan_initiatives_plan_idx" ON "action_plan_initiatives" USING btree ("plan_id","position");--> statement-breakpoint
CREATE INDEX "action_plan_initiatives_partners_idx" ON "action_plan_initiatives" USING gin ("partner_organisation_ids");--> statement-breakpoint
CREATE UNIQUE INDEX "action_plan_links_unique" ON "action_plan_links" USING btree ("initiative_id","kind","target_id");--> statement-breakpoint
CREATE INDEX "action_plan_links_target_idx" ON "action_plan_links" USING btree ("kind","target_id");--> statement-breakpoint
CREATE INDEX "action_plan_milestones_initiative_idx" ON "action_plan_milestones" USING btree ("initiative_id","due_on");--> statement-breakpoint
CREATE INDEX "action_plans_owner_idx" ON "action_plans" USING btree ("owner_organisation_id");