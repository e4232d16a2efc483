/**
 * What every indicator computation of one refresh shares, as temporary tables of its
 * transaction:
 *
 * - `ix_periods (label, kind, start_date, end_date, k)`: the periods computed, `k` numbering
 *   their distinct ends 1…K in date order (a quarter shares its last month's end; see
 *   `periodEnds`);
 * - `ix_end_runs (first, last, label)`: every run of period ends with the periods ending in it
 *   (a count holding from end `first` to end `last` is that period's count);
 * - `ix_scope (code)`: the villages recomputed, when the refresh is incremental (a full
 *   refresh has no scope and recomputes every village), and with it `ix_scope_communes`
 *   (their communes, whole), `ix_scope_units` (the villages and communes together, whose
 *   stored rows are replaced), `ix_scope_households` and `ix_scope_persons` (who lives there,
 *   see `householdRows` and `memberRows`), `ix_scope_enrolments` and `ix_scope_benefits`
 *   (their enrolments and benefits, see `enrolmentRows`);
 * - `ix_registered (period, village_code, n)`: households registered at each period's end per
 *   village in scope (no row for none);
 * - `ix_programme_base`: village-level counts of the programme indicators (see `stored.ts`),
 *   and communes' by group, counted in SQL; a unit may have several rows, which the roll-up
 *   sums (a full refresh on Postgres counts and sums them as the registry streams out instead,
 *   see `streamed-counts.ts`);
 * - `ix_base`: village-level (or own-level) numerators and denominators of the other additive
 *   indicators, which `rollUp` sums into every level above.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Period } from '../../indicators/periods';
import { queryRows, type Tx } from '../db';
import { ageCutoffColumn } from './eligibility';
import { createNextStores, dropNextStore, nextStore, STORES, type StoreTable } from './partitions';

export interface ComputeContext {
	tx: Tx;
	periods: readonly Period[];
	/** The periods' distinct ends in date order (`ix_periods.k` numbers them from 1). */
	ends: readonly string[];
	/** Whether only the villages of `ix_scope` are recomputed. */
	scoped: boolean;
	/** The ages with a cut-off column on `ix_periods` so far. */
	ageCutoffs: Set<number>;
	/**
	 * The table the computations write a store's rows to: the store itself in an incremental
	 * refresh, its new partitions in a full one (empty, see `partitions.ts`), but a temporary
	 * table for the refresh's own rows of the stores its side lane writes (`ownStore`).
	 */
	store: (name: StoreTable) => SQL;
	/** `store`'s table by name (for `COPY`). */
	storeTable: (name: StoreTable) => string;
}

/**
 * Adds to `ix_periods` a cut-off birth date per age (see `ageCutoffColumn`), so that age tests
 * compare two dates instead of doing calendar arithmetic for every person and period.
 */
export async function addAgeCutoffs(context: ComputeContext, ages: readonly number[]) {
	for (const years of ages) {
		if (context.ageCutoffs.has(years)) continue;
		const column = sql.identifier(ageCutoffColumn(years));
		await context.tx.execute(sql`ALTER TABLE ix_periods ADD COLUMN ${column} date`);
		await context.tx.execute(
			sql`UPDATE ix_periods SET ${column} = (end_date - make_interval(years => ${years}))::date`
		);
		context.ageCutoffs.add(years);
	}
}

/**
 * The stores a full refresh's side lane (see `side-lane.ts`) writes, indicator values only (see
 * `refresh.ts`): into their new partitions, which it creates and commits, and to which the
 * refresh adds its own rows of them (from `ownStore`) once the lane has committed.
 */
export const SIDE_STORES: readonly StoreTable[] = ['indicator_values'];

/** The stores only a full refresh's own connection writes (into their new partitions). */
export const MAIN_STORES = STORES.filter((name) => !SIDE_STORES.includes(name));

/**
 * Where a full refresh with a side lane writes its own rows of `SIDE_STORES`: a temporary
 * table like the store (the new partitions are the lane's until it commits).
 */
export const ownStore = (name: StoreTable) => `ix_own_${name}`;

/**
 * Which connection of a refresh with a side lane a context is for: a full refresh's side lane
 * writes `SIDE_STORES` only, the refresh's own connection the others; an incremental refresh's
 * side lane (its eligible counts and medians, see `refresh.ts`) writes none of the stores and
 * copies only the households and persons in scope (see `copyScope`).
 */
export type Lane = 'side' | 'refresh';

/**
 * Creates the shared temporary tables; `scopeCommunes` limits the refresh to those communes.
 * `lane`: the connection of a refresh with a side lane it is for.
 */
export async function createContext(
	tx: Tx,
	periods: readonly Period[],
	scopeCommunes?: readonly string[],
	{ lane }: { lane?: Lane } = {}
): Promise<ComputeContext> {
	// Big sorts and hash aggregates: give them memory instead of spilling to disk, for this
	// transaction only.
	await tx.execute(sql`SET LOCAL work_mem = '256MB'`);
	// Hash aggregates over every enrolment or benefit (millions of groups at national scale)
	// stay in memory up to 1 GB instead of spilling to disk.
	await tx.execute(sql`SET LOCAL hash_mem_multiplier = 4`);
	await tx.execute(sql`CREATE TEMP TABLE ix_periods (
		label text PRIMARY KEY, kind text NOT NULL, start_date date NOT NULL, end_date date NOT NULL,
		k int NOT NULL
	) ON COMMIT DROP`);
	const ends = periodEnds(periods);
	const rows = periods.map(
		(p) =>
			sql`(${p.label}, ${p.kind}, ${p.start}::date, ${p.end}::date, ${ends.indexOf(p.end) + 1})`
	);
	await tx.execute(sql`INSERT INTO ix_periods VALUES ${sql.join(rows, sql`, `)}`);
	await tx.execute(sql`ANALYZE ix_periods`);
	// Every run of period ends (`first`…`last`) with each period ending in it: a count that holds
	// over a run of ends (from a change to the next) finds its periods by one hash join, instead
	// of a series of ends per count joined to the periods (at national scale 2 million eligible
	// counts: 7 s more).
	await tx.execute(sql`CREATE TEMP TABLE ix_end_runs ON COMMIT DROP AS
		SELECT f AS first, l AS last, p.label
		FROM generate_series(1, ${ends.length}) f CROSS JOIN generate_series(f, ${ends.length}) l
		JOIN ix_periods p ON p.k BETWEEN f AND l`);
	await tx.execute(sql`ANALYZE ix_end_runs`);

	await tx.execute(sql`CREATE TEMP TABLE ix_scope (code text PRIMARY KEY) ON COMMIT DROP`);
	if (scopeCommunes) {
		// An incremental refresh runs many small statements whose estimated costs (from
		// statistics a large import has outdated) can be large: compiling them with JIT would
		// take ten times longer than running them.
		await tx.execute(sql`SET LOCAL jit = off`);
		// Its temporary tables are analysed for their sizes and keys' spread, which a small
		// sample gives (a full one costs more than some statements).
		await tx.execute(sql`SET LOCAL default_statistics_target = 10`);
		await tx.execute(sql`INSERT INTO ix_scope ${communeVillages(scopeCommunes)}`);
		await tx.execute(sql`CREATE TEMP TABLE ix_scope_communes ON COMMIT DROP AS
			SELECT DISTINCT g.commune_code AS code FROM geo_units g JOIN ix_scope s ON s.code = g.code`);
		// The villages and communes together, whose stored rows an incremental refresh replaces
		// (a unit's code tells its level): one deletion per period, not two.
		await tx.execute(sql`CREATE TEMP TABLE ix_scope_units ON COMMIT DROP AS
			SELECT code FROM ix_scope UNION ALL SELECT code FROM ix_scope_communes`);
		// Small: the planner must know it, to look the store up by key instead of scanning it.
		for (const table of ['ix_scope', 'ix_scope_communes', 'ix_scope_units'])
			await tx.execute(sql`ANALYZE ${sql.identifier(table)}`);
		await copyScope(tx, lane !== 'side');
	}

	const scoped = scopeCommunes !== undefined;
	if (lane === 'side' && !scoped) {
		// New partitions a refresh that failed left (committed by its side lane) go first.
		for (const name of SIDE_STORES) await dropNextStore(tx, name);
		await createNextStores(tx, periods, SIDE_STORES);
	} else if (lane === 'refresh') {
		for (const name of SIDE_STORES)
			await tx.execute(sql`CREATE TEMP TABLE ${sql.identifier(ownStore(name))}
				(LIKE ${sql.identifier(name)} INCLUDING DEFAULTS) ON COMMIT DROP`);
		await createNextStores(tx, periods, MAIN_STORES);
	} else if (!scoped) await createNextStores(tx, periods);
	const storeTable = (name: StoreTable) => {
		if (lane === 'side' && (scoped || MAIN_STORES.includes(name)))
			throw new Error(`A side lane does not write ${name}`);
		if (lane === 'refresh' && SIDE_STORES.includes(name)) return ownStore(name);
		return scoped ? name : nextStore(name);
	};
	const context: ComputeContext = {
		tx,
		periods,
		ends,
		scoped,
		ageCutoffs: new Set<number>(),
		store: (name) => sql`${sql.identifier(storeTable(name))}`,
		storeTable
	};

	// Registration coverage and the appeals rate both divide by it: households counted per
	// village by how many period ends precede their registration (`r`), summed over `r` in
	// order; a period whose end is the k-th is given the sum over r < k (one pass over
	// households, not one per period).
	await tx.execute(sql`CREATE TEMP TABLE ix_registered ON COMMIT DROP AS
		WITH counts AS (
			SELECT village_code, ${datesBefore(ends, sql`registered_on`)} AS r, count(*) AS n
			FROM ${householdRows(context)} h
			WHERE registered_on <= ${ends.at(-1)!}::date GROUP BY 1, 2
		), cumulative AS (
			SELECT village_code, r, sum(n) OVER w AS n, lead(r) OVER w AS next
			FROM counts WINDOW w AS (PARTITION BY village_code ORDER BY r)
		)
		SELECT p.label AS period, c.village_code, c.n::double precision AS n
		FROM cumulative c JOIN ix_periods p ON p.k > c.r AND (c.next IS NULL OR p.k <= c.next)`);
	await tx.execute(sql`ANALYZE ix_registered`);

	// The store's columns, defaults (zero counts) included.
	await tx.execute(sql`CREATE TEMP TABLE ix_programme_base
		(LIKE programme_values INCLUDING DEFAULTS) ON COMMIT DROP`);
	await tx.execute(sql`CREATE TEMP TABLE ix_base (
		indicator_id text NOT NULL, period text NOT NULL, level text NOT NULL, geo_code text NOT NULL,
		programme text NOT NULL DEFAULT '', group_by text NOT NULL DEFAULT '',
		group_value text NOT NULL DEFAULT '', numerator double precision,
		denominator double precision
	) ON COMMIT DROP`);
	return context;
}

/**
 * An incremental refresh's copies of what lives in the villages of `ix_scope`:
 * `ix_scope_households`, `ix_scope_persons`, and with `activity` `ix_scope_enrolments` and
 * `ix_scope_benefits`.
 */
async function copyScope(tx: Tx, activity: boolean) {
	// The households and persons living there now, with the columns the indicators read,
	// their enrolments and their benefits: an incremental refresh reads only these. A
	// commune's rows lie anywhere in the tables (often not in memory): they are read as one
	// range of their tables' village indexes, which hold every column read (index-only
	// scans; see `VACUUMED` in `refresh.ts`), or by the keys found before them as an array
	// (a hash join would read every row), the pages the index points to read many at a time.
	await tx.execute(sql`SET LOCAL effective_io_concurrency = 128`);
	const villages = sql`SELECT code FROM ix_scope`;
	await tx.execute(sql`CREATE TEMP TABLE ix_scope_households ON COMMIT DROP AS
		SELECT household_id, village_code, registered_on, idpoor_level FROM households
		WHERE ${among(sql`village_code`, villages)}`);
	await tx.execute(sql`ANALYZE ix_scope_households`);
	await tx.execute(sql`CREATE TEMP TABLE ix_scope_persons ON COMMIT DROP AS
		SELECT person_id, household_id, sex, birth_date, disability, possible_duplicate,
			moved_household
		FROM members WHERE ${among(sql`village_code`, villages)}`);
	await tx.execute(sql`ANALYZE ix_scope_persons`);
	if (!activity) return;
	// Their enrolments: those of their households, and those naming a person who lives there
	// now in another household, which only a person who moved can have (an enrolment names
	// its person's household when imported).
	const columns = sql`enrolment_id, programme_code, household_id, person_id, enrolled_on,
		exited_on, village_code`;
	await tx.execute(sql`CREATE TEMP TABLE ix_scope_enrolments ON COMMIT DROP AS
		SELECT ${columns} FROM enrolments WHERE ${among(sql`village_code`, villages)}
		UNION
		SELECT ${columns} FROM enrolments WHERE ${among(
			sql`person_id`,
			sql`SELECT person_id FROM ix_scope_persons WHERE moved_household`
		)}`);
	await tx.execute(sql`ANALYZE ix_scope_enrolments`);
	// Their benefits: those of the villages (each keeps its enrolment's), from one range of
	// their index alone (it holds the delivery day: at national scale the largest commune's
	// 89,000 in 0.03 s, against 0.4–1.5 s by their enrolments' ids, whose index pages lie
	// apart), and those of the moved persons' enrolments elsewhere, by village and id.
	await tx.execute(sql`CREATE TEMP TABLE ix_scope_benefits ON COMMIT DROP AS
		SELECT enrolment_id, delivered_on FROM benefits WHERE ${among(sql`village_code`, villages)}
		UNION ALL
		SELECT b.enrolment_id, b.delivered_on FROM ix_scope_enrolments e
		CROSS JOIN LATERAL (SELECT enrolment_id, delivered_on FROM benefits b
			WHERE b.village_code = e.village_code AND b.enrolment_id = e.enrolment_id) b
		WHERE e.village_code NOT IN (SELECT code FROM ix_scope)`);
	await tx.execute(sql`ANALYZE ix_scope_benefits`);
}

/**
 * The rows of `table`, a temporary table, as one JSON value: what a side lane hands over to
 * the refresh's transaction (see `insertRows`).
 */
export async function rowsOf(tx: Tx, table: string): Promise<string> {
	const [row] = await queryRows<{ rows: string }>(
		tx,
		sql`SELECT coalesce(json_agg(t), '[]')::text AS rows FROM ${sql.identifier(table)} t`
	);
	return row!.rows;
}

/** Rows `rowsOf` gave, into `table`, a temporary table of the same columns. */
export async function insertRows(tx: Tx, table: string, rows: string) {
	await tx.execute(sql`INSERT INTO ${sql.identifier(table)}
		SELECT * FROM json_populate_recordset(NULL::${sql.identifier(table)}, ${rows}::json)`);
}

/** The codes (`code`) of the villages of `communes`, as a query. */
export const communeVillages = (communes: readonly string[]) =>
	sql`SELECT code FROM geo_units WHERE level = 'village'
		AND commune_code IN (SELECT json_array_elements_text(${JSON.stringify(communes)}::json))`;

/**
 * `column` among the keys a query `keys` returns, as an array: the planner then looks the rows
 * up by index (a bitmap scan) instead of hashing the whole table.
 */
export const among = (column: SQL, keys: SQL) => sql`${column} = ANY (ARRAY(${keys}))`;

/** The periods' distinct ends (`YYYY-MM-DD`) in date order: end k is `ends[k - 1]`. */
export function periodEnds(periods: readonly Period[]): string[] {
	return [...new Set(periods.map((p) => p.end))].sort();
}

/**
 * How many of the sorted dates `dates` (period ends, cut-off birth dates) fall before `date`
 * (0…K), as SQL: a binary search in them carried as a constant (`width_bucket`). A record
 * dated `date` is there at end k when this, over the ends, is less than k.
 */
export const datesBefore = (dates: readonly string[], date: SQL) =>
	sql`width_bucket(${date} - 1, ${sql.param([...dates])}::date[])`;

/**
 * The refreshed periods containing the day `date`, as `p`: its year's, quarter's and month's
 * labels (see `periods.ts`) looked up in `ix_periods` by equality, which the planner hashes,
 * instead of comparing every record with every period's first and last days (at national
 * scale 600,000 decided applications against 28 periods: 1.7 s of the median's 3.2 s).
 */
export const periodsOf = (date: SQL) => sql`CROSS JOIN LATERAL (VALUES (to_char(${date}, 'YYYY')),
		(to_char(${date}, 'YYYY-"Q"Q')), (to_char(${date}, 'YYYY-MM'))) l (label)
	JOIN ix_periods p ON p.label = l.label`;

/** A condition keeping only villages in scope (TRUE for a full refresh). */
export function inScope(context: ComputeContext, villageCode: SQL): SQL {
	return context.scoped ? sql`${villageCode} IN (SELECT code FROM ix_scope)` : sql`TRUE`;
}

/**
 * A condition keeping only the households (or persons) living in the villages in scope
 * (TRUE for a full refresh): for records that reach their village through them.
 */
export function unitInScope(context: ComputeContext, unit: 'household' | 'person', id: SQL): SQL {
	if (!context.scoped) return sql`TRUE`;
	return unit === 'person'
		? sql`${id} IN (SELECT person_id FROM ix_scope_persons)`
		: sql`${id} IN (SELECT household_id FROM ix_scope_households)`;
}

/**
 * The households a refresh reads: all, or for an incremental refresh those living in the
 * villages in scope (`ix_scope_households`: id, village, registration date, IDPoor level).
 */
export function householdRows(context: ComputeContext): SQL {
	return context.scoped ? sql`ix_scope_households` : sql`households`;
}

/**
 * The members a refresh reads: all, or for an incremental refresh those of the households in
 * scope (`ix_scope_persons`: id, household, sex, birth date, disability, duplicate flag).
 */
export function memberRows(context: ComputeContext): SQL {
	return context.scoped ? sql`ix_scope_persons` : sql`members`;
}

/**
 * The enrolments a refresh reads: all, or for an incremental refresh those of the persons and
 * households in scope (a superset of what each programme's scope keeps).
 */
export function enrolmentRows(context: ComputeContext): SQL {
	return context.scoped ? sql`ix_scope_enrolments` : sql`enrolments`;
}

/**
 * The benefits a refresh reads (enrolment and delivery day): all, or for an incremental
 * refresh those of the enrolments in scope.
 */
export function benefitRows(context: ComputeContext): SQL {
	return context.scoped ? sql`ix_scope_benefits` : sql`benefits`;
}

/** An IDPoor group value: `1`, `2` or `none`. */
export const IDPOOR_GROUP = sql`coalesce(h.idpoor_level::text, 'none')`;

/**
 * Which stored rows a scoped look-up or deletion is about: those of some indicators in
 * `indicator_values`, or the programme indicators' rows in `programme_values`.
 */
export type StoredRowsOf = readonly string[] | 'programme_values';

/**
 * Each of the indicators (if any) with each refreshed period and each unit of a scope table
 * (`ix_scope`, `ix_scope_communes`, …), as `k (indicator_id, period, geo_code)` (or
 * `k (period, geo_code)`): the leading columns of the store's key, so that the store's rows of
 * a few units are looked up by key instead of scanning every unit of each period.
 */
function scopeKeys(of: StoredRowsOf, scope: string): SQL {
	if (of === 'programme_values') {
		return sql`(SELECT p.label, s.code FROM ix_periods p CROSS JOIN ${sql.identifier(scope)} s)
			k (period, geo_code)`;
	}
	return sql`(SELECT i.id, p.label, s.code
		FROM unnest(${sql.param([...of])}::text[]) i (id) CROSS JOIN ix_periods p
		CROSS JOIN ${sql.identifier(scope)} s) k (indicator_id, period, geo_code)`;
}
function sameStoredKey(of: StoredRowsOf): SQL {
	const key = sql`v.period = k.period AND v.geo_code = k.geo_code`;
	return of === 'programme_values' ? key : sql`v.indicator_id = k.indicator_id AND ${key}`;
}
const storeTable = (of: StoredRowsOf) =>
	sql.identifier(of === 'programme_values' ? 'programme_values' : 'indicator_values');

/**
 * The stored rows, at `level`, of a scope table's units, as `v`, looked up one key at a
 * time (LATERAL, and OFFSET 0 so that the planner keeps it so: misled by statistics a large
 * import has outdated, it would otherwise scan).
 */
export function storedRows(of: StoredRowsOf, scope: string, level: string): SQL {
	return sql`${scopeKeys(of, scope)} CROSS JOIN LATERAL (SELECT v.* FROM ${storeTable(of)} v
		WHERE ${sameStoredKey(of)} AND v.level = ${level} OFFSET 0) v`;
}

/** Runs `work` with the planner's `methods` (`enable_…` settings) off, then on again. */
export async function withoutPlans(
	tx: Tx,
	methods: readonly (
		'enable_hashjoin' | 'enable_mergejoin' | 'enable_nestloop' | 'enable_seqscan' | 'enable_sort'
	)[],
	work: () => Promise<unknown>
) {
	for (const method of methods) await tx.execute(sql`SET LOCAL ${sql.raw(method)} = off`);
	await work();
	for (const method of methods) await tx.execute(sql`SET LOCAL ${sql.raw(method)} = on`);
}

/**
 * Runs `work`, statements that change a few units' stored rows found by key, with the planner
 * held to index look-ups in nested loops: the stores are partitioned by period (see
 * `partitions.ts`), and the planner, costing a look-up as one index scan in every partition
 * (it prunes them only as it runs), would otherwise read every partition whole.
 */
export const byStoreKey = (tx: Tx, work: () => Promise<unknown>) =>
	withoutPlans(tx, ['enable_hashjoin', 'enable_mergejoin', 'enable_seqscan'], work);

/**
 * Deletes the stored rows of a scope table's units (`ix_scope_units`, …): a period at a time,
 * so that the planner sees the one partition holding it and looks its rows up by key.
 */
export async function deleteStored(
	{ tx, periods }: ComputeContext,
	of: StoredRowsOf,
	scope: string
) {
	await byStoreKey(tx, async () => {
		for (const { label } of periods) {
			await tx.execute(sql`DELETE FROM ${storeTable(of)} v USING ${scopeKeys(of, scope)}
				WHERE ${sameStoredKey(of)} AND v.period = ${label} AND k.period = ${label}`);
		}
	});
}
