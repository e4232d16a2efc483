/**
 * SSDM offices (`shared/domain.md` §3 `offices` feed): how the rollout went, month by month and
 * commune by commune. Offices are public facts about the administration, not personal data, so
 * these aggregates are read straight from the table for the whole rollout, while the stored
 * indicators keep only the recent months (see `refreshPeriods`).
 */
import { sql } from 'drizzle-orm';
import { parsePeriod } from '../../indicators/periods';
import type { OfficesOpenMonth } from '../../indicators/rollout';
import { queryRows, type Db } from '../db';

/**
 * Whether office `o` is open at the end of period `p` (a row with an `end_date`): opened on or
 * before that day and not closed by then; a closure on day d closes the office that day. The
 * one definition behind `offices_open`, `commune_office_coverage` and the rollout view.
 */
export const OPEN_AT_END = sql`o.opened_on <= p.end_date
	AND (o.closed_on IS NULL OR o.closed_on > p.end_date)`;

/**
 * Offices open at the end of every month from the month of the first opening through
 * `throughMonth` (`YYYY-MM`), by level; no rows when no office has opened by then.
 */
export async function officesOpenByMonth(
	db: Db,
	throughMonth: string
): Promise<OfficesOpenMonth[]> {
	const through = parsePeriod(throughMonth);
	if (through?.kind !== 'month') throw new Error(`not a month: ${throughMonth}`);
	return queryRows<OfficesOpenMonth>(
		db,
		sql`WITH p AS (
				SELECT to_char(m, 'YYYY-MM') AS label,
					(m + interval '1 month' - interval '1 day')::date AS end_date
				FROM generate_series(
					(SELECT date_trunc('month', min(opened_on)) FROM offices),
					${through.start}::date, interval '1 month') AS m
			)
			SELECT p.label AS period,
				count(o.office_code) FILTER (WHERE o.level = 'commune_front')::int AS commune_front,
				count(o.office_code) FILTER (WHERE o.level = 'district_back')::int AS district_back,
				count(o.office_code) FILTER (WHERE o.level = 'province_back')::int AS province_back
			FROM p LEFT JOIN offices o ON ${OPEN_AT_END}
			GROUP BY p.label ORDER BY p.label`
	);
}

/**
 * The year each commune of the gazetteer got its first commune front office, counting offices
 * opened on or before `through` (`YYYY-MM-DD`) and those closed since; null for a commune that
 * had none by then. Keyed by commune code, in code order.
 */
export async function firstFrontOfficeYears(
	db: Db,
	through: string
): Promise<Record<string, number | null>> {
	const rows = await queryRows<{ code: string; year: number | null }>(
		db,
		sql`SELECT c.code, extract(year FROM min(o.opened_on))::int AS year
			FROM geo_units c
			LEFT JOIN offices o ON o.geo_code = c.code AND o.level = 'commune_front'
				AND o.opened_on <= ${through}::date
			WHERE c.level = 'commune'
			GROUP BY c.code ORDER BY c.code`
	);
	return Object.fromEntries(rows.map((row) => [row.code, row.year]));
}
