/**
 * `registration_coverage` (`shared/domain.md` §5): households in the registry at the end of
 * the period / households in the population (latest `population` year not after the period).
 *
 * Villages are computed from the records; every higher level re-aggregates its children's
 * numerators and denominators (never an average of rates). A unit's denominator is its own
 * population row when the feed gives one at that level, else the sum of its children's.
 */
import { sql } from 'drizzle-orm';
import { inScope, type ComputeContext } from './context';

export const INDICATOR_ID = 'registration_coverage';

/** The levels above the village, each rolled up from the level below. */
const ROLL_UP = ['commune', 'district', 'province', 'national'] as const;

/**
 * Recomputes the indicator for the refresh's periods, replacing any stored values: every unit,
 * or for an incremental refresh the villages in scope and their communes, and every unit above
 * communes (few, summed from the communes' stored rows).
 */
export async function computeRegistrationCoverage(context: ComputeContext) {
	const { tx, scoped } = context;
	const villages = scoped ? sql`AND g.code IN (SELECT code FROM ix_scope)` : sql``;
	const communes = scoped ? sql`AND g.code IN (SELECT code FROM ix_scope_communes)` : sql``;
	await tx.execute(sql`DELETE FROM indicator_values
		WHERE indicator_id = ${INDICATOR_ID} AND period IN (SELECT label FROM ix_periods)
			${
				scoped
					? sql`AND (level IN ('district', 'province', 'national')
						OR geo_code IN (SELECT code FROM ix_scope)
						OR geo_code IN (SELECT code FROM ix_scope_communes))`
					: sql``
			}`);

	// Each unit's population for each period: its latest row whose year is not after the
	// period's. Set-based (one pass per statement): per-unit subqueries are quadratic here.
	await tx.execute(sql`CREATE TEMP TABLE period_population ON COMMIT DROP AS
		SELECT DISTINCT ON (p.label, pop.geo_code) p.label AS period, pop.geo_code,
			pop.households::double precision AS households
		FROM population pop JOIN ix_periods p
			ON pop.year <= extract(year FROM p.end_date)
		ORDER BY p.label, pop.geo_code, pop.year DESC`);
	await tx.execute(sql`CREATE INDEX ON period_population (geo_code, period)`);

	// Households registered per village and month, then summed up to each period's end.
	await tx.execute(sql`INSERT INTO indicator_values
			(indicator_id, period, level, geo_code, numerator, denominator, value)
		WITH monthly AS (
			SELECT village_code, date_trunc('month', registered_on)::date AS month, count(*) AS n
			FROM households WHERE ${inScope(context, sql`village_code`)} GROUP BY 1, 2
		), registered AS (
			SELECT p.label AS period, m.village_code, sum(m.n)::double precision AS n
			FROM monthly m JOIN ix_periods p ON m.month <= p.end_date
			GROUP BY 1, 2
		)
		SELECT ${INDICATOR_ID}, p.label, 'village', g.code, coalesce(r.n, 0), pp.households,
			CASE WHEN pp.households > 0 THEN coalesce(r.n, 0) / pp.households END
		FROM geo_units g CROSS JOIN ix_periods p
		LEFT JOIN registered r ON r.village_code = g.code AND r.period = p.label
		LEFT JOIN period_population pp ON pp.geo_code = g.code AND pp.period = p.label
		WHERE g.level = 'village' ${villages}`);

	for (const [i, level] of ROLL_UP.entries()) {
		const childLevel = i === 0 ? 'village' : ROLL_UP[i - 1]!;
		// Communes in scope from their villages (all in scope); every unit above from its children.
		const only = level === 'commune' ? communes : sql``;
		const children =
			level === 'commune' && scoped ? sql`AND v.geo_code IN (SELECT code FROM ix_scope)` : sql``;
		await tx.execute(sql`INSERT INTO indicator_values
				(indicator_id, period, level, geo_code, numerator, denominator, value)
			WITH children AS (
				SELECT v.period, child.parent_code AS code, sum(v.numerator) AS numerator,
					sum(v.denominator) AS denominator
				FROM indicator_values v JOIN geo_units child ON child.code = v.geo_code
				WHERE v.indicator_id = ${INDICATOR_ID} AND v.level = ${childLevel}
					AND v.period IN (SELECT label FROM ix_periods) AND v.programme = '' AND v.group_by = ''
					${children}
				GROUP BY 1, 2
			)
			SELECT ${INDICATOR_ID}, p.label, ${level}, g.code, coalesce(c.numerator, 0),
				coalesce(own.households, c.denominator),
				CASE WHEN coalesce(own.households, c.denominator) > 0
					THEN coalesce(c.numerator, 0) / coalesce(own.households, c.denominator) END
			FROM geo_units g CROSS JOIN ix_periods p
			LEFT JOIN children c ON c.code = g.code AND c.period = p.label
			LEFT JOIN period_population own ON own.geo_code = g.code AND own.period = p.label
			WHERE g.level = ${level} ${only}`);
	}
}
