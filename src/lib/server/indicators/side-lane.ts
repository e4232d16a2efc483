/**
 * A refresh on Postgres computes on two connections at once. Its statements each run on one
 * core (the planner seldom splits those that write millions of rows among workers), and this
 * server has two: part of the work runs in a side lane, a transaction of its own on another
 * connection, while the refresh's transaction does the rest. What the lane commits, and the
 * value its work returns (see `refresh.ts`), are the refresh's to use once `committed` resolves.
 *
 * A side lane reads the registry and writes temporary tables (dropped when its transaction
 * ends) and what it commits: a full refresh's lane the new partitions of some stores (see
 * `createContext`), an incremental refresh's lane the medians' counts (see `medians.ts`). A
 * refresh that fails cancels it, and a side lane that fails stops the refresh's statement under
 * way (see `alongside`). Both transactions read committed data statement by statement, as the
 * refresh's one transaction does.
 *
 * PGlite is one connection: there the refresh does everything itself, one step after the other.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { postgresClient, queryRows, type Db, type Tx } from '../db';

export interface SideLane<T> {
	/** Resolves with its work's value once the lane has committed; rejects with its error. */
	committed(): Promise<T>;
	/** Stops the lane (the refresh failed): its statement under way is cancelled. */
	cancel(): Promise<void>;
	/**
	 * Runs the refresh's own `work` in `tx` while the lane works: if the lane fails, the
	 * statement `tx` runs is cancelled, so the refresh fails at once with the lane's error instead
	 * of finding it when it waits for the lane's commit, minutes later.
	 */
	alongside<R>(tx: Tx, work: () => Promise<R>): Promise<R>;
}

/** How often a failed lane's cancel is sent to the refresh's connection until its work ends. */
const STOP_RETRY_MS = 200;

/** Why a cancelled lane ended, so that its rejection is not mistaken for a failure. */
class LaneCancelled extends Error {}

/** Whether `tx` can have a side lane: a transaction on Postgres (not PGlite). */
export function canRunSideLane(tx: Tx): boolean {
	return postgresClient(tx) !== undefined;
}

/** The server process of `tx`'s connection, which `pg_cancel_backend` stops. */
async function backendOf(tx: Tx): Promise<number> {
	const [row] = await queryRows<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`);
	return row!.pid;
}

/**
 * Starts `work`, part of a refresh, on another connection of `db`'s pool, in a transaction of
 * its own (`side`), committed when `work` ends.
 */
export function startSideLane<T>(db: Db, work: (side: Tx) => Promise<T>): SideLane<T> {
	let backend: number | undefined;
	let cancelled = false;
	// The refresh's own connection while `alongside` runs its work.
	let refresh: number | undefined;
	const done = db.transaction(async (side) => {
		const pid = await backendOf(side);
		if (cancelled) throw new LaneCancelled();
		backend = pid;
		try {
			return await work(side);
		} finally {
			// From here on its connection runs nothing `cancel` may stop (its commit).
			backend = undefined;
		}
	});
	// The lane's error once it has failed (undefined if it committed or was cancelled).
	const failure = done.then(
		() => undefined,
		(error: unknown) => (error instanceof LaneCancelled ? undefined : (error as Error))
	);
	return {
		committed: () => done,
		async alongside(tx, run) {
			refresh = await backendOf(tx);
			// Until `run` ends: a cancel that reaches the connection between two statements is
			// ignored, so it is sent again until one stops a statement. Sent only while `run` runs,
			// whose transaction stays open until the last cancel is through (awaited below): the
			// signal cannot reach the connection once back in the pool.
			const stopRefresh = async () => {
				while (refresh !== undefined) {
					await db.execute(sql`SELECT pg_cancel_backend(${refresh})`).catch(() => undefined);
					await sleep(STOP_RETRY_MS);
				}
			};
			let stopping: Promise<void> | undefined;
			void failure.then((error) => {
				if (error && refresh !== undefined) stopping = stopRefresh();
			});
			try {
				return await run();
			} catch (error) {
				// Stopped for the lane's failure: that is the refresh's error.
				throw stopping ? await failure : error;
			} finally {
				refresh = undefined;
				await stopping;
			}
		},
		async cancel() {
			cancelled = true;
			// Only while it works, and before it is told to stop: its transaction is then still
			// open (idle, a cancel is ignored), so the signal cannot reach its connection once back
			// in the pool, running another session's statement.
			if (backend !== undefined)
				await db.execute(sql`SELECT pg_cancel_backend(${backend})`).catch(() => undefined);
			await done.catch(() => undefined);
		}
	};
}
