ALTER TABLE "event_participants" ADD COLUMN "follow_up_task_id" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "evaluation_survey_id" uuid;