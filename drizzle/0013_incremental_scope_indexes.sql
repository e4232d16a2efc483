-- What an incremental refresh reads of a commune, from indexes alone: enrolments keep their
-- household's village (filled here, then by the importer), and members whether they ever
-- changed household (here: those an enrolment names in another household).
DROP INDEX "benefits_enrolment_idx";--> statement-breakpoint
DROP INDEX "households_village_idx";--> statement-breakpoint
ALTER TABLE "enrolments" ADD COLUMN "village_code" text;--> statement-breakpoint
UPDATE "enrolments" e SET "village_code" = h."village_code" FROM "households" h WHERE h."household_id" = e."household_id";--> statement-breakpoint
ALTER TABLE "enrolments" ALTER COLUMN "village_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "moved_household" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "members" m SET "moved_household" = true FROM "enrolments" e WHERE e."person_id" = m."person_id" AND e."household_id" <> m."household_id";--> statement-breakpoint
CREATE INDEX "enrolments_village_idx" ON "enrolments" USING btree ("village_code","enrolment_id","programme_code","household_id","person_id","enrolled_on","exited_on");--> statement-breakpoint
CREATE INDEX "benefits_enrolment_idx" ON "benefits" USING btree ("enrolment_id","period","delivered_on");--> statement-breakpoint
CREATE INDEX "households_village_idx" ON "households" USING btree ("village_code","registered_on","household_id","idpoor_level");
