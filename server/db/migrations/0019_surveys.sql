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
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_objections" ADD CONSTRAINT "survey_objections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_invitation_id_survey_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."survey_invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_email_idx" ON "survey_invitations" USING btree ("survey_id","email");--> statement-breakpoint
CREATE INDEX "survey_invitations_cvr_idx" ON "survey_invitations" USING btree ("company_cvr");--> statement-breakpoint
CREATE INDEX "survey_objections_cvr_idx" ON "survey_objections" USING btree ("organisation_id","company_cvr");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_key_idx" ON "survey_responses" USING btree ("survey_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "survey_responses_survey_idx" ON "survey_responses" USING btree ("survey_id");--> statement-breakpoint
CREATE INDEX "survey_responses_cvr_idx" ON "survey_responses" USING btree ("company_cvr");--> statement-breakpoint
CREATE INDEX "surveys_org_idx" ON "surveys" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "surveys_event_idx" ON "surveys" USING btree ("event_id");