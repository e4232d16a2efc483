/**
 * `registration_coverage` (`shared/domain.md` §5): households in the registry at the end of
 * the period / households in the population (latest `population` year not after the period).
 *
 * Villages are computed from the records; every higher level re-aggregates its children's
 * numerators and denominators (never an average of rates). A unit's denominator is its own
 * population row when the feed gives one at that level, else the sum of its children's.
 */
import { sql } from 'drizzle-orm';
import { byStoreKey, deleteStored, inScope, storedRows, type ComputeContext } from './context';

export const INDICATOR_ID = 'registration_coverage';

/** The levels above the village, each rolled up from the level below. */
const ROLL_UP = ['commune', 'district', 'province', 'national'] as const;

/**
 * Recomputes the indicator for the refresh's periods, replacing any stored values: every
 * unit, or for an incremental refresh the villages in scope and their communes, with the
 * units above the communes moved by their communes' change (the population, which makes the
 * denominators, is a reference feed: changing it refreshes everything).
 */
export async function computeRegistrationCoverage(context: ComputeContext) {
	const { tx, scoped } = context;
	if (scoped) {
		// The communes' numerators before, then their villages and themselves replaced.
		await tx.execute(sql`CREATE TEMP TABLE rc_before ON COMMIT DROP AS
			SELECT v.period, v.geo_code, v.numerator FROM ${stored('ix_scope_communes', 'commune')}`);
		await deleteStored(context, [INDICATOR_ID], 'ix_scope_units');
	}

	// Each unit's population for each period: its latest row whose year is not after the
	// period's. Set-based (one pass per statement): per-unit subqueries are quadratic here.
	await tx.execute(sql`CREATE TEMP TABLE period_population ON COMMIT DROP AS
		SELECT DISTINCT ON (p.label, pop.geo_code) p.label AS period, pop.geo_code,
			pop.households::double precision AS households
		FROM population pop JOIN ix_periods p
			ON pop.year <= extract(year FROM p.end_date)
		ORDER BY p.label, pop.geo_code, pop.year DESC`);
	await tx.execute(sql`CREATE INDEX ON period_population (geo_code, period)`);

	const store = context.store('indicator_values');
	await tx.execute(sql`INSERT INTO ${store}
			(indicator_id, period, level, geo_code, numerator, denominator, value)
		SELECT ${INDICATOR_ID}, p.label, 'village', g.code, coalesce(r.n, 0), pp.households,
			CASE WHEN pp.households > 0 THEN coalesce(r.n, 0) / pp.households END
		FROM geo_units g CROSS JOIN ix_periods p
		LEFT JOIN ix_registered r ON r.village_code = g.code AND r.period = p.label
		LEFT JOIN period_population pp ON pp.geo_code = g.code AND pp.period = p.label
		WHERE g.level = 'village' AND ${inScope(context, sql`g.code`)}`);

	for (const [i, level] of ROLL_UP.entries()) {
		if (scoped && level !== 'commune') break;
		const childLevel = i === 0 ? 'village' : ROLL_UP[i - 1]!;
		await tx.execute(sql`INSERT INTO ${store}
				(indicator_id, period, level, geo_code, numerator, denominator, value)
			WITH children AS (
				SELECT v.period, child.parent_code AS code, sum(v.numerator) AS numerator,
					sum(v.denominator) AS denominator
				FROM ${scoped ? stored('ix_scope', 'village') : sql`${store} v`}
				JOIN geo_units child ON child.code = v.geo_code
				${
					scoped
						? sql``
						: sql`WHERE v.indicator_id = ${INDICATOR_ID} AND v.level = ${childLevel}
							AND v.period IN (SELECT label FROM ix_periods)`
				}
				GROUP BY 1, 2
			)
			SELECT ${INDICATOR_ID}, p.label, ${level}, g.code, coalesce(c.numerator, 0),
				coalesce(own.households, c.denominator),
				CASE WHEN coalesce(own.households, c.denominator) > 0
					THEN coalesce(c.numerator, 0) / coalesce(own.households, c.denominator) END
			FROM geo_units g CROSS JOIN ix_periods p
			LEFT JOIN children c ON c.code = g.code AND c.period = p.label
			LEFT JOIN period_population own ON own.geo_code = g.code AND own.period = p.label
			WHERE g.level = ${level}
				${scoped ? sql`AND g.code IN (SELECT code FROM ix_scope_communes)` : sql``}`);
	}
	if (!scoped) return;

	// Every unit above the communes in scope: its numerator moves by theirs (sums of whole
	// numbers, exact); its denominator stays.
	await byStoreKey(tx, () =>
		tx.execute(sql`WITH delta AS (
				SELECT v.period, v.geo_code, v.numerator - coalesce(b.numerator, 0) AS change
				FROM ${stored('ix_scope_communes', 'commune')}
				LEFT JOIN rc_before b ON b.period = v.period AND b.geo_code = v.geo_code
			), up AS (
				SELECT d.period, a.code, sum(d.change) AS change
				FROM delta d JOIN geo_units g ON g.code = d.geo_code
				CROSS JOIN LATERAL (VALUES (g.district_code), (g.province_code), ('KH')) a (code)
				GROUP BY 1, 2
			)
			UPDATE indicator_values v SET numerator = v.numerator + up.change,
				value = CASE WHEN v.denominator > 0 THEN (v.numerator + up.change) / v.denominator END
			FROM up WHERE v.indicator_id = ${INDICATOR_ID} AND v.period = up.period
				AND v.geo_code = up.code AND up.change <> 0`)
	);
}

/** The stored rows `v` of a scope table's units at a level, looked up by key. */
const stored = (scope: string, level: 'village' | 'commune') =>
	storedRows([INDICATOR_ID], scope, level);
