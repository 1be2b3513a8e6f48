CREATE TABLE "evaluation_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invitation_id" uuid,
	"engagement_id" uuid,
	"company_cvr" text COLLATE "C",
	"organisation_id" uuid NOT NULL,
	"answered_on" date NOT NULL,
	"nps" integer,
	"effect" text,
	"comment" text,
	"source" text NOT NULL,
	"import_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_answers_invitation_id_unique" UNIQUE("invitation_id"),
	CONSTRAINT "evaluation_answers_import_key_unique" UNIQUE("import_key"),
	CONSTRAINT "evaluation_answers_nps" CHECK ("evaluation_answers"."nps" IS NULL OR "evaluation_answers"."nps" BETWEEN 0 AND 10),
	CONSTRAINT "evaluation_answers_effect" CHECK ("evaluation_answers"."effect" IS NULL OR "evaluation_answers"."effect" IN ('i høj grad', 'i nogen grad', 'i lav grad', 'slet ikke', 'ved ikke'))
);
--> statement-breakpoint
CREATE TABLE "evaluation_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"engagement_id" uuid NOT NULL,
	"company_cvr" text COLLATE "C",
	"organisation_id" uuid NOT NULL,
	"contact_id" uuid,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"reminded_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	CONSTRAINT "evaluation_invitations_engagement_id_unique" UNIQUE("engagement_id"),
	CONSTRAINT "evaluation_invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "evaluation_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"trigger" text DEFAULT 'close' NOT NULL,
	"days_after_first_meeting" integer DEFAULT 30 NOT NULL,
	"reminder_after_days" integer DEFAULT 7 NOT NULL,
	"link_valid_days" integer DEFAULT 30 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fulfilment_scales" (
	"key" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"thresholds" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluation_answers" ADD CONSTRAINT "evaluation_answers_invitation_id_evaluation_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."evaluation_invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_answers" ADD CONSTRAINT "evaluation_answers_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_answers" ADD CONSTRAINT "evaluation_answers_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_answers" ADD CONSTRAINT "evaluation_answers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_invitations" ADD CONSTRAINT "evaluation_invitations_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_invitations" ADD CONSTRAINT "evaluation_invitations_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_invitations" ADD CONSTRAINT "evaluation_invitations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_invitations" ADD CONSTRAINT "evaluation_invitations_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_settings" ADD CONSTRAINT "evaluation_settings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evaluation_answers_org_idx" ON "evaluation_answers" USING btree ("organisation_id","answered_on");--> statement-breakpoint
CREATE INDEX "evaluation_answers_engagement_idx" ON "evaluation_answers" USING btree ("engagement_id");--> statement-breakpoint
CREATE INDEX "evaluation_invitations_org_idx" ON "evaluation_invitations" USING btree ("organisation_id","created_at");