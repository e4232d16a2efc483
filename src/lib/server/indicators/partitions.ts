/**
 * The stores (`indicator_values`, `programme_values`) have one partition per period
 * (`indicator_values_2026_11`, `…_2026_q3`, `…_2026`, and a default one for any other; see
 * migration 0010). A full refresh does not delete and rewrite the refreshed periods' rows
 * (millions at national scale, each delete and insert also updating the key's index): it
 * writes them into new tables without indexes, partitions of `<store>_next`, and at its end
 * swaps each in for the period's old partition, its key's index built once, before the swap.
 * Readers see the old partitions until the refresh commits (the swap locks the stores for its
 * last moments only).
 * An incremental refresh changes rows in place.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type SQL } from 'drizzle-orm';
import type { Period } from '../../indicators/periods';
import { queryRows, type Tx } from '../db';

export const STORES = ['indicator_values', 'programme_values'] as const;
export type StoreTable = (typeof STORES)[number];

/** The partition of `store` for period `label` (`2026-Q3` → `indicator_values_2026_q3`). */
export function partitionName(store: StoreTable, label: string): string {
	return `${store}_${label.toLowerCase().replace(/-/g, '_')}`;
}

/** A new partition (of `<store>_next`) until it is swapped in as `partition`. */
const nextPartition = (partition: string) => `${partition}_next`;

/** Where a full refresh writes `store`'s rows: its new partitions' parent. */
export function nextStore(store: StoreTable): string {
	return `${store}_next`;
}

/** A period's label as a literal of a partition's bounds (which take no parameters). */
function boundOf(label: string): SQL {
	if (!/^\d{4}(-(\d{2}|Q[1-4]))?$/.test(label)) throw new Error(`Not a period label: ${label}`);
	return sql.raw(`'${label}'`);
}

/** Creates `stores`' new partitions for `periods`, empty and without indexes. */
export async function createNextStores(
	tx: Tx,
	periods: readonly Period[],
	stores: readonly StoreTable[] = STORES
) {
	for (const store of stores) {
		const next = sql.identifier(nextStore(store));
		await tx.execute(sql`CREATE TABLE ${next} (LIKE ${sql.identifier(store)} INCLUDING DEFAULTS)
			PARTITION BY LIST (period)`);
		for (const { label } of periods) {
			await tx.execute(sql`CREATE TABLE ${sql.identifier(nextPartition(partitionName(store, label)))}
				PARTITION OF ${next} FOR VALUES IN (${boundOf(label)})`);
		}
	}
}

/** How long one try to lock the stores waits in the lock queue (readers arriving wait too). */
const LOCK_TRY_MS = 1000;
/** The pause between two tries, in which the readers that queued behind a try go through. */
const LOCK_PAUSE_MS = 250;

/** Postgres's `lock_not_available`: a lock not granted within `lock_timeout`. */
function isLockTimeout(error: unknown): boolean {
	for (let e = error; e instanceof Error; e = e.cause)
		if ('code' in e && e.code === '55P03') return true;
	return false;
}

/**
 * Takes the stores for the swap (ACCESS EXCLUSIVE: detaching and dropping a partition need
 * it). A session reading them for long (an export, a release) would keep a plain `LOCK` waiting,
 * and every reader arriving meanwhile would queue behind it: the portal would stop answering
 * until that session ended. So each try waits at most `LOCK_TRY_MS`, then lets the queued
 * readers through, until `waitSeconds` have passed; then the refresh fails (and rolls back:
 * the stored values stay as they were).
 */
async function lockStores(tx: Tx, waitSeconds: number) {
	const stores = sql.join(
		STORES.map((store) => sql.identifier(store)),
		sql`, `
	);
	const deadline = Date.now() + waitSeconds * 1000;
	for (;;) {
		try {
			// In a savepoint: a try that times out is undone without failing the transaction.
			await tx.transaction(async (attempt) => {
				await attempt.execute(sql`SET LOCAL lock_timeout = ${sql.raw(String(LOCK_TRY_MS))}`);
				await attempt.execute(sql`LOCK TABLE ${stores} IN ACCESS EXCLUSIVE MODE`);
			});
			await tx.execute(sql`SET LOCAL lock_timeout TO DEFAULT`);
			return;
		} catch (error) {
			if (!isLockTimeout(error)) throw error;
			if (Date.now() >= deadline)
				throw new Error(
					`Other sessions read the stored indicators for more than ${waitSeconds} s, so the refreshed values could not take their place: the refresh was rolled back and the stored values are unchanged (REFRESH_LOCK_WAIT sets how long to wait).`,
					{ cause: error }
				);
			await sleep(LOCK_PAUSE_MS);
		}
	}
}

/**
 * The statistics target of the new partitions' analyses: a sample of 9,000 rows (300 per unit of
 * target) instead of 30,000 (the default 100), each column's most common values up to 30 (every
 * value of the key's columns but the unit's code and of `level`), its histogram in 30 parts. At
 * national scale a period's analysis takes 25–50 ms instead of 140–260 ms (5 s of a refresh).
 */
const STATISTICS_TARGET = 30;

/** A partition's primary key, named after the partition (`…_pkey`) as Postgres names it. */
const keyName = (partition: string) => `${partition}_pkey`;

/**
 * Prepares each new partition of `store` for the swap: its statistics, gathered on the columns
 * readers select rows by (the key's and `level`: the counts' and values' own statistics serve
 * no reader's plan, and gathering them took ~40 % of the analysis), from a smaller sample
 * (`STATISTICS_TARGET`), each partition alone (the statistics of `<store>_next`, their parent
 * until the swap, would be dropped with it); then the store's primary key, named for the
 * partition once swapped in (`…_next_pkey` until then: the old partition's key still holds the
 * name).
 */
async function prepareNextStore(tx: Tx, store: StoreTable, periods: readonly Period[]) {
	const [key] = await queryRows<{ definition: string; columns: string[] }>(
		tx,
		sql`SELECT pg_get_constraintdef(c.oid) AS definition,
			ARRAY(SELECT a.attname::text FROM pg_attribute a
				WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) AS columns
		FROM pg_constraint c WHERE c.conrelid = ${store}::regclass AND c.contype = 'p'`
	);
	const selected = sql.join(
		[...key!.columns, 'level'].map((c) => sql.identifier(c)),
		sql`, `
	);
	await tx.execute(
		sql`SET LOCAL default_statistics_target = ${sql.raw(String(STATISTICS_TARGET))}`
	);
	for (const { label } of periods) {
		const next = sql.identifier(nextPartition(partitionName(store, label)));
		await tx.execute(sql`ANALYZE ${next} (${selected})`);
	}
	await tx.execute(sql`SET LOCAL default_statistics_target TO DEFAULT`);
	for (const { label } of periods) {
		const next = nextPartition(partitionName(store, label));
		await tx.execute(sql`ALTER TABLE ${sql.identifier(next)}
			ADD CONSTRAINT ${sql.identifier(keyName(next))} ${sql.raw(key!.definition)}`);
	}
}

/**
 * Readies `stores`' new partitions for the swap: each analysed and given the key's index (at
 * national scale 11–14 s a store, the sorts of the keys mostly), with memory enough to sort a
 * period's keys without writing them to disk.
 */
export async function prepareNextStores(
	tx: Tx,
	stores: readonly StoreTable[],
	periods: readonly Period[]
) {
	await tx.execute(sql`SET LOCAL maintenance_work_mem = '512MB'`);
	for (const store of stores) await prepareNextStore(tx, store, periods);
}

/**
 * Swaps the new partitions in, once readied (`prepareNextStores`): the stores locked (waiting at
 * most `lockWaitSeconds` for their readers, see `lockStores`), each put in its old one's place,
 * and `<store>_next` dropped (at national scale 2.6 s, the commit included).
 */
export async function swapNextStores(tx: Tx, periods: readonly Period[], lockWaitSeconds: number) {
	await lockStores(tx, lockWaitSeconds);
	for (const store of STORES) {
		const next = sql.identifier(nextStore(store));
		const parent = sql.identifier(store);
		for (const { label } of periods) {
			const name = partitionName(store, label);
			const partition = sql.identifier(name);
			await tx.execute(
				sql`ALTER TABLE ${next} DETACH PARTITION ${sql.identifier(nextPartition(name))}`
			);
			await tx.execute(sql`DROP TABLE IF EXISTS ${partition}`);
			await tx.execute(
				sql`ALTER TABLE ${sql.identifier(nextPartition(name))} RENAME TO ${partition}`
			);
			// Rows of the period in the default partition (none, unless written before it had its
			// own) would stop it from being attached; the new ones replace them.
			await tx.execute(
				sql`DELETE FROM ${sql.identifier(`${store}_default`)} WHERE period = ${label}`
			);
			// Its key's index (built before the lock) becomes part of the store's key's index.
			await tx.execute(
				sql`ALTER TABLE ${parent} ATTACH PARTITION ${partition} FOR VALUES IN (${boundOf(label)})`
			);
			await tx.execute(sql`ALTER INDEX ${sql.identifier(keyName(nextPartition(name)))}
				RENAME TO ${sql.identifier(keyName(name))}`);
		}
		await tx.execute(sql`DROP TABLE ${next}`);
	}
}

/**
 * Drops `store`'s new partitions, if a refresh left them: those a full refresh's side lane
 * commits (see `refresh.ts`) outlive a refresh that fails after it.
 */
export async function dropNextStore(tx: Tx, store: StoreTable) {
	await tx.execute(sql`DROP TABLE IF EXISTS ${sql.identifier(nextStore(store))}`);
}
