/**
 * Re-aggregation of the additive indicators (`shared/domain.md` §5): the numerators and
 * denominators in `ix_base` (at villages, or at an office's own level) are summed into every
 * level above, so a parent's rate is always the ratio of summed numerators and denominators,
 * never an average of rates.
 *
 * - A full roll-up replaces every unit's rows in one pass (GROUPING SETS over the levels).
 * - A scoped roll-up (incremental refresh) replaces the villages in `ix_scope` and their
 *   communes, and adds to each unit above them the difference between their communes' new
 *   and old sums. Sums of whole numbers are
 *   exact in double precision, so this gives the same values as a full roll-up.
 *
 * Rows are stored sparsely: a unit with numerator and denominator both zero (or a zero count)
 * has no row, and readers show it as zero (see `query.ts`).
 */
import { sql, type SQL } from 'drizzle-orm';
import { indicatorById } from '../../indicators/catalogue';
import { deleteStored, storedRows, type ComputeContext } from './context';

/** The value of a row `r` from its numerator and denominator, by the indicator's unit `u`. */
function unitsTable(indicatorIds: readonly string[]) {
	const units = indicatorIds.map((id) => sql`(${id}, ${indicatorById(id)!.unit})`);
	return sql`(VALUES ${sql.join(units, sql`, `)}) AS u(indicator_id, unit)`;
}
/** The value from a numerator and a denominator, by the indicator's unit `u.unit`. */
const valueOf = (numerator: SQL, denominator: SQL) => sql`CASE
	WHEN u.unit = 'count' THEN ${numerator}
	WHEN ${denominator} > 0 AND u.unit = 'per 1,000' THEN 1000 * ${numerator} / ${denominator}
	WHEN ${denominator} > 0 THEN ${numerator} / ${denominator}
END`;
const VALUE = valueOf(sql`r.numerator`, sql`r.denominator`);

const KEYS = sql`indicator_id, period, programme, group_by, group_value`;
const COLUMNS = sql`(indicator_id, period, level, geo_code, programme, group_by, group_value,
	numerator, denominator, value)`;

/** The unit `g`'s code at each level (null above its own level; village only for villages). */
const LEVEL_KEYS = sql`CROSS JOIN LATERAL (SELECT
	CASE WHEN g.level = 'village' THEN g.code END AS village, g.commune_code AS commune,
	g.district_code AS district, g.province_code AS province) k`;

/**
 * Villages keep their totals only: groups of a few households are too small to read (and
 * would multiply the store by the number of groups); communes and above keep every group.
 */
const STORED_GROUPS = sql`NOT (r.level = 'village' AND r.group_by <> '')`;

/**
 * Adds, for each per-programme indicator, the rows of all programmes together: their sums,
 * for the groups every programme has (none and IDPoor level).
 */
export async function addAllProgrammes(context: ComputeContext, indicatorIds: readonly string[]) {
	await context.tx.execute(sql`INSERT INTO ix_base
		SELECT indicator_id, period, level, geo_code, '', group_by, group_value,
			sum(numerator), sum(denominator)
		FROM ix_base
		WHERE indicator_id IN ${indicatorIds} AND programme <> '' AND group_by IN ('', 'idpoor')
		GROUP BY indicator_id, period, level, geo_code, group_by, group_value`);
}

/**
 * Replaces the stored values of `indicatorIds` for the refresh's periods with `ix_base`
 * summed to every level; `scoped`: only the villages in `ix_scope` and the units above them.
 */
export async function rollUp(
	context: ComputeContext,
	indicatorIds: readonly string[],
	scoped = context.scoped
) {
	if (scoped) return rollUpScoped(context, indicatorIds);
	const { tx } = context;
	// Level by level, each from the level below (already summed, so ever smaller) plus its own
	// base rows (offices sit at communes, districts and provinces).
	const levels = ['village', 'commune', 'district', 'province', 'national'] as const;
	for (const [i, level] of levels.entries()) {
		const children =
			i === 0
				? sql``
				: sql`UNION ALL SELECT ${KEYS}, g.parent_code, r.numerator, r.denominator
					FROM ${sql.identifier(`ix_sum_${levels[i - 1]}`)} r
					JOIN geo_units g ON g.code = r.geo_code`;
		await tx.execute(sql`CREATE TEMP TABLE ${sql.identifier(`ix_sum_${level}`)} ON COMMIT DROP AS
			SELECT ${KEYS}, geo_code, sum(numerator) AS numerator, sum(denominator) AS denominator
			FROM (
				SELECT ${KEYS}, geo_code, numerator, denominator FROM ix_base
				WHERE indicator_id IN ${indicatorIds} AND level = ${level}
				${children}
			) rows (${KEYS}, geo_code, numerator, denominator)
			GROUP BY ${KEYS}, geo_code`);
	}
	await tx.execute(sql`DELETE FROM indicator_values
		WHERE indicator_id IN ${indicatorIds} AND period IN (SELECT label FROM ix_periods)`);
	const all = sql.join(
		levels.map(
			(level) => sql`SELECT ${KEYS}, ${level} AS level, geo_code, numerator, denominator
				FROM ${sql.identifier(`ix_sum_${level}`)}`
		),
		sql` UNION ALL `
	);
	// In key order, so the key's index grows at its end instead of splitting pages everywhere.
	await tx.execute(sql`INSERT INTO indicator_values ${COLUMNS}
		SELECT r.indicator_id, r.period, r.level, r.geo_code, r.programme, r.group_by,
			r.group_value, r.numerator, r.denominator, ${VALUE}
		FROM (${all}) r JOIN ${unitsTable(indicatorIds)} USING (indicator_id)
		WHERE ${STORED_GROUPS}
		ORDER BY r.indicator_id, r.period, r.geo_code, r.programme, r.group_by, r.group_value`);
	for (const level of levels) {
		await tx.execute(sql`DROP TABLE ${sql.identifier(`ix_sum_${level}`)}`);
	}
}

async function rollUpScoped(context: ComputeContext, indicatorIds: readonly string[]) {
	const { tx } = context;
	const ids = indicatorIds;
	// The scope is whole communes (ix_scope_communes), so their new sums are complete in ix_base.
	// Villages from their base rows; communes from their own base rows (groups) plus their
	// villages'.
	const newRows = sql`SELECT ${KEYS}, 'village' AS level, geo_code,
			sum(numerator) AS numerator, sum(denominator) AS denominator
		FROM ix_base WHERE indicator_id IN ${ids} AND level = 'village'
		GROUP BY ${KEYS}, geo_code
		UNION ALL
		SELECT ${KEYS}, 'commune', commune, sum(numerator), sum(denominator)
		FROM (
			SELECT ${KEYS}, g.commune_code AS commune, b.numerator, b.denominator
			FROM ix_base b JOIN geo_units g ON g.code = b.geo_code
			WHERE b.indicator_id IN ${ids} AND b.level IN ('village', 'commune')
		) c
		GROUP BY ${KEYS}, commune`;
	await tx.execute(sql`CREATE TEMP TABLE ix_new ON COMMIT DROP AS ${newRows}`);

	// New minus old, per commune in scope.
	await tx.execute(sql`CREATE TEMP TABLE ix_delta ON COMMIT DROP AS
		SELECT ${KEYS}, geo_code, sum(numerator) AS numerator, sum(denominator) AS denominator
		FROM (
			SELECT ${KEYS}, geo_code, numerator, denominator FROM ix_new WHERE level = 'commune'
			UNION ALL
			SELECT v.indicator_id, v.period, v.programme, v.group_by, v.group_value, v.geo_code,
				-v.numerator, -v.denominator
			FROM ${storedRows(ids, 'ix_scope_communes', 'commune')}
		) d
		GROUP BY ${KEYS}, geo_code`);

	// The villages and communes in scope: replaced.
	await deleteStored(context, ids, 'ix_scope', 'village');
	await deleteStored(context, ids, 'ix_scope_communes', 'commune');
	await tx.execute(sql`INSERT INTO indicator_values ${COLUMNS}
		SELECT r.indicator_id, r.period, r.level, r.geo_code, r.programme, r.group_by,
			r.group_value, r.numerator, r.denominator, ${VALUE}
		FROM ix_new r JOIN ${unitsTable(ids)} USING (indicator_id)
		WHERE ${STORED_GROUPS}
		ORDER BY r.indicator_id, r.period, r.geo_code, r.programme, r.group_by, r.group_value`);

	// Every unit above: old sum plus the difference.
	await tx.execute(sql`CREATE TEMP TABLE ix_delta_up ON COMMIT DROP AS
		SELECT ${KEYS},
			CASE WHEN GROUPING(k.district) = 0 THEN 'district'
				WHEN GROUPING(k.province) = 0 THEN 'province' ELSE 'national' END AS level,
			coalesce(k.district, k.province, 'KH') AS geo_code,
			sum(b.numerator) AS numerator, sum(b.denominator) AS denominator
		FROM ix_delta b JOIN geo_units g ON g.code = b.geo_code ${LEVEL_KEYS}
		GROUP BY ${KEYS}, GROUPING SETS ((k.district), (k.province), ())
		-- A unit whose sums did not move keeps its row as it is.
		HAVING coalesce(sum(b.numerator), 0) <> 0 OR coalesce(sum(b.denominator), 0) <> 0`);
	await tx.execute(sql`CREATE INDEX ON ix_delta_up (geo_code, indicator_id, period)`);
	const sameRow = sql`v.indicator_id = d.indicator_id AND v.period = d.period
		AND v.geo_code = d.geo_code AND v.programme = d.programme AND v.group_by = d.group_by
		AND v.group_value = d.group_value`;
	const plus = (column: string) =>
		sql`CASE WHEN v.${sql.identifier(column)} IS NULL AND d.${sql.identifier(column)} IS NULL
			THEN NULL ELSE coalesce(v.${sql.identifier(column)}, 0)
				+ coalesce(d.${sql.identifier(column)}, 0) END`;
	await tx.execute(sql`UPDATE indicator_values v
		SET numerator = ${plus('numerator')}, denominator = ${plus('denominator')},
			value = ${valueOf(plus('numerator'), plus('denominator'))}
		FROM ix_delta_up d JOIN ${unitsTable(ids)} ON u.indicator_id = d.indicator_id
		WHERE ${sameRow}`);
	await tx.execute(sql`INSERT INTO indicator_values ${COLUMNS}
		SELECT d.indicator_id, d.period, d.level, d.geo_code, d.programme, d.group_by,
			d.group_value, d.numerator, d.denominator, ${valueOf(sql`d.numerator`, sql`d.denominator`)}
		FROM ix_delta_up d JOIN ${unitsTable(ids)} USING (indicator_id)
		WHERE NOT EXISTS (SELECT 1 FROM indicator_values v WHERE ${sameRow})`);
	// Keep the store sparse, as a full roll-up would leave it.
	await tx.execute(sql`DELETE FROM indicator_values v USING ix_delta_up d
		WHERE ${sameRow} AND coalesce(v.numerator, 0) = 0 AND coalesce(v.denominator, 0) = 0`);
}
