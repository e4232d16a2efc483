-- What an incremental refresh reads of a commune's benefits, from one range of an index: benefits
-- keep their enrolment's village (filled here, then by the importer), and the index by village
-- replaces the index by enrolment.
DROP INDEX "benefits_enrolment_idx";--> statement-breakpoint
ALTER TABLE "benefits" ADD COLUMN "village_code" text;--> statement-breakpoint
UPDATE "benefits" b SET "village_code" = e."village_code" FROM "enrolments" e WHERE e."enrolment_id" = b."enrolment_id";--> statement-breakpoint
ALTER TABLE "benefits" ALTER COLUMN "village_code" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "benefits_village_idx" ON "benefits" USING btree ("village_code","enrolment_id","period","delivered_on");
