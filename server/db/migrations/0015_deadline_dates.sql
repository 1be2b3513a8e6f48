ALTER TABLE "referrals" DROP COLUMN "due_at";--> statement-breakpoint
ALTER TABLE "guidance_requests" DROP COLUMN "due_at";