-- What an incremental refresh reads of a commune's members, from one range of an index: members
-- keep their household's village (filled here, then by the importer), and the index by village
-- replaces the index by household.
DROP INDEX "members_household_idx";--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "village_code" text;--> statement-breakpoint
UPDATE "members" m SET "village_code" = h."village_code" FROM "households" h WHERE h."household_id" = m."household_id";--> statement-breakpoint
ALTER TABLE "members" ALTER COLUMN "village_code" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "members_village_idx" ON "members" USING btree ("village_code","household_id","person_id","sex","birth_date","disability","possible_duplicate","moved_household");
