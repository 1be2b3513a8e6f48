CREATE TABLE "match_project_municipalities" (
	"project_id" uuid NOT NULL,
	"municipality_code" integer NOT NULL,
	"workplaces" integer DEFAULT 0 NOT NULL,
	"target_override" integer,
	CONSTRAINT "match_project_municipalities_project_id_municipality_code_pk" PRIMARY KEY("project_id","municipality_code"),
	CONSTRAINT "match_project_municipalities_values" CHECK ("match_project_municipalities"."workplaces" >= 0 AND ("match_project_municipalities"."target_override" IS NULL OR "match_project_municipalities"."target_override" >= 0))
);
--> statement-breakpoint
CREATE TABLE "match_project_partners" (
	"project_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"municipality_code" integer,
	"target" integer,
	CONSTRAINT "match_project_partners_project_id_organisation_id_pk" PRIMARY KEY("project_id","organisation_id"),
	CONSTRAINT "match_project_partners_target" CHECK ("match_project_partners"."target" IS NULL OR "match_project_partners"."target" >= 0)
);
--> statement-breakpoint
CREATE TABLE "match_project_types" (
	"project_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "match_project_types_project_id_key_pk" PRIMARY KEY("project_id","key")
);
--> statement-breakpoint
CREATE TABLE "match_projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"owner_organisation_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"credit_rule" text DEFAULT 'split' NOT NULL,
	"target_total" integer NOT NULL,
	"municipal_target" integer NOT NULL,
	"excluded_municipality_codes" integer[] DEFAULT '{}'::int[] NOT NULL,
	"workplaces_source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "match_projects_period" CHECK ("match_projects"."period_end" >= "match_projects"."period_start"),
	CONSTRAINT "match_projects_targets" CHECK ("match_projects"."municipal_target" >= 0 AND "match_projects"."municipal_target" <= "match_projects"."target_total"),
	CONSTRAINT "match_projects_credit_rule" CHECK ("match_projects"."credit_rule" IN ('split', 'first'))
);
--> statement-breakpoint
CREATE TABLE "registered_match_partners" (
	"match_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "registered_match_partners_match_id_organisation_id_pk" PRIMARY KEY("match_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "registered_matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"company_cvr" text COLLATE "C" NOT NULL,
	"type_key" text NOT NULL,
	"matched_on" date NOT NULL,
	"education_level" text NOT NULL,
	"institution" text NOT NULL,
	"registered_by_organisation_id" uuid NOT NULL,
	"registered_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_project_municipalities" ADD CONSTRAINT "match_project_municipalities_project_id_match_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."match_projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_project_partners" ADD CONSTRAINT "match_project_partners_project_id_match_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."match_projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_project_partners" ADD CONSTRAINT "match_project_partners_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_project_types" ADD CONSTRAINT "match_project_types_project_id_match_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."match_projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_projects" ADD CONSTRAINT "match_projects_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_match_partners" ADD CONSTRAINT "registered_match_partners_match_id_registered_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."registered_matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_match_partners" ADD CONSTRAINT "registered_match_partners_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_matches" ADD CONSTRAINT "registered_matches_project_id_match_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."match_projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_matches" ADD CONSTRAINT "registered_matches_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_matches" ADD CONSTRAINT "registered_matches_registered_by_organisation_id_organisations_id_fk" FOREIGN KEY ("registered_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registered_matches" ADD CONSTRAINT "registered_matches_registered_by_users_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "registered_match_partners_org_idx" ON "registered_match_partners" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "registered_matches_project_idx" ON "registered_matches" USING btree ("project_id","matched_on");--> statement-breakpoint
CREATE INDEX "registered_matches_company_idx" ON "registered_matches" USING btree ("project_id","company_cvr");