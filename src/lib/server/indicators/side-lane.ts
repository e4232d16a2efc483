/**
 * A full refresh on Postgres computes on two connections at once. Its statements each run on
 * one core (the planner seldom splits those that write millions of rows among workers), and
 * this server has two: the eligible counts and the application, appeal and duplicate indicators
 * (a side lane, in a transaction of their own) are counted while the refresh's own transaction
 * counts the enrolled and paid units. The side lane's counts then move into the refresh's work
 * tables (a binary `COPY` from one connection to the other, through this process), and the
 * refresh sums and stores them as if it had counted them itself.
 *
 * The side lane only reads the registry and writes temporary tables, dropped when its
 * transaction ends; a refresh that fails cancels it. Both transactions read committed data
 * statement by statement, as the refresh's one transaction does.
 *
 * PGlite is one connection: there the refresh counts everything itself, one step after the
 * other, as does an incremental refresh (its work is small).
 */
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Period } from '../../indicators/periods';
import { postgresClient, queryRows, type Db, type Tx } from '../db';
import { createContext, type ComputeContext } from './context';

/** The work tables whose rows a side lane hands over (created alike by `createContext`). */
const HANDED_OVER = ['ix_base', 'ix_programme_base'] as const;

/** What a side lane counts, in its own context. */
export type SideWork = (context: ComputeContext) => Promise<void>;

export interface SideLane {
	/**
	 * Waits for the lane's work, then copies its rows of `HANDED_OVER` into the same tables of
	 * `tx`; rejects with the lane's error if it failed.
	 */
	handOver(tx: Tx): Promise<void>;
	/** Stops the lane (the refresh failed): its statement is cancelled and it is rolled back. */
	cancel(): Promise<void>;
}

/** Why a cancelled lane ended, so that its rejection is not mistaken for a failure. */
class LaneCancelled extends Error {}

/** Copies `table`'s rows from one connection's temporary table to another's. */
async function copyTable(from: pg.ClientBase, into: pg.ClientBase, table: string) {
	await pipeline(
		from.query(copyTo(`COPY ${table} TO STDOUT (FORMAT binary)`)),
		into.query(copyFrom(`COPY ${table} FROM STDIN (FORMAT binary)`))
	);
}

/** Whether `tx` can have a side lane: a transaction on Postgres (not PGlite). */
export function canRunSideLane(tx: Tx): boolean {
	return postgresClient(tx) !== undefined;
}

/**
 * Starts `work` for a full refresh of `periods` on another connection of `db`'s pool, in a
 * transaction of its own.
 */
export function startSideLane(db: Db, periods: readonly Period[], work: SideWork): SideLane {
	let deliver!: (into: pg.ClientBase | undefined) => void;
	const target = new Promise<pg.ClientBase | undefined>((resolve) => (deliver = resolve));
	let backend: number | undefined;
	let cancelled = false;
	const done = db.transaction(async (side) => {
		const [connection] = await queryRows<{ pid: number }>(
			side,
			sql`SELECT pg_backend_pid() AS pid`
		);
		if (cancelled) throw new LaneCancelled();
		backend = connection!.pid;
		try {
			await work(await createContext(side, periods, undefined, { side: true }));
		} finally {
			// From here on its connection runs nothing `cancel` may stop.
			backend = undefined;
		}
		const into = await target;
		if (!into) throw new LaneCancelled();
		for (const table of HANDED_OVER) await copyTable(postgresClient(side)!, into, table);
	});
	// Awaited by `handOver` or `cancel`; until then an early failure is not left unhandled.
	const ended = done.then(
		() => undefined,
		(error: unknown) => error
	);
	return {
		async handOver(tx) {
			deliver(postgresClient(tx));
			const error = await ended;
			if (error) throw error;
		},
		async cancel() {
			cancelled = true;
			// Only while it works, and before it is told to stop: its transaction is then still
			// open (idle, a cancel is ignored), so the signal cannot reach its connection once back
			// in the pool, running another session's statement.
			if (backend !== undefined)
				await db.execute(sql`SELECT pg_cancel_backend(${backend})`).catch(() => undefined);
			deliver(undefined);
			await ended;
		}
	};
}
