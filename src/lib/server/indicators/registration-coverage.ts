/**
 * `registration_coverage` (`shared/domain.md` §5): households in the registry at the end of
 * the period / households in the population (latest `population` year not after the period).
 *
 * Villages are computed from the records; every higher level re-aggregates its children's
 * numerators and denominators (never an average of rates). A unit's denominator is its own
 * population row when the feed gives one at that level, else the sum of its children's.
 */
import { sql } from 'drizzle-orm';
import type { Period } from '../../indicators/periods';
import type { Db } from '../db';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const INDICATOR_ID = 'registration_coverage';

/** The levels above the village, each rolled up from the level below. */
const ROLL_UP = ['commune', 'district', 'province', 'national'] as const;

function periodsTable(periods: readonly Period[]) {
	const rows = periods.map(
		(p) => sql`(${p.label}::text, ${p.end}::date, ${Number(p.end.slice(0, 4))}::int)`
	);
	return sql`(VALUES ${sql.join(rows, sql`, `)}) AS p(label, end_date, year)`;
}

/** Recomputes the indicator for the given periods, replacing any stored values. */
export async function computeRegistrationCoverage(tx: Tx, periods: readonly Period[]) {
	if (periods.length === 0) return;
	const labels = periods.map((p) => p.label);
	await tx.execute(sql`DELETE FROM indicator_values
		WHERE indicator_id = ${INDICATOR_ID} AND period IN ${labels}`);

	// Population of a unit for a period: its latest row whose year is not after the period's.
	const latestPopulation = sql`(SELECT pop.households FROM population pop
		WHERE pop.geo_code = g.code AND pop.year <= p.year ORDER BY pop.year DESC LIMIT 1)`;

	await tx.execute(sql`INSERT INTO indicator_values
			(indicator_id, period, level, geo_code, numerator, denominator, value)
		SELECT ${INDICATOR_ID}, p.label, 'village', g.code, n.registered, d.households,
			CASE WHEN d.households > 0 THEN n.registered / d.households END
		FROM geo_units g CROSS JOIN ${periodsTable(periods)}
		CROSS JOIN LATERAL (SELECT count(*)::double precision AS registered FROM households h
			WHERE h.village_code = g.code AND h.registered_on <= p.end_date) n
		CROSS JOIN LATERAL (SELECT ${latestPopulation}::double precision AS households) d
		WHERE g.level = 'village'`);

	for (const level of ROLL_UP) {
		await tx.execute(sql`INSERT INTO indicator_values
				(indicator_id, period, level, geo_code, numerator, denominator, value)
			SELECT ${INDICATOR_ID}, c.period, ${level}, g.code, c.numerator,
				coalesce(own.households, c.denominator),
				CASE WHEN coalesce(own.households, c.denominator) > 0
					THEN c.numerator / coalesce(own.households, c.denominator) END
			FROM geo_units g
			CROSS JOIN ${periodsTable(periods)}
			CROSS JOIN LATERAL (SELECT p.label AS period, coalesce(sum(v.numerator), 0) AS numerator,
					sum(v.denominator) AS denominator
				FROM geo_units child JOIN indicator_values v ON v.geo_code = child.code
				WHERE child.parent_code = g.code AND v.indicator_id = ${INDICATOR_ID}
					AND v.period = p.label AND v.programme = '' AND v.group_by = '') c
			CROSS JOIN LATERAL (SELECT ${latestPopulation}::double precision AS households) own
			WHERE g.level = ${level}`);
	}
}
