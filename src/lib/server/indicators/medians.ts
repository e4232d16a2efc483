/**
 * The median indicators (`shared/domain.md` §5), which cannot be re-aggregated from sums, so
 * each level's median is computed from the records themselves (one pass, GROUPING SETS over
 * the levels):
 *
 * - `processing_days_median`: days from `applied_on` to `decided_on` of the applications
 *   decided (approved or rejected) in the period, per programme and all programmes, by the
 *   household's IDPoor level;
 * - `appeal_days_median`: days from `lodged_on` to `resolved_on` of the appeals closed
 *   (resolved or rejected) in the period.
 *
 * The stored numerator is the number of records the median is taken over; the value is the
 * median (the mean of the two middle values when the count is even); no records, no row.
 */
import { sql, type SQL } from 'drizzle-orm';
import { deleteStored, periodsOf, type ComputeContext } from './context';

export const MEDIAN_INDICATORS = ['processing_days_median', 'appeal_days_median'] as const;

/** The village `v`'s code at each level from the village up. */
const LEVEL_COLUMNS: SQL[] = [
	sql`v.code`,
	sql`v.commune_code`,
	sql`v.district_code`,
	sql`v.province_code`
];

/** Which levels a pass over the records computes: those below the nation, or the nation. */
type Levels = 'below_national' | 'national' | 'all';

/** Every combination of the levels with the optional extra groupings, as GROUPING SETS. */
function groupingSets(extra: SQL[], levels: Levels): SQL {
	const sets: SQL[] = [];
	for (let mask = 0; mask < 1 << extra.length; mask++) {
		const chosen = extra.filter((_, i) => mask & (1 << i));
		if (levels !== 'national') {
			for (const column of LEVEL_COLUMNS)
				sets.push(sql`(${sql.join([...chosen, column], sql`, `)})`);
		}
		if (levels !== 'below_national') sets.push(sql`(${sql.join(chosen, sql`, `)})`);
	}
	return sql`GROUPING SETS (${sql.join(sets, sql`, `)})`;
}

/** The level and unit of a row: a pass over the nation alone groups by no unit. */
function levelAndCode(levels: Levels): SQL {
	if (levels === 'national') return sql`'national', 'KH'`;
	return sql`CASE WHEN GROUPING(v.code) = 0 THEN 'village'
			WHEN GROUPING(v.commune_code) = 0 THEN 'commune'
			WHEN GROUPING(v.district_code) = 0 THEN 'district'
			WHEN GROUPING(v.province_code) = 0 THEN 'province' ELSE 'national' END,
		coalesce(v.code, v.commune_code, v.district_code, v.province_code, 'KH')`;
}

const COLUMNS = sql`(indicator_id, period, level, geo_code, programme, group_by, group_value,
	numerator, value)`;

/**
 * Both medians' rows for `levels`, from the records whose village `v` meets `where` and which
 * close within the periods' span (`first`…`last`, constants, so that the planner sees how few
 * records of a few recent periods are).
 */
function medianRows(context: ComputeContext, levels: Levels, where: SQL): SQL[] {
	const first = context.periods.reduce((d, p) => (p.start < d ? p.start : d), '9999-12-31');
	const last = context.periods.reduce((d, p) => (p.end > d ? p.end : d), '0000-01-01');
	const within = (column: SQL) => sql`${column} BETWEEN ${first}::date AND ${last}::date`;
	return [
		sql`SELECT 'processing_days_median', p.label, ${levelAndCode(levels)},
			CASE WHEN GROUPING(a.programme_code) = 0 THEN a.programme_code ELSE '' END,
			CASE WHEN GROUPING(a.idpoor) = 0 THEN 'idpoor' ELSE '' END, coalesce(a.idpoor, ''),
			count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY a.days)
		FROM (
			SELECT a.programme_code, a.decided_on, a.decided_on - a.applied_on AS days,
				h.village_code, coalesce(h.idpoor_level::text, 'none') AS idpoor
			FROM applications a JOIN households h ON h.household_id = a.household_id
			WHERE a.status IN ('approved', 'rejected') AND ${within(sql`a.decided_on`)}
		) a
		JOIN geo_units v ON v.code = a.village_code
		${periodsOf(sql`a.decided_on`)}
		WHERE ${where}
		GROUP BY p.label, ${groupingSets([sql`a.programme_code`, sql`a.idpoor`], levels)}`,
		sql`SELECT 'appeal_days_median', p.label, ${levelAndCode(levels)}, '', '', '',
			count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY a.resolved_on - a.lodged_on)
		FROM appeals a JOIN geo_units v ON v.code = a.village_code
		${periodsOf(sql`a.resolved_on`)}
		WHERE a.status IN ('resolved', 'rejected') AND ${within(sql`a.resolved_on`)} AND ${where}
		GROUP BY p.label, ${groupingSets([], levels)}`
	];
}

/**
 * Replaces the stored medians for the refresh's periods: at every level, or for an
 * incremental refresh at the villages and communes in scope and the units above them, from
 * the records of their provinces (and the nation's from all records).
 */
export async function computeMedians(context: ComputeContext) {
	const { tx, scoped } = context;
	if (!scoped) {
		for (const rows of medianRows(context, 'all', sql`TRUE`)) {
			await tx.execute(sql`INSERT INTO ${context.store('indicator_values')} ${COLUMNS} ${rows}`);
		}
		return;
	}
	await tx.execute(sql`CREATE TEMP TABLE ix_median_units ON COMMIT DROP AS
		SELECT code FROM ix_scope UNION SELECT code FROM ix_scope_communes
		UNION SELECT unnest(ARRAY[g.district_code, g.province_code, 'KH'])
		FROM geo_units g JOIN ix_scope_communes c ON c.code = g.code`);
	await tx.execute(sql`ANALYZE ix_median_units`);
	await deleteStored(context, MEDIAN_INDICATORS, 'ix_median_units');
	const provinces = sql`v.province_code IN (SELECT g.province_code FROM geo_units g
		WHERE g.code IN (SELECT code FROM ix_scope_communes))`;
	for (const rows of medianRows(context, 'below_national', provinces)) {
		await tx.execute(sql`INSERT INTO indicator_values ${COLUMNS}
			SELECT * FROM (${rows}) r (indicator_id, period, level, geo_code, programme, group_by,
				group_value, numerator, value)
			WHERE r.geo_code IN (SELECT code FROM ix_median_units)`);
	}
	for (const rows of medianRows(context, 'national', sql`TRUE`)) {
		await tx.execute(sql`INSERT INTO indicator_values ${COLUMNS} ${rows}`);
	}
}
