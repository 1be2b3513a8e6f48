ALTER TABLE "audit_log" ADD COLUMN "holder_organisation_ids" uuid[];--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "withdrawn_by_organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "withdrawn_via" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "opens" text DEFAULT 'recorder' NOT NULL;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD COLUMN "request_hash" text;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_withdrawn_by_organisation_id_organisations_id_fk" FOREIGN KEY ("withdrawn_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_holder_idx" ON "audit_log" USING gin ("holder_organisation_ids");--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_opens" CHECK ("consents"."opens" IN ('recorder', 'all_holders'));--> statement-breakpoint
-- The consent rule changes: a sharing consent opens only its recording organisation's records.
-- Every consent is kept; those without a recording organisation get the one they belong to.
-- A consent confirmed from the public form belongs to the organisation of the adviser who confirmed it.
UPDATE "consents" c SET "recorded_by_organisation_id" = u."organisation_id"
  FROM "users" u WHERE u."id" = c."confirmed_by" AND c."channel" = 'web' AND c."confirmed_by" IS NOT NULL;--> statement-breakpoint
UPDATE "consents" c SET "recorded_by_organisation_id" = u."organisation_id"
  FROM "users" u WHERE u."id" = c."recorded_by" AND c."recorded_by_organisation_id" IS NULL;--> statement-breakpoint
-- Withdrawals already made were made by an organisation: the withdrawing user's.
UPDATE "consents" c SET "withdrawn_by_organisation_id" = u."organisation_id", "withdrawn_via" = 'organisation'
  FROM "users" u WHERE u."id" = c."withdrawn_by" AND c."withdrawn_at" IS NOT NULL;--> statement-breakpoint
-- Withdrawals without a user came from the company itself (the unsubscribe link of an evaluation).
UPDATE "consents" SET "withdrawn_via" = 'company' WHERE "withdrawn_at" IS NOT NULL AND "withdrawn_by" IS NULL;
