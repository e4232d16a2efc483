/**
 * The median indicators (`shared/domain.md` §5), which cannot be re-aggregated from sums, so
 * each level's median is computed from the records themselves (one pass, GROUPING SETS over
 * the levels below the nation), the nation's from how many records took each number of days
 * in each province (`median_days`, kept between refreshes: an incremental refresh recounts
 * the provinces it touches, not the whole country):
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
import { queryRows } from '../db';
import { deleteStored, periodsOf, type ComputeContext } from './context';

export const MEDIAN_INDICATORS = ['processing_days_median', 'appeal_days_median'] as const;

/** The village `v`'s code at each level from the village up. */
const LEVEL_COLUMNS: SQL[] = [
	sql`v.code`,
	sql`v.commune_code`,
	sql`v.district_code`,
	sql`v.province_code`
];

/**
 * Every combination of the levels below the nation with the optional extra groupings, as
 * GROUPING SETS (the nation's medians come from `median_days`).
 */
function groupingSets(extra: SQL[]): SQL {
	const sets: SQL[] = [];
	for (let mask = 0; mask < 1 << extra.length; mask++) {
		const chosen = extra.filter((_, i) => mask & (1 << i));
		for (const column of LEVEL_COLUMNS) sets.push(sql`(${sql.join([...chosen, column], sql`, `)})`);
	}
	return sql`GROUPING SETS (${sql.join(sets, sql`, `)})`;
}

const COLUMNS = sql`(indicator_id, period, level, geo_code, programme, group_by, group_value,
	numerator, value)`;

/**
 * The records the medians are taken over that meet `where` (over the record's village `v`),
 * into `ix_median_records`: one row per record and refreshed period in which it closed, with
 * its days, village, province, programme and IDPoor level (`''` for appeals).
 * The records are those closing within the periods' span (`first`…`last`, constants, so that
 * the planner sees how few records of a few recent periods are).
 */
async function collectRecords(context: ComputeContext, where: SQL) {
	const first = context.periods.reduce((d, p) => (p.start < d ? p.start : d), '9999-12-31');
	const last = context.periods.reduce((d, p) => (p.end > d ? p.end : d), '0000-01-01');
	const within = (column: SQL) => sql`${column} BETWEEN ${first}::date AND ${last}::date`;
	await context.tx.execute(sql`CREATE TEMP TABLE ix_median_records ON COMMIT DROP AS
		SELECT 'processing_days_median' AS indicator_id, p.label AS period, a.village_code,
			v.province_code, a.programme_code AS programme, a.idpoor, a.days
		FROM (
			SELECT a.programme_code, a.decided_on, a.decided_on - a.applied_on AS days,
				h.village_code, coalesce(h.idpoor_level::text, 'none') AS idpoor
			FROM applications a JOIN households h ON h.household_id = a.household_id
			WHERE a.status IN ('approved', 'rejected') AND ${within(sql`a.decided_on`)}
		) a
		JOIN geo_units v ON v.code = a.village_code
		${periodsOf(sql`a.decided_on`)}
		WHERE ${where}
		UNION ALL
		SELECT 'appeal_days_median', p.label, a.village_code, v.province_code, '', '',
			a.resolved_on - a.lodged_on
		FROM appeals a JOIN geo_units v ON v.code = a.village_code
		${periodsOf(sql`a.resolved_on`)}
		WHERE a.status IN ('resolved', 'rejected') AND ${within(sql`a.resolved_on`)} AND ${where}`);
	await context.tx.execute(sql`ANALYZE ix_median_records`);
}

/**
 * Both medians' rows at every level below the nation, from the records of `ix_median_records`
 * whose village `v` meets `where`.
 */
function medianRows(where: SQL): SQL[] {
	const levels = sql`CASE WHEN GROUPING(v.code) = 0 THEN 'village'
			WHEN GROUPING(v.commune_code) = 0 THEN 'commune'
			WHEN GROUPING(v.district_code) = 0 THEN 'district' ELSE 'province' END,
		coalesce(v.code, v.commune_code, v.district_code, v.province_code)`;
	const records = (indicator: string) => sql`FROM ix_median_records r
		JOIN geo_units v ON v.code = r.village_code
		WHERE r.indicator_id = ${indicator} AND ${where}`;
	return [
		sql`SELECT 'processing_days_median', r.period, ${levels},
			CASE WHEN GROUPING(r.programme) = 0 THEN r.programme ELSE '' END,
			CASE WHEN GROUPING(r.idpoor) = 0 THEN 'idpoor' ELSE '' END,
			CASE WHEN GROUPING(r.idpoor) = 0 THEN r.idpoor ELSE '' END,
			count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY r.days)
		${records('processing_days_median')}
		GROUP BY r.period, ${groupingSets([sql`r.programme`, sql`r.idpoor`])}`,
		sql`SELECT 'appeal_days_median', r.period, ${levels}, '', '', '',
			count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY r.days)
		${records('appeal_days_median')}
		GROUP BY r.period, ${groupingSets([])}`
	];
}

/**
 * Replaces the refreshed periods' `median_days` of the provinces meeting `provinces` (over
 * `province_code`) with the counts of `ix_median_records`, which holds their records; the
 * periods are then counted.
 */
async function countDays(context: ComputeContext, provinces: SQL) {
	const { tx } = context;
	await tx.execute(sql`DELETE FROM median_days
		WHERE period IN (SELECT label FROM ix_periods) AND ${provinces}`);
	await tx.execute(sql`INSERT INTO median_days (indicator_id, period, province_code, programme,
			idpoor, days, n)
		SELECT indicator_id, period, province_code, programme, idpoor, days, count(*)
		FROM ix_median_records GROUP BY 1, 2, 3, 4, 5, 6`);
	await tx.execute(sql`INSERT INTO median_days_periods (period)
		SELECT label FROM ix_periods ON CONFLICT DO NOTHING`);
}

/**
 * The nation's medians for the refreshed periods from the provinces' `median_days` summed:
 * the median of N records is the mean of the values at the positions ⌊(N−1)/2⌋ and ⌊N/2⌋
 * (from 0) in their order, each the fewest days whose running count passes the position.
 */
async function insertNationalMedians(context: ComputeContext) {
	await context.tx.execute(sql`INSERT INTO ${context.store('indicator_values')} ${COLUMNS}
		SELECT indicator_id, period, 'national', 'KH', programme, group_by, group_value, total,
			(min(days) FILTER (WHERE below + n > (total - 1) / 2)
				+ min(days) FILTER (WHERE below + n > total / 2)) / 2.0
		FROM (
			SELECT *, sum(n) OVER (PARTITION BY indicator_id, period, programme, group_by,
					group_value ORDER BY days) - n AS below,
				sum(n) OVER (PARTITION BY indicator_id, period, programme, group_by,
					group_value) AS total
			FROM (
				SELECT indicator_id, period, days,
					CASE WHEN GROUPING(programme) = 0 THEN programme ELSE '' END AS programme,
					CASE WHEN GROUPING(idpoor) = 0 THEN 'idpoor' ELSE '' END AS group_by,
					CASE WHEN GROUPING(idpoor) = 0 THEN idpoor ELSE '' END AS group_value,
					sum(n) AS n
				FROM median_days WHERE period IN (SELECT label FROM ix_periods)
				GROUP BY indicator_id, period, days,
					GROUPING SETS ((), (programme), (idpoor), (programme, idpoor))
				-- Appeals have neither programme nor IDPoor level.
				HAVING indicator_id = 'processing_days_median' OR GROUPING(programme, idpoor) = 3
			) h
		) c
		GROUP BY indicator_id, period, programme, group_by, group_value, total`);
}

/**
 * Replaces the stored medians for the refreshed periods: at every level, or for an
 * incremental refresh at the villages and communes in scope and the units above them, from
 * the records of their provinces; the nation's from every province's `median_days`, of which
 * an incremental refresh recounts those in scope (and every province's once, when a refreshed
 * period's were never counted: a store computed before they were kept).
 */
export async function computeMedians(context: ComputeContext) {
	const { tx, scoped } = context;
	// A full refresh counts every province; an incremental one too for a period never counted.
	const uncounted = scoped
		? await queryRows(
				tx,
				sql`SELECT label FROM ix_periods
					WHERE label NOT IN (SELECT period FROM median_days_periods) LIMIT 1`
			)
		: [];
	const everywhere = !scoped || uncounted.length > 0;
	// The provinces in scope as constants: a condition reading a temporary table would keep
	// the records' statement from parallel workers (0.6 s instead of 1.3 s at national scale).
	const inScope = scoped
		? await queryRows<{ code: string }>(
				tx,
				sql`SELECT DISTINCT province_code AS code FROM geo_units
					WHERE code IN (SELECT code FROM ix_scope_communes)`
			)
		: [];
	const provinces = (column: SQL) =>
		scoped ? sql`${column} = ANY (${sql.param(inScope.map((p) => p.code))}::text[])` : sql`TRUE`;
	await collectRecords(context, everywhere ? sql`TRUE` : provinces(sql`v.province_code`));
	if (!scoped) {
		for (const rows of medianRows(sql`TRUE`)) {
			await tx.execute(sql`INSERT INTO ${context.store('indicator_values')} ${COLUMNS} ${rows}`);
		}
	} else {
		await tx.execute(sql`CREATE TEMP TABLE ix_median_units ON COMMIT DROP AS
			SELECT code FROM ix_scope UNION SELECT code FROM ix_scope_communes
			UNION SELECT unnest(ARRAY[g.district_code, g.province_code, 'KH'])
			FROM geo_units g JOIN ix_scope_communes c ON c.code = g.code`);
		await tx.execute(sql`ANALYZE ix_median_units`);
		await deleteStored(context, MEDIAN_INDICATORS, 'ix_median_units');
		for (const rows of medianRows(provinces(sql`v.province_code`))) {
			await tx.execute(sql`INSERT INTO indicator_values ${COLUMNS}
				SELECT * FROM (${rows}) r (indicator_id, period, level, geo_code, programme, group_by,
					group_value, numerator, value)
				WHERE r.geo_code IN (SELECT code FROM ix_median_units)`);
		}
	}
	await countDays(context, everywhere ? sql`TRUE` : provinces(sql`province_code`));
	await insertNationalMedians(context);
}
