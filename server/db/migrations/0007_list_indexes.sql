DROP INDEX "engagements_org_status_idx";--> statement-breakpoint
DROP INDEX "referrals_to_idx";--> statement-breakpoint
DROP INDEX "referrals_from_idx";--> statement-breakpoint
CREATE INDEX "engagements_org_recent_idx" ON "engagements" USING btree ("organisation_id","opened_on" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "engagements_org_status_recent_idx" ON "engagements" USING btree ("organisation_id","status","opened_on" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "referrals_to_idx" ON "referrals" USING btree ("to_organisation_id","sent_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "referrals_from_idx" ON "referrals" USING btree ("from_organisation_id","sent_at" DESC NULLS LAST);