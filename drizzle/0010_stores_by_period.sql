-- The stored values, one partition per period (`indicator_values_2026_11`, `…_2026_q3`,
-- `…_2026`; see `src/lib/server/indicators/partitions.ts`): a full refresh writes each refreshed
-- period's rows into a new table and swaps it in for the old one, instead of deleting and
-- rewriting millions of rows under the key's index. A default partition holds the rows of any
-- period without its own (none, in practice).
ALTER TABLE "indicator_values" RENAME TO "indicator_values_unpartitioned";--> statement-breakpoint
ALTER TABLE "indicator_values_unpartitioned" RENAME CONSTRAINT "indicator_values_indicator_id_period_geo_code_programme_group_by_group_value_pk" TO "indicator_values_unpartitioned_pk";--> statement-breakpoint
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
) PARTITION BY LIST ("period");--> statement-breakpoint
ALTER TABLE "programme_values" RENAME TO "programme_values_unpartitioned";--> statement-breakpoint
ALTER TABLE "programme_values_unpartitioned" RENAME CONSTRAINT "programme_values_period_geo_code_programme_group_by_group_value_pk" TO "programme_values_unpartitioned_pk";--> statement-breakpoint
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
) PARTITION BY LIST ("period");--> statement-breakpoint
CREATE TABLE "indicator_values_default" PARTITION OF "indicator_values" DEFAULT;--> statement-breakpoint
CREATE TABLE "programme_values_default" PARTITION OF "programme_values" DEFAULT;--> statement-breakpoint
DO $$
DECLARE
	store text;
	label text;
BEGIN
	FOREACH store IN ARRAY ARRAY['indicator_values', 'programme_values'] LOOP
		FOR label IN EXECUTE format('SELECT DISTINCT period FROM %I', store || '_unpartitioned') LOOP
			EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L)',
				store || '_' || lower(replace(label, '-', '_')), store, label);
		END LOOP;
		EXECUTE format('INSERT INTO %I SELECT * FROM %I', store, store || '_unpartitioned');
		EXECUTE format('DROP TABLE %I', store || '_unpartitioned');
	END LOOP;
END
$$;
--> statement-breakpoint
-- Statistics of the new partitions, for the incremental refreshes' look-ups by key.
ANALYZE "indicator_values";--> statement-breakpoint
ANALYZE "programme_values";
