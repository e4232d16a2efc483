/**
 * The median indicators (`shared/domain.md` §5), which cannot be re-aggregated from sums, so
 * each median is taken over the records themselves: at villages, communes and districts from
 * the records (one pass, GROUPING SETS over the three levels), at provinces and the nation from
 * how many records took each number of days in each district, summed per province and for the
 * nation (`median_days`, kept between refreshes: an incremental refresh recounts the districts
 * it touches and moves their provinces' and the nation's counts by the change, without reading
 * every record of their provinces or of the country, or every province's counts):
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
import { queryRows, type Tx } from '../db';
import {
	among,
	deleteStored,
	insertRows,
	periodsOf,
	withoutPlans,
	type ComputeContext
} from './context';

export const MEDIAN_INDICATORS = ['processing_days_median', 'appeal_days_median'] as const;
export type MedianIndicator = (typeof MEDIAN_INDICATORS)[number];

/** The village `v`'s code at each level counted from the records: village, commune, district. */
const LEVEL_COLUMNS: SQL[] = [sql`v.code`, sql`v.commune_code`, sql`v.district_code`];

/**
 * Every combination of the levels below the provinces with the optional extra groupings, as
 * GROUPING SETS (the provinces' and the nation's medians come from `median_days`).
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

/** Some districts and their provinces (an incremental refresh's), by code. */
interface Districts {
	districts: string[];
	provinces: string[];
}

/** `column` among `codes`, a constant array (which the planner can look up by index). */
const amongCodes = (column: SQL, codes: readonly string[]) =>
	sql`${column} = ANY (${sql.param([...codes])}::text[])`;

/** The refreshed periods, as a condition on `period` (an array, looked up by index). */
const REFRESHED = among(sql`period`, sql`SELECT label FROM ix_periods`);

/**
 * The records the medians are taken over, of `scope`'s districts or everywhere, into
 * `ix_median_records`: one row per record and refreshed period in which it closed, with
 * its days, village, district, province, programme and IDPoor level (`''` for appeals).
 * The records are those closing within the periods' span (`first`…`last`, constants, so that
 * the planner sees how few records of a few recent periods are); a district's are found by
 * its villages in the indexes of applications, households and appeals (each keeps its village,
 * see `applications.village_code`), not by reading every record.
 */
async function collectRecords(
	context: ComputeContext,
	indicators: readonly MedianIndicator[],
	scope?: Districts
) {
	const first = context.periods.reduce((d, p) => (p.start < d ? p.start : d), '9999-12-31');
	const last = context.periods.reduce((d, p) => (p.end > d ? p.end : d), '0000-01-01');
	const within = (column: SQL) => sql`${column} BETWEEN ${first}::date AND ${last}::date`;
	const villages = (column: SQL) =>
		scope
			? among(
					column,
					sql`SELECT code FROM geo_units
						WHERE level = 'village' AND ${amongCodes(sql`district_code`, scope.districts)}`
				)
			: sql`TRUE`;
	const records: Record<MedianIndicator, SQL> = {
		processing_days_median: sql`SELECT 'processing_days_median' AS indicator_id, p.label AS period,
			a.village_code, v.district_code, v.province_code, a.programme_code AS programme, a.idpoor,
			a.days
		FROM (
			SELECT a.programme_code, a.decided_on, a.decided_on - a.applied_on AS days,
				h.village_code, coalesce(h.idpoor_level::text, 'none') AS idpoor
			FROM applications a JOIN households h ON h.household_id = a.household_id
			WHERE a.status IN ('approved', 'rejected') AND ${within(sql`a.decided_on`)}
				-- Each side from one range of its index by village (an application keeps its
				-- household's village), then joined.
				AND ${villages(sql`a.village_code`)} AND ${villages(sql`h.village_code`)}
		) a
		JOIN geo_units v ON v.code = a.village_code
		${periodsOf(sql`a.decided_on`)}`,
		appeal_days_median: sql`SELECT 'appeal_days_median' AS indicator_id, p.label AS period,
			a.village_code, v.district_code, v.province_code, '' AS programme, '' AS idpoor,
			a.resolved_on - a.lodged_on AS days
		FROM appeals a JOIN geo_units v ON v.code = a.village_code
		${periodsOf(sql`a.resolved_on`)}
		WHERE a.status IN ('resolved', 'rejected') AND ${within(sql`a.resolved_on`)}
			AND ${villages(sql`a.village_code`)}`
	};
	const collect = () =>
		context.tx.execute(sql`CREATE TEMP TABLE ix_median_records ON COMMIT DROP AS
			${sql.join(
				indicators.map((id) => records[id]),
				sql` UNION ALL `
			)}`);
	// A few districts' records: the planner, which cannot tell how few villages the arrays hold,
	// expects a handful of records and would look each one's periods up in a loop, building
	// the same small hash table each time (at national scale 65 ms of 130); hashed once instead.
	if (scope) await withoutPlans(context.tx, ['enable_nestloop'], collect);
	else await collect();
	await context.tx.execute(sql`ANALYZE ix_median_records`);
}

/**
 * The medians' rows (of `indicators`) at villages, communes and districts, from the records of
 * `ix_median_records` whose village `v` meets `where`.
 */
function medianRows(indicators: readonly MedianIndicator[], where: SQL): SQL[] {
	const levels = sql`CASE WHEN GROUPING(v.code) = 0 THEN 'village'
			WHEN GROUPING(v.commune_code) = 0 THEN 'commune' ELSE 'district' END,
		coalesce(v.code, v.commune_code, v.district_code)`;
	const records = (indicator: string) => sql`FROM ix_median_records r
		JOIN geo_units v ON v.code = r.village_code
		WHERE r.indicator_id = ${indicator} AND ${where}`;
	const rows: Record<MedianIndicator, SQL> = {
		processing_days_median: sql`SELECT 'processing_days_median', r.period, ${levels},
			CASE WHEN GROUPING(r.programme) = 0 THEN r.programme ELSE '' END,
			CASE WHEN GROUPING(r.idpoor) = 0 THEN 'idpoor' ELSE '' END,
			CASE WHEN GROUPING(r.idpoor) = 0 THEN r.idpoor ELSE '' END,
			count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY r.days)
		${records('processing_days_median')}
		GROUP BY r.period, ${groupingSets([sql`r.programme`, sql`r.idpoor`])}`,
		appeal_days_median: sql`SELECT 'appeal_days_median', r.period, ${levels}, '', '', '',
			count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY r.days)
		${records('appeal_days_median')}
		GROUP BY r.period, ${groupingSets([])}`
	};
	return indicators.map((id) => rows[id]);
}

/** The columns of `median_days`, in the order its rows are written below. */
const DAYS_COLUMNS = sql`(indicator_id, period, province_code, district_code, programme, idpoor,
	days, n)`;
/** A count's columns but its province, district and number. */
const DAYS_KEY = sql`indicator_id, period, programme, idpoor, days`;

/**
 * Replaces the refreshed periods' `median_days` of `scope`'s districts (or every district's)
 * with the counts of `ix_median_records`, which holds their records (of `indicators`), and
 * their provinces' and the nation's (`''`) sums: summed again from every district in a full
 * count (without `scope`, of every indicator), moved by the districts' change otherwise. The
 * periods are then counted.
 */
async function countDays(
	context: ComputeContext,
	indicators: readonly MedianIndicator[],
	scope?: Districts
) {
	const { tx } = context;
	// A few districts' counts by their key, whose province comes before the district (without it
	// the index was read through every province's counts of each period: at national scale
	// 90 ms instead of a few).
	const recounted = sql`${REFRESHED} AND district_code <> ''
		${scope ? sql`AND ${amongCodes(sql`province_code`, scope.provinces)} AND ${amongCodes(sql`district_code`, scope.districts)} AND ${amongCodes(sql`indicator_id`, indicators)}` : sql``}`;
	const counted = sql`SELECT indicator_id, period, province_code, district_code, programme,
		idpoor, days, count(*)::int AS n
		FROM ix_median_records GROUP BY 1, 2, 3, 4, 5, 6, 7`;
	if (scope) {
		// What the districts' counts change, per province: the new minus the old, deleted in the
		// same statement (nothing where they are the same).
		await tx.execute(sql`CREATE TEMP TABLE ix_days_change ON COMMIT DROP AS
			SELECT province_code, ${DAYS_KEY}, n FROM median_days WITH NO DATA`);
		await tx.execute(sql`WITH old AS (
				DELETE FROM median_days WHERE ${recounted} RETURNING province_code, ${DAYS_KEY}, n
			)
			INSERT INTO ix_days_change
			SELECT province_code, ${DAYS_KEY}, sum(n)::int
			FROM (
				SELECT province_code, ${DAYS_KEY}, -n AS n FROM old
				UNION ALL SELECT province_code, ${DAYS_KEY}, n FROM (${counted}) c
			) c
			GROUP BY province_code, ${DAYS_KEY} HAVING sum(n) <> 0`);
	} else await tx.execute(sql`DELETE FROM median_days WHERE ${recounted}`);
	await tx.execute(sql`INSERT INTO median_days ${DAYS_COLUMNS} ${counted}`);
	if (scope) {
		// Each key once per statement (a province's, then the nation's): added to its count, or
		// written when there is none; a count that falls to zero is no row.
		const moved = sql`ON CONFLICT (period, province_code, district_code, indicator_id,
			programme, idpoor, days) DO UPDATE SET n = median_days.n + excluded.n`;
		await tx.execute(sql`INSERT INTO median_days ${DAYS_COLUMNS}
			SELECT indicator_id, period, province_code, '', programme, idpoor, days, n
			FROM ix_days_change ${moved}`);
		await tx.execute(sql`INSERT INTO median_days ${DAYS_COLUMNS}
			SELECT indicator_id, period, '', '', programme, idpoor, days, sum(n)::int
			FROM ix_days_change GROUP BY ${DAYS_KEY} ${moved}`);
		await tx.execute(sql`DELETE FROM median_days WHERE ${REFRESHED} AND district_code = ''
			AND ${amongCodes(sql`province_code`, ['', ...scope.provinces])} AND n = 0`);
	} else {
		await tx.execute(sql`DELETE FROM median_days WHERE ${REFRESHED} AND district_code = ''`);
		await tx.execute(sql`INSERT INTO median_days ${DAYS_COLUMNS}
			SELECT indicator_id, period, province_code, '', programme, idpoor, days, sum(n)::int
			FROM median_days WHERE ${REFRESHED} AND district_code <> ''
			GROUP BY province_code, ${DAYS_KEY}`);
		await tx.execute(sql`INSERT INTO median_days ${DAYS_COLUMNS}
			SELECT indicator_id, period, '', '', programme, idpoor, days, sum(n)::int
			FROM median_days WHERE ${REFRESHED} AND district_code = '' AND province_code <> ''
			GROUP BY ${DAYS_KEY}`);
	}
	await tx.execute(sql`INSERT INTO median_days_periods (period)
		SELECT label FROM ix_periods ON CONFLICT DO NOTHING`);
	// Every district's counts rewritten: their statistics too, so that an incremental refresh
	// right after looks a few districts' rows up by key (with the statistics of before, the
	// planner read all of them: 0.5 s instead of 5 ms at national scale).
	if (!scope) await tx.execute(sql`ANALYZE median_days`);
}

/**
 * The medians of the refreshed periods of `provinces` (all if not given), or of the nation,
 * from their counts in `median_days`: the median of N records is the mean of the values at
 * the positions ⌊(N−1)/2⌋ and ⌊N/2⌋ (from 0) in their order, each the fewest days whose running
 * count passes the position. Written into `target`.
 */
async function insertCountedMedians(
	context: ComputeContext,
	target: SQL,
	indicators: readonly MedianIndicator[],
	level: 'province' | 'national',
	provinces?: readonly string[]
) {
	const province = level === 'province';
	const geo = province ? sql`province_code` : sql`'KH'`;
	// The provinces' (of those asked for) or the nation's counts (at national scale, for 28
	// periods, 7,600 rows, where summing the provinces' 125,000 took 125 ms of an incremental
	// refresh).
	const whose = !province
		? sql`province_code = ''`
		: provinces
			? amongCodes(sql`province_code`, provinces)
			: sql`province_code <> ''`;
	const source = sql`SELECT indicator_id, period, province_code, programme, idpoor, days, n
		FROM median_days
		WHERE ${REFRESHED} AND ${amongCodes(sql`indicator_id`, indicators)} AND district_code = ''
			AND ${whose}`;
	const row = sql`indicator_id, period, geo_code, programme, group_by, group_value`;
	await context.tx.execute(sql`INSERT INTO ${target} ${COLUMNS}
		SELECT indicator_id, period, ${level}, geo_code, programme, group_by, group_value, total,
			(min(days) FILTER (WHERE below + n > (total - 1) / 2)
				+ min(days) FILTER (WHERE below + n > total / 2)) / 2.0
		FROM (
			SELECT *, sum(n) OVER (PARTITION BY ${row} ORDER BY days) - n AS below,
				sum(n) OVER (PARTITION BY ${row}) AS total
			FROM (
				SELECT indicator_id, period, ${geo} AS geo_code, days,
					CASE WHEN GROUPING(programme) = 0 THEN programme ELSE '' END AS programme,
					CASE WHEN GROUPING(idpoor) = 0 THEN 'idpoor' ELSE '' END AS group_by,
					CASE WHEN GROUPING(idpoor) = 0 THEN idpoor ELSE '' END AS group_value,
					sum(n) AS n
				FROM (${source}) m
				GROUP BY indicator_id, period, ${province ? sql`province_code, ` : sql``}days,
					GROUPING SETS ((), (programme), (idpoor), (programme, idpoor))
				-- Appeals have neither programme nor IDPoor level.
				HAVING indicator_id = 'processing_days_median' OR GROUPING(programme, idpoor) = 3
			) h
		) c
		GROUP BY ${row}, total`);
}

/**
 * The medians of the refreshed periods: at every level into the store (a full refresh), or for
 * an incremental refresh at the villages, communes, districts and provinces in scope and the
 * nation into `ix_median_values`, which `storeScopedMedians` then puts in place of the stored
 * ones. Villages, communes and districts from the records of their districts; provinces and the
 * nation from `median_days`, of which an incremental refresh recounts the districts in scope
 * and moves their provinces' and the nation's counts (every district's once, when a refreshed
 * period's were never counted: a store computed before they were kept). An incremental
 * refresh recomputes only the medians its import can change (`touched`, see `Touch`), every
 * one when it counts every district. Returns the median indicators computed.
 */
export async function computeMedians(
	context: ComputeContext,
	touched: readonly MedianIndicator[] = MEDIAN_INDICATORS
): Promise<readonly MedianIndicator[]> {
	const { tx, scoped } = context;
	// A full refresh counts every district; an incremental one too for a period never counted.
	const uncounted = scoped
		? await queryRows(
				tx,
				sql`SELECT label FROM ix_periods
					WHERE label NOT IN (SELECT period FROM median_days_periods) LIMIT 1`
			)
		: [];
	const everywhere = !scoped || uncounted.length > 0;
	// The districts and provinces in scope, as constants: their records and counts are then
	// looked up by index (at national scale the largest district's records in 0.39 s, where
	// reading every record and keeping its province's took 0.56 s; a smaller district's less).
	const codes = scoped
		? await queryRows<{ district: string; province: string }>(
				tx,
				sql`SELECT DISTINCT district_code AS district, province_code AS province
					FROM geo_units WHERE code IN (SELECT code FROM ix_scope_communes)`
			)
		: [];
	const inScope: Districts = {
		districts: [...new Set(codes.map((c) => c.district))],
		provinces: [...new Set(codes.map((c) => c.province))]
	};
	// Counting every district counts every indicator (a period is counted for all of them).
	const indicators = everywhere ? MEDIAN_INDICATORS : touched;
	await collectRecords(context, indicators, everywhere ? undefined : inScope);
	const target = scoped ? sql`ix_median_values` : context.store('indicator_values');
	if (!scoped) {
		for (const rows of medianRows(indicators, sql`TRUE`))
			await tx.execute(sql`INSERT INTO ${target} ${COLUMNS} ${rows}`);
	} else {
		await createMedianValues(tx);
		// The districts' own rows, and their villages' and communes' in scope.
		for (const rows of medianRows(
			indicators,
			amongCodes(sql`v.district_code`, inScope.districts)
		)) {
			await tx.execute(sql`INSERT INTO ${target} ${COLUMNS}
				SELECT * FROM (${rows}) r (indicator_id, period, level, geo_code, programme, group_by,
					group_value, numerator, value)
				WHERE r.level = 'district' OR r.geo_code IN (SELECT code FROM ix_scope_units)`);
		}
	}
	await countDays(context, indicators, everywhere ? undefined : inScope);
	await insertCountedMedians(
		context,
		target,
		indicators,
		'province',
		scoped ? inScope.provinces : undefined
	);
	await insertCountedMedians(context, target, indicators, 'national');
	return indicators;
}

/** `ix_median_values`: an incremental refresh's medians, before they replace the stored ones. */
const createMedianValues = (tx: Tx) =>
	tx.execute(sql`CREATE TEMP TABLE ix_median_values
		(LIKE indicator_values INCLUDING DEFAULTS) ON COMMIT DROP`);

/** The medians a side lane computed (`rowsOf` its `ix_median_values`), into `tx`'s. */
export async function receiveMedians(tx: Tx, rows: string) {
	await createMedianValues(tx);
	await insertRows(tx, 'ix_median_values', rows);
}

/**
 * Replaces the stored medians (of `indicators`) of the villages and communes in scope, their
 * districts and provinces and the nation with those of `ix_median_values` (see
 * `computeMedians`).
 */
export async function storeScopedMedians(
	context: ComputeContext,
	indicators: readonly MedianIndicator[]
) {
	const { tx } = context;
	await tx.execute(sql`CREATE TEMP TABLE ix_median_units ON COMMIT DROP AS
		SELECT code FROM ix_scope_units
		UNION SELECT unnest(ARRAY[g.district_code, g.province_code, 'KH'])
		FROM geo_units g JOIN ix_scope_communes c ON c.code = g.code`);
	await tx.execute(sql`ANALYZE ix_median_units`);
	await deleteStored(context, indicators, 'ix_median_units');
	await tx.execute(sql`INSERT INTO indicator_values SELECT * FROM ix_median_values`);
}
