/**
 * Re-aggregation of the additive indicators (`shared/domain.md` §5): the numerators and
 * denominators in `ix_base` (at villages, or at an office's own level) are summed into every
 * level above, so a parent's rate is always the ratio of summed numerators and denominators,
 * never an average of rates.
 *
 * - A full roll-up writes every unit's rows, summing level by level, into the refresh's new
 *   partitions (see `partitions.ts`).
 * - A scoped roll-up (incremental refresh) replaces the villages in `ix_scope` and their
 *   communes, and adds to each unit above them the difference between their communes' new
 *   and old sums. Sums of whole numbers are
 *   exact in double precision, so this gives the same values as a full roll-up.
 *
 * The same code rolls up `indicator_values` (numerator and denominator per indicator) and
 * `programme_values` (the seven counts the programme indicators are made of, see `stored.ts`).
 *
 * Rows are stored sparsely: a unit with numerator and denominator both zero (or a zero count;
 * or all seven counts zero) has no row, and readers show it as zero (see `query.ts`).
 */
import { sql, type SQL } from 'drizzle-orm';
import { indicatorById } from '../../indicators/catalogue';
import {
	byStoreKey,
	deleteStored,
	storedRows,
	type ComputeContext,
	type StoredRowsOf
} from './context';
import type { StoreTable } from './partitions';

/** The value from a numerator and a denominator, by the indicator's unit `u.unit`. */
const valueOf = (numerator: SQL, denominator: SQL) => sql`CASE
	WHEN u.unit = 'count' THEN ${numerator}
	WHEN ${denominator} > 0 AND u.unit = 'per 1,000' THEN 1000 * ${numerator} / ${denominator}
	WHEN ${denominator} > 0 THEN ${numerator} / ${denominator}
END`;

/**
 * A table of stored values and how the roll-up fills it: `indicator_values` (one row per
 * indicator) for some indicators, or `programme_values` (the programme indicators' counts).
 */
interface Store {
	of: StoredRowsOf;
	table: StoreTable;
	/** The key columns other than `level` and `geo_code`. */
	keys: readonly string[];
	/** The summed columns. */
	measures: readonly string[];
	/** The table's key, in order (a scoped roll-up writes its rows in it). */
	order: readonly string[];
	/** The base rows: `keys`, `level`, `geo_code` and `measures` at villages (or own level). */
	base: SQL;
	/**
	 * Whether the base rows at villages are one per key (each indicator's statement counts a
	 * village's rows in one grouping): its villages' sums are then those rows as they are, not
	 * grouped again (at national scale 3.9 million rows, 8.7 s and 750 MB of hash table for
	 * 2 % fewer rows). A key given twice would reach the store twice, whose key refuses it.
	 */
	villagesSummed: boolean;
	/**
	 * `indicator_values` also stores the value, from the indicator's unit: the units as `u`,
	 * joined by id (see `valueOf`).
	 */
	units?: SQL;
}

/** `indicator_values` rows of `indicatorIds`, from `ix_base`. */
function indicatorStore(indicatorIds: readonly string[]): Store {
	const units = indicatorIds.map((id) => sql`(${id}, ${indicatorById(id)!.unit})`);
	return {
		of: indicatorIds,
		table: 'indicator_values',
		keys: ['indicator_id', 'period', 'programme', 'group_by', 'group_value'],
		measures: ['numerator', 'denominator'],
		order: ['indicator_id', 'period', 'geo_code', 'programme', 'group_by', 'group_value'],
		base: sql`(SELECT * FROM ix_base WHERE indicator_id IN ${indicatorIds})`,
		villagesSummed: true,
		units: sql`(VALUES ${sql.join(units, sql`, `)}) AS u(indicator_id, unit)`
	};
}

/** The programme indicators' counts (`programme_values`), from `ix_programme_base`. */
export const PROGRAMME_MEASURES = ['e', 'en', 'n', 'n_not_e', 'a', 'ab', 'eb'] as const;
const PROGRAMME_STORE: Store = {
	of: 'programme_values',
	table: 'programme_values',
	keys: ['period', 'programme', 'group_by', 'group_value'],
	measures: PROGRAMME_MEASURES,
	order: ['period', 'geo_code', 'programme', 'group_by', 'group_value'],
	base: sql`ix_programme_base`,
	// Counted by several statements (eligible units, enrolled and paid ones): summed here.
	villagesSummed: false
};

const list = (columns: readonly string[], prefix?: string) =>
	sql.join(
		columns.map((c) =>
			prefix ? sql`${sql.identifier(prefix)}.${sql.identifier(c)}` : sql.identifier(c)
		),
		sql`, `
	);
const sums = (columns: readonly string[]) =>
	sql.join(
		columns.map((c) => sql`sum(${sql.identifier(c)}) AS ${sql.identifier(c)}`),
		sql`, `
	);

/** The columns written, and their values from a row `r` (the value, if any, by its unit). */
function written(store: Store, r: string) {
	const columns = sql`(${list(store.keys)}, level, geo_code, ${list(store.measures)}
		${store.units ? sql`, value` : sql``})`;
	const numerator = sql`${sql.identifier(r)}.numerator`;
	const denominator = sql`${sql.identifier(r)}.denominator`;
	const values = sql`${list(store.keys, r)}, ${sql.identifier(r)}.level,
		${sql.identifier(r)}.geo_code, ${list(store.measures, r)}
		${store.units ? sql`, ${valueOf(numerator, denominator)}` : sql``}`;
	const units = store.units
		? sql`JOIN ${store.units} ON u.indicator_id = ${sql.identifier(r)}.indicator_id`
		: sql``;
	return { columns, values, units };
}

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
 * Adds the rows of all programmes together to the programme indicators' counts in
 * `ix_programme_base`: their sums, for the groups every programme has (none and IDPoor level).
 */
export async function addAllProgrammeCounts(context: ComputeContext) {
	await context.tx.execute(sql`INSERT INTO ix_programme_base
		SELECT period, level, geo_code, '', group_by, group_value, ${sums(PROGRAMME_MEASURES)}
		FROM ix_programme_base
		WHERE programme <> '' AND group_by IN ('', 'idpoor')
		GROUP BY period, level, geo_code, group_by, group_value`);
}

/**
 * Replaces the stored values of `indicatorIds` (or, with `'programme_values'`, the programme
 * indicators' counts) for the refresh's periods with their base rows summed to every level;
 * in a scoped refresh, only the villages in `ix_scope` and the units above them.
 */
export async function rollUp(context: ComputeContext, indicators: StoredRowsOf) {
	const store = indicators === 'programme_values' ? PROGRAMME_STORE : indicatorStore(indicators);
	if (context.scoped) return rollUpScoped(context, store);
	const { tx } = context;
	const keys = list(store.keys);
	const measures = list(store.measures);
	// Level by level, each from the level below (already summed, so ever smaller) plus its own
	// base rows (offices sit at communes, districts and provinces).
	const levels = ['village', 'commune', 'district', 'province', 'national'] as const;
	const villageRows = sql`(SELECT ${keys}, geo_code, ${measures} FROM ${store.base} b
		WHERE level = 'village')`;
	const summed = (level: (typeof levels)[number]) =>
		level === 'village' && store.villagesSummed ? villageRows : sql.identifier(`ix_sum_${level}`);
	for (const [i, level] of levels.entries()) {
		if (i === 0 && store.villagesSummed) continue;
		const children =
			i === 0
				? sql``
				: sql`UNION ALL SELECT ${list(store.keys, 'r')}, g.parent_code, ${list(store.measures, 'r')}
					FROM ${summed(levels[i - 1]!)} r
					JOIN geo_units g ON g.code = r.geo_code`;
		await tx.execute(sql`CREATE TEMP TABLE ${sql.identifier(`ix_sum_${level}`)} ON COMMIT DROP AS
			SELECT ${keys}, geo_code, ${sums(store.measures)}
			FROM (
				SELECT ${keys}, geo_code, ${measures} FROM ${store.base} b WHERE level = ${level}
				${children}
			) rows (${keys}, geo_code, ${measures})
			GROUP BY ${keys}, geo_code`);
	}
	const all = sql.join(
		levels.map(
			(level) => sql`SELECT ${keys}, ${level} AS level, geo_code, ${measures}
				FROM ${summed(level)} s`
		),
		sql` UNION ALL `
	);
	const w = written(store, 'r');
	// Into the refresh's new partitions (empty), as they come: sorting them by key first (millions
	// of rows, on disk) took longer than writing them. Readers find rows by the key's index either
	// way; a unit's rows lie in more pages (a scoped roll-up right after reads more of them).
	await tx.execute(sql`INSERT INTO ${context.store(store.table)} ${w.columns}
		SELECT ${w.values} FROM (${all}) r ${w.units}
		WHERE ${STORED_GROUPS}`);
	for (const level of levels) {
		await tx.execute(sql`DROP TABLE IF EXISTS ${sql.identifier(`ix_sum_${level}`)}`);
	}
}

async function rollUpScoped(context: ComputeContext, store: Store) {
	const { tx } = context;
	const keys = list(store.keys);
	const measures = list(store.measures);
	// The scope is whole communes (ix_scope_communes), so their new sums are complete in the
	// base. Villages from their base rows; communes from their own base rows (groups) plus their
	// villages'.
	await tx.execute(sql`CREATE TEMP TABLE ix_new ON COMMIT DROP AS
		SELECT ${keys}, 'village' AS level, geo_code, ${sums(store.measures)}
		FROM ${store.base} b WHERE level = 'village'
		GROUP BY ${keys}, geo_code
		UNION ALL
		SELECT ${keys}, 'commune', commune, ${sums(store.measures)}
		FROM (
			SELECT ${list(store.keys, 'b')}, g.commune_code AS commune, ${list(store.measures, 'b')}
			FROM ${store.base} b JOIN geo_units g ON g.code = b.geo_code
			WHERE b.level IN ('village', 'commune')
		) c
		GROUP BY ${keys}, commune`);

	// New minus old, per commune in scope.
	const negated = sql.join(
		store.measures.map((m) => sql`-v.${sql.identifier(m)}`),
		sql`, `
	);
	await tx.execute(sql`CREATE TEMP TABLE ix_delta ON COMMIT DROP AS
		SELECT ${keys}, geo_code, ${sums(store.measures)}
		FROM (
			SELECT ${keys}, geo_code, ${measures} FROM ix_new WHERE level = 'commune'
			UNION ALL
			SELECT ${list(store.keys, 'v')}, v.geo_code, ${negated}
			FROM ${storedRows(store.of, 'ix_scope_communes', 'commune')}
		) d (${keys}, geo_code, ${measures})
		GROUP BY ${keys}, geo_code`);

	// The villages and communes in scope: replaced.
	await deleteStored(context, store.of, 'ix_scope_units');
	const table = sql.identifier(store.table);
	const w = written(store, 'r');
	await tx.execute(sql`INSERT INTO ${table} ${w.columns}
		SELECT ${w.values} FROM ix_new r ${w.units}
		WHERE ${STORED_GROUPS}
		ORDER BY ${list(store.order, 'r')}`);

	// Every unit above: old sum plus the difference.
	const moved = sql.join(
		store.measures.map((m) => sql`coalesce(sum(b.${sql.identifier(m)}), 0) <> 0`),
		sql` OR `
	);
	await tx.execute(sql`CREATE TEMP TABLE ix_delta_up ON COMMIT DROP AS
		SELECT ${list(store.keys, 'b')},
			CASE WHEN GROUPING(k.district) = 0 THEN 'district'
				WHEN GROUPING(k.province) = 0 THEN 'province' ELSE 'national' END AS level,
			coalesce(k.district, k.province, 'KH') AS geo_code, ${sums(store.measures)}
		FROM ix_delta b JOIN geo_units g ON g.code = b.geo_code ${LEVEL_KEYS}
		GROUP BY ${list(store.keys, 'b')}, GROUPING SETS ((k.district), (k.province), ())
		-- A unit whose sums did not move keeps its row as it is.
		HAVING ${moved}`);
	await tx.execute(sql`CREATE INDEX ON ix_delta_up (geo_code, period)`);
	const sameRow = sql.join(
		['geo_code', ...store.keys].map((c) => sql`v.${sql.identifier(c)} = d.${sql.identifier(c)}`),
		sql` AND `
	);
	const plus = (column: string) =>
		sql`CASE WHEN v.${sql.identifier(column)} IS NULL AND d.${sql.identifier(column)} IS NULL
			THEN NULL ELSE coalesce(v.${sql.identifier(column)}, 0)
				+ coalesce(d.${sql.identifier(column)}, 0) END`;
	const set = sql.join(
		store.measures.map((m) => sql`${sql.identifier(m)} = ${plus(m)}`),
		sql`, `
	);
	const units = store.units ? sql`JOIN ${store.units} ON u.indicator_id = d.indicator_id` : sql``;
	await byStoreKey(tx, async () => {
		await tx.execute(sql`UPDATE ${table} v
			SET ${set} ${store.units ? sql`, value = ${valueOf(plus('numerator'), plus('denominator'))}` : sql``}
			FROM ix_delta_up d ${units}
			WHERE ${sameRow}`);
		const d = written(store, 'd');
		await tx.execute(sql`INSERT INTO ${table} ${d.columns}
			SELECT ${d.values} FROM ix_delta_up d ${d.units}
			WHERE NOT EXISTS (SELECT 1 FROM ${table} v WHERE ${sameRow})`);
		// Keep the store sparse, as a full roll-up would leave it.
		const zero = sql.join(
			store.measures.map((m) => sql`coalesce(v.${sql.identifier(m)}, 0) = 0`),
			sql` AND `
		);
		// A period at a time, as `deleteStored` does: over every partition at once the planner
		// scanned the partitions' keys whole instead of looking the units up (at national scale,
		// after a members import touching 26 communes, 10.4 s).
		for (const { label } of context.periods) {
			await tx.execute(sql`DELETE FROM ${table} v USING ix_delta_up d
				WHERE ${sameRow} AND ${zero} AND v.period = ${label} AND d.period = ${label}`);
		}
	});
	for (const temp of ['ix_new', 'ix_delta', 'ix_delta_up'])
		await tx.execute(sql`DROP TABLE ${sql.identifier(temp)}`);
}
