CREATE TABLE "cooperation_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_cvr" text COLLATE "C" NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"industry_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"municipality_codes" integer[] DEFAULT '{}'::int[] NOT NULL,
	"regions" text[] DEFAULT '{}'::text[] NOT NULL,
	"countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('danish'::regconfig, coalesce(title, '') || ' ' || coalesce(description, ''))) STORED,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "cooperation_items_kind" CHECK ("cooperation_items"."kind" IN ('need', 'offer')),
	CONSTRAINT "cooperation_items_status" CHECK ("cooperation_items"."status" IN ('open', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"a_item_id" uuid NOT NULL,
	"a_holder_id" uuid NOT NULL,
	"b_kind" text NOT NULL,
	"b_item_id" uuid,
	"b_offer_id" uuid,
	"b_institution_id" uuid,
	"b_holder_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"reasons" jsonb NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"proposed_by" uuid NOT NULL,
	"proposed_by_organisation_id" uuid NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"a_accepted_by" uuid,
	"a_accepted_at" timestamp with time zone,
	"b_accepted_by" uuid,
	"b_accepted_at" timestamp with time zone,
	"declined_by" uuid,
	"declined_at" timestamp with time zone,
	"a_consent_id" uuid,
	"b_consent_id" uuid,
	"a_contact_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"b_contact_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"introduced_by" uuid,
	"introduced_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "matches_b_kind" CHECK ("matches"."b_kind" IN ('company', 'offer', 'institution')),
	CONSTRAINT "matches_status" CHECK ("matches"."status" IN ('proposed', 'accepted', 'introduced', 'declined')),
	CONSTRAINT "matches_counterpart" CHECK (("matches"."b_kind" = 'company') = ("matches"."b_item_id" IS NOT NULL) AND ("matches"."b_kind" = 'offer') = ("matches"."b_offer_id" IS NOT NULL) AND ("matches"."b_kind" = 'institution') = ("matches"."b_institution_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "case_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"content_type" text NOT NULL,
	"alt" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"story" text NOT NULL,
	"what_was_done" text DEFAULT '' NOT NULL,
	"benefit" text DEFAULT '' NOT NULL,
	"company_cvr" text COLLATE "C" NOT NULL,
	"consent_id" uuid,
	"organisation_ids" uuid[] NOT NULL,
	"industries" text[] DEFAULT '{}'::text[] NOT NULL,
	"municipality_codes" integer[] DEFAULT '{}'::int[] NOT NULL,
	"job_contents" text[] DEFAULT '{}'::text[] NOT NULL,
	"company_size" text,
	"benefits" text[] DEFAULT '{}'::text[] NOT NULL,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"offer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"video_url" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"published_at" timestamp with time zone,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('danish'::regconfig, coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(story, '') || ' ' || coalesce(what_was_done, '') || ' ' || coalesce(benefit, ''))) STORED,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_status" CHECK ("cases"."status" IN ('draft', 'published', 'archived')),
	CONSTRAINT "cases_organisations" CHECK (cardinality("cases"."organisation_ids") > 0)
);
--> statement-breakpoint
ALTER TABLE "cooperation_items" ADD CONSTRAINT "cooperation_items_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_items" ADD CONSTRAINT "cooperation_items_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperation_items" ADD CONSTRAINT "cooperation_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_a_item_id_cooperation_items_id_fk" FOREIGN KEY ("a_item_id") REFERENCES "public"."cooperation_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_a_holder_id_organisations_id_fk" FOREIGN KEY ("a_holder_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_b_item_id_cooperation_items_id_fk" FOREIGN KEY ("b_item_id") REFERENCES "public"."cooperation_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_b_offer_id_offers_id_fk" FOREIGN KEY ("b_offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_b_institution_id_organisations_id_fk" FOREIGN KEY ("b_institution_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_b_holder_id_organisations_id_fk" FOREIGN KEY ("b_holder_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_proposed_by_organisation_id_organisations_id_fk" FOREIGN KEY ("proposed_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_a_accepted_by_users_id_fk" FOREIGN KEY ("a_accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_b_accepted_by_users_id_fk" FOREIGN KEY ("b_accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_declined_by_users_id_fk" FOREIGN KEY ("declined_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_a_consent_id_consents_id_fk" FOREIGN KEY ("a_consent_id") REFERENCES "public"."consents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_b_consent_id_consents_id_fk" FOREIGN KEY ("b_consent_id") REFERENCES "public"."consents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_introduced_by_users_id_fk" FOREIGN KEY ("introduced_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_images" ADD CONSTRAINT "case_images_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_consent_id_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."consents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cooperation_items_company_idx" ON "cooperation_items" USING btree ("company_cvr");--> statement-breakpoint
CREATE INDEX "cooperation_items_organisation_idx" ON "cooperation_items" USING btree ("organisation_id","status");--> statement-breakpoint
CREATE INDEX "cooperation_items_themes_idx" ON "cooperation_items" USING gin ("themes");--> statement-breakpoint
CREATE INDEX "cooperation_items_search_idx" ON "cooperation_items" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "cooperation_items_title_trgm_idx" ON "cooperation_items" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "matches_a_holder_idx" ON "matches" USING btree ("a_holder_id","status");--> statement-breakpoint
CREATE INDEX "matches_b_holder_idx" ON "matches" USING btree ("b_holder_id","status");--> statement-breakpoint
CREATE INDEX "matches_a_item_idx" ON "matches" USING btree ("a_item_id");--> statement-breakpoint
CREATE INDEX "matches_b_item_idx" ON "matches" USING btree ("b_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "matches_pair_idx" ON "matches" USING btree ("a_item_id",coalesce("b_item_id", "b_offer_id", "b_institution_id")) WHERE "matches"."status" <> 'declined';--> statement-breakpoint
CREATE INDEX "case_images_case_idx" ON "case_images" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "cases_search_idx" ON "cases" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "cases_organisations_idx" ON "cases" USING gin ("organisation_ids");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status");