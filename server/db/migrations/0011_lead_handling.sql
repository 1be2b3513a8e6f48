ALTER TABLE "guidance_requests" ADD COLUMN "offer_id" uuid;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD COLUMN "handled_by" uuid;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD COLUMN "handled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD CONSTRAINT "guidance_requests_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD CONSTRAINT "guidance_requests_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD CONSTRAINT "guidance_requests_status_check" CHECK ("guidance_requests"."status" IN ('new', 'in_progress', 'closed'));