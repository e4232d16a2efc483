-- Members keep their household's village (filled here from the households, then by the
-- importer), and three indexes hold every column an incremental refresh reads of a commune.
DROP INDEX "benefits_enrolment_idx";--> statement-breakpoint
DROP INDEX "households_village_idx";--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "village_code" text;--> statement-breakpoint
UPDATE "members" m SET "village_code" = h."village_code" FROM "households" h WHERE h."household_id" = m."household_id";--> statement-breakpoint
ALTER TABLE "members" ALTER COLUMN "village_code" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "members_village_idx" ON "members" USING btree ("village_code","person_id","household_id","sex","birth_date","disability","possible_duplicate");--> statement-breakpoint
CREATE INDEX "benefits_enrolment_idx" ON "benefits" USING btree ("enrolment_id","period","delivered_on");--> statement-breakpoint
CREATE INDEX "households_village_idx" ON "households" USING btree ("village_code","registered_on","household_id","idpoor_level");
