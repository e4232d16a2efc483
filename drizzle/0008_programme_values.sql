CREATE TABLE "programme_values" (
	"period" text NOT NULL,
	"level" text NOT NULL,
	"geo_code" text NOT NULL,
	"programme" text NOT NULL,
	"group_by" text DEFAULT '' NOT NULL,
	"group_value" text DEFAULT '' NOT NULL,
	"e" double precision DEFAULT 0 NOT NULL,
	"en" double precision DEFAULT 0 NOT NULL,
	"n" double precision DEFAULT 0 NOT NULL,
	"n_not_e" double precision DEFAULT 0 NOT NULL,
	"a" double precision DEFAULT 0 NOT NULL,
	"ab" double precision DEFAULT 0 NOT NULL,
	"eb" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "programme_values_period_geo_code_programme_group_by_group_value_pk" PRIMARY KEY("period","geo_code","programme","group_by","group_value")
);
--> statement-breakpoint
-- The programme indicators computed before move to the new table, one row per unit, period,
-- programme and group (a missing indicator row was a zero).
INSERT INTO "programme_values" ("period", "level", "geo_code", "programme", "group_by", "group_value", "e", "en", "n", "n_not_e", "a", "ab", "eb")
SELECT "period", min("level"), "geo_code", "programme", "group_by", "group_value",
	coalesce(max("numerator") FILTER (WHERE "indicator_id" = 'eligible'), 0),
	coalesce(max("numerator") FILTER (WHERE "indicator_id" = 'enrolment_coverage'), 0),
	coalesce(max("denominator") FILTER (WHERE "indicator_id" = 'inclusion_outside_target'), 0),
	coalesce(max("numerator") FILTER (WHERE "indicator_id" = 'inclusion_outside_target'), 0),
	coalesce(max("denominator") FILTER (WHERE "indicator_id" = 'take_up'), 0),
	coalesce(max("numerator") FILTER (WHERE "indicator_id" = 'take_up'), 0),
	coalesce(max("numerator") FILTER (WHERE "indicator_id" = 'effective_coverage'), 0)
FROM "indicator_values"
WHERE "indicator_id" IN ('eligible', 'enrolment_coverage', 'take_up', 'effective_coverage', 'inclusion_outside_target')
GROUP BY "period", "geo_code", "programme", "group_by", "group_value";
--> statement-breakpoint
DELETE FROM "indicator_values"
WHERE "indicator_id" IN ('eligible', 'enrolment_coverage', 'take_up', 'effective_coverage', 'inclusion_outside_target');
