/**
 * A full refresh on Postgres computes on two connections at once. Its statements each run on
 * one core (the planner seldom splits those that write millions of rows among workers), and
 * this server has two: part of the work runs in a side lane, a transaction of its own on
 * another connection, while the refresh's transaction does the rest. What the lane writes and
 * commits (see `refresh.ts`) is the refresh's to use once `committed` resolves.
 *
 * The side lane only reads the registry and writes temporary tables (dropped when its
 * transaction ends) and the new partitions it commits (see `createContext`); a refresh that
 * fails cancels it, and a side lane that fails stops the refresh's statement under way (see
 * `alongside`). Both transactions read committed data statement by statement, as the refresh's
 * one transaction does.
 *
 * PGlite is one connection: there the refresh does everything itself, one step after the other,
 * as does an incremental refresh (its work is small).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { Period } from '../../indicators/periods';
import { postgresClient, queryRows, type Db, type Tx } from '../db';
import { createContext, type ComputeContext } from './context';

export interface SideLane {
	/** Resolves once the lane has done its work and committed; rejects with its error if it failed. */
	committed(): Promise<void>;
	/** Stops the lane (the refresh failed): its statement under way is cancelled. */
	cancel(): Promise<void>;
	/**
	 * Runs the refresh's own `work` in `tx` while the lane works: if the lane fails, the
	 * statement `tx` runs is cancelled, so the refresh fails at once with the lane's error instead
	 * of finding it when it waits for the lane's commit, minutes later.
	 */
	alongside<T>(tx: Tx, work: () => Promise<T>): Promise<T>;
}

/** How often a failed lane's cancel is sent to the refresh's connection until its work ends. */
const STOP_RETRY_MS = 200;

/** Why a cancelled lane ended, so that its rejection is not mistaken for a failure. */
class LaneCancelled extends Error {}

/** Whether `tx` can have a side lane: a transaction on Postgres (not PGlite). */
export function canRunSideLane(tx: Tx): boolean {
	return postgresClient(tx) !== undefined;
}

/**
 * Starts `work`, part of a full refresh of `periods`, on another connection of `db`'s pool, in
 * a transaction of its own, committed when `work` ends.
 */
export function startSideLane(
	db: Db,
	periods: readonly Period[],
	work: (context: ComputeContext) => Promise<void>
): SideLane {
	// The lane's error, if it fails (not when cancelled).
	let laneError: Error | undefined;
	let signalFailure!: () => void;
	const failed = new Promise<void>((resolve) => (signalFailure = resolve));
	let backend: number | undefined;
	let cancelled = false;
	// The refresh's own connection while `alongside` runs its work.
	let refresh: { backend: number } | undefined;
	const done = db.transaction(async (side) => {
		const [connection] = await queryRows<{ pid: number }>(
			side,
			sql`SELECT pg_backend_pid() AS pid`
		);
		if (cancelled) throw new LaneCancelled();
		backend = connection!.pid;
		try {
			await work(await createContext(side, periods, undefined, { lane: 'side' }));
		} finally {
			// From here on its connection runs nothing `cancel` may stop (its commit).
			backend = undefined;
		}
	});
	done.catch((error: unknown) => {
		if (error instanceof LaneCancelled) return;
		laneError = error as Error;
		signalFailure();
	});
	return {
		committed: () => done,
		async alongside(tx, run) {
			const [connection] = await queryRows<{ pid: number }>(
				tx,
				sql`SELECT pg_backend_pid() AS pid`
			);
			refresh = { backend: connection!.pid };
			// Until `run` ends: a cancel that reaches the connection between two statements is
			// ignored, so it is sent again until one stops a statement. Sent only while `run` runs,
			// whose transaction stays open until the last cancel is through (awaited below): the
			// signal cannot reach the connection once back in the pool.
			const stopRefresh = async () => {
				while (refresh) {
					await db
						.execute(sql`SELECT pg_cancel_backend(${refresh.backend})`)
						.catch(() => undefined);
					await sleep(STOP_RETRY_MS);
				}
			};
			let stopping: Promise<void> | undefined;
			void failed.then(() => {
				if (refresh) stopping = stopRefresh();
			});
			try {
				return await run();
			} catch (error) {
				// Stopped for the lane's failure: that is the refresh's error.
				throw stopping ? laneError : error;
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
