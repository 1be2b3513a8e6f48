ALTER TABLE "consents" ADD COLUMN "awaiting_confirmation" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "guidance_request_id" uuid;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "confirmed_by" uuid;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_guidance_request_idx" ON "consents" USING btree ("guidance_request_id") WHERE "consents"."guidance_request_id" IS NOT NULL;