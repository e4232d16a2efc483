CREATE TABLE "appeals" (
	"appeal_id" text PRIMARY KEY NOT NULL,
	"household_id" text,
	"programme_code" text,
	"village_code" text NOT NULL,
	"lodged_on" date NOT NULL,
	"channel" text NOT NULL,
	"category" text NOT NULL,
	"status" text NOT NULL,
	"resolved_on" date
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"application_id" text PRIMARY KEY NOT NULL,
	"programme_code" text NOT NULL,
	"household_id" text NOT NULL,
	"person_id" text,
	"office_code" text,
	"applied_on" date NOT NULL,
	"status" text NOT NULL,
	"decided_on" date
);
--> statement-breakpoint
CREATE TABLE "benefits" (
	"benefit_id" text PRIMARY KEY NOT NULL,
	"enrolment_id" text NOT NULL,
	"period" text NOT NULL,
	"delivered_on" date NOT NULL,
	"amount_khr" bigint,
	"kind" text
);
--> statement-breakpoint
CREATE TABLE "enrolments" (
	"enrolment_id" text PRIMARY KEY NOT NULL,
	"programme_code" text NOT NULL,
	"household_id" text NOT NULL,
	"person_id" text,
	"enrolled_on" date NOT NULL,
	"exited_on" date
);
--> statement-breakpoint
CREATE TABLE "geo_units" (
	"code" text PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	"province_code" text,
	"district_code" text,
	"commune_code" text,
	"name_en" text NOT NULL,
	"name_km" text NOT NULL,
	"lat" double precision,
	"lon" double precision
);
--> statement-breakpoint
CREATE TABLE "households" (
	"household_id" text PRIMARY KEY NOT NULL,
	"village_code" text NOT NULL,
	"registered_on" date NOT NULL,
	"idpoor_level" smallint,
	"office_code" text,
	CONSTRAINT "households_idpoor_check" CHECK ("households"."idpoor_level" in (1, 2))
);
--> statement-breakpoint
CREATE TABLE "import_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"feed" text NOT NULL,
	"file_name" text NOT NULL,
	"checksum" text NOT NULL,
	"imported_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"rows_read" integer NOT NULL,
	"rows_inserted" integer NOT NULL,
	"rows_updated" integer NOT NULL,
	"rows_unchanged" integer NOT NULL,
	"rows_rejected" integer NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_rejections" (
	"batch_id" integer NOT NULL,
	"row_number" integer NOT NULL,
	"error_column" text NOT NULL,
	"error" text NOT NULL,
	"row" jsonb NOT NULL,
	CONSTRAINT "import_rejections_batch_id_row_number_pk" PRIMARY KEY("batch_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "indicator_values" (
	"indicator_id" text NOT NULL,
	"period" text NOT NULL,
	"level" text NOT NULL,
	"geo_code" text NOT NULL,
	"programme" text DEFAULT '' NOT NULL,
	"group_by" text DEFAULT '' NOT NULL,
	"group_value" text DEFAULT '' NOT NULL,
	"numerator" double precision,
	"denominator" double precision,
	"value" double precision,
	CONSTRAINT "indicator_values_indicator_id_period_geo_code_programme_group_by_group_value_pk" PRIMARY KEY("indicator_id","period","geo_code","programme","group_by","group_value")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"person_id" text PRIMARY KEY NOT NULL,
	"household_id" text NOT NULL,
	"sex" text NOT NULL,
	"birth_date" date NOT NULL,
	"full_name" text,
	"national_id" text,
	"disability" boolean,
	"relationship" text,
	"possible_duplicate" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offices" (
	"office_code" text PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"geo_code" text NOT NULL,
	"opened_on" date NOT NULL,
	"closed_on" date,
	"staff_count" integer,
	"staff_trained" integer
);
--> statement-breakpoint
CREATE TABLE "population" (
	"geo_code" text NOT NULL,
	"year" smallint NOT NULL,
	"households" integer NOT NULL,
	"persons" integer,
	"persons_female" integer,
	"persons_0_17" integer,
	"persons_60_plus" integer,
	CONSTRAINT "population_geo_code_year_pk" PRIMARY KEY("geo_code","year")
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"programme_code" text PRIMARY KEY NOT NULL,
	"name_en" text NOT NULL,
	"name_km" text,
	"ministry" text,
	"kind" text NOT NULL,
	"unit" text NOT NULL,
	"target" text NOT NULL,
	"life_cycle" text
);
--> statement-breakpoint
CREATE TABLE "refresh_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"periods" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_household_id_households_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("household_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_programme_code_programmes_programme_code_fk" FOREIGN KEY ("programme_code") REFERENCES "public"."programmes"("programme_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_village_code_geo_units_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."geo_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_programme_code_programmes_programme_code_fk" FOREIGN KEY ("programme_code") REFERENCES "public"."programmes"("programme_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_household_id_households_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("household_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_person_id_members_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."members"("person_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_office_code_offices_office_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("office_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benefits" ADD CONSTRAINT "benefits_enrolment_id_enrolments_enrolment_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."enrolments"("enrolment_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_programme_code_programmes_programme_code_fk" FOREIGN KEY ("programme_code") REFERENCES "public"."programmes"("programme_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_household_id_households_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("household_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_person_id_members_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."members"("person_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_village_code_geo_units_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."geo_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_office_code_offices_office_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("office_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rejections" ADD CONSTRAINT "import_rejections_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_household_id_households_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("household_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offices" ADD CONSTRAINT "offices_geo_code_geo_units_code_fk" FOREIGN KEY ("geo_code") REFERENCES "public"."geo_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "population" ADD CONSTRAINT "population_geo_code_geo_units_code_fk" FOREIGN KEY ("geo_code") REFERENCES "public"."geo_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appeals_village_idx" ON "appeals" USING btree ("village_code","lodged_on");--> statement-breakpoint
CREATE INDEX "applications_household_idx" ON "applications" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "applications_programme_idx" ON "applications" USING btree ("programme_code","applied_on");--> statement-breakpoint
CREATE INDEX "benefits_enrolment_idx" ON "benefits" USING btree ("enrolment_id","period");--> statement-breakpoint
CREATE INDEX "enrolments_household_idx" ON "enrolments" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "enrolments_programme_idx" ON "enrolments" USING btree ("programme_code","enrolled_on");--> statement-breakpoint
CREATE INDEX "geo_units_parent_idx" ON "geo_units" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "geo_units_level_idx" ON "geo_units" USING btree ("level");--> statement-breakpoint
CREATE INDEX "geo_units_province_idx" ON "geo_units" USING btree ("province_code");--> statement-breakpoint
CREATE INDEX "geo_units_district_idx" ON "geo_units" USING btree ("district_code");--> statement-breakpoint
CREATE INDEX "households_village_idx" ON "households" USING btree ("village_code","registered_on");--> statement-breakpoint
CREATE INDEX "indicator_values_lookup_idx" ON "indicator_values" USING btree ("indicator_id","period","level","programme");--> statement-breakpoint
CREATE INDEX "members_household_idx" ON "members" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "members_national_id_idx" ON "members" USING btree ("national_id");--> statement-breakpoint
CREATE INDEX "offices_geo_idx" ON "offices" USING btree ("geo_code");