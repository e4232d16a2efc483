ALTER TABLE "members" DROP CONSTRAINT "members_household_id_households_household_id_fk";
--> statement-breakpoint
DROP INDEX "members_household_idx";--> statement-breakpoint
DROP INDEX "members_national_id_idx";--> statement-breakpoint
DROP INDEX "members_name_key_idx";--> statement-breakpoint
CREATE INDEX "members_national_id_idx" ON "members" USING btree ("national_id") WHERE "members"."national_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "members_name_key_idx" ON "members" USING btree ("name_key","birth_date","sex") WHERE "members"."name_key" IS NOT NULL;