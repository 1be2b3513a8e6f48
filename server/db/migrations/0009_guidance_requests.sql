CREATE TABLE "guidance_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"company_cvr" text COLLATE "C",
	"company_name" text,
	"municipality_code" integer NOT NULL,
	"organisation_id" uuid NOT NULL,
	"hub_id" uuid NOT NULL,
	"contact_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_phone" text,
	"need" text NOT NULL,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"consent_sharing" boolean NOT NULL,
	"consent_evaluation" boolean NOT NULL,
	"self_assessment" jsonb,
	"status" text DEFAULT 'new' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "guidance_requests_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD CONSTRAINT "guidance_requests_company_cvr_companies_cvr_fk" FOREIGN KEY ("company_cvr") REFERENCES "public"."companies"("cvr") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD CONSTRAINT "guidance_requests_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guidance_requests" ADD CONSTRAINT "guidance_requests_hub_id_organisations_id_fk" FOREIGN KEY ("hub_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guidance_requests_org_idx" ON "guidance_requests" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "guidance_requests_hub_idx" ON "guidance_requests" USING btree ("hub_id","created_at");