-- What an incremental refresh and the medians read of a commune's or district's applications,
-- from one range of an index: applications keep their household's village (filled here, then
-- by the importer), and the index by village replaces the index by household.
DROP INDEX "applications_household_idx";--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "village_code" text;--> statement-breakpoint
UPDATE "applications" a SET "village_code" = h."village_code" FROM "households" h WHERE h."household_id" = a."household_id";--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "village_code" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "applications_village_idx" ON "applications" USING btree ("village_code","household_id","programme_code","status","applied_on","decided_on");
