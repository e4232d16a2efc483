-- The counts become per district (and per province, district_code ''): the old per-province
-- counts are dropped with the periods they covered, which the next refresh counts again.
DELETE FROM "median_days";--> statement-breakpoint
DELETE FROM "median_days_periods";--> statement-breakpoint
ALTER TABLE "median_days" DROP CONSTRAINT "median_days_period_province_code_indicator_id_programme_idpoor_days_pk";--> statement-breakpoint
ALTER TABLE "median_days" ADD COLUMN "district_code" text NOT NULL;--> statement-breakpoint
ALTER TABLE "median_days" ADD CONSTRAINT "median_days_pk" PRIMARY KEY("period","province_code","district_code","indicator_id","programme","idpoor","days");
