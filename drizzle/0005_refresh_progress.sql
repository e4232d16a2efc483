ALTER TABLE "refresh_runs" ADD COLUMN "communes" jsonb;--> statement-breakpoint
ALTER TABLE "refresh_runs" ADD COLUMN "progress" text;