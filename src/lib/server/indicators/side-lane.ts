/**
 * A full refresh on Postgres computes on two connections at once. Its statements each run on
 * one core (the planner seldom splits those that write millions of rows among workers), and
 * this server has two: part of the work runs in a side lane, a transaction of its own on
 * another connection, while the refresh's transaction does the rest. The side lane works in
 * phases; after each, its rows move into the refresh's tables when the refresh asks for them (a
 * binary `COPY` from one connection to the other, through this process), and the refresh goes
 * on with them as if it had counted them itself; or a phase writes tables that the lane commits,
 * for the refresh to use once the last hand-over tells it the lane has committed.
 *
 * The side lane only reads the registry and writes temporary tables (its stores' rows too, see
 * `createContext`), dropped when its transaction ends, and the tables its phases commit (see
 * `refresh.ts`); a refresh that fails cancels it, and a side lane that fails stops the
 * refresh's statement under way (see `alongside`). Both transactions read committed data
 * statement by statement, as the refresh's one transaction does.
 *
 * PGlite is one connection: there the refresh does everything itself, one step after the other,
 * as does an incremental refresh (its work is small).
 */
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Period } from '../../indicators/periods';
import { postgresClient, queryRows, type Db, type Tx } from '../db';
import { createContext, type ComputeContext } from './context';

/** A phase of a side lane: its work, then the tables whose rows it hands over. */
export interface SidePhase {
	/** What it computes, for the refresh's progress. */
	name: string;
	work: (context: ComputeContext) => Promise<void>;
	/**
	 * Each a table of the side lane (`from`) and where its rows go in the refresh (`into`). A phase
	 * without any does not wait for the refresh to ask: the lane goes on to the next one, or
	 * commits.
	 */
	handOver: readonly { from: string; into: string }[];
}

export interface SideLane {
	/**
	 * Waits for the next phase's work, then copies its rows into `tx`'s tables (the last phase's:
	 * until the lane has committed); rejects with the lane's error if it failed.
	 */
	handOver(tx: Tx): Promise<void>;
	/** Stops the lane (the refresh failed): its statement under way is cancelled. */
	cancel(): Promise<void>;
	/**
	 * Runs the refresh's own `work` in `tx` while the lane works: if the lane fails before it has
	 * handed everything over, the statement `tx` runs is cancelled (not a hand-over, which ends
	 * with the lane's error anyway), so the refresh fails at once with the lane's error instead of
	 * finding it at the next hand-over, minutes later.
	 */
	alongside<T>(tx: Tx, work: () => Promise<T>): Promise<T>;
}

/** How often a failed lane's cancel is sent to the refresh's connection until its work ends. */
const STOP_RETRY_MS = 200;

/** Why a cancelled lane ended, so that its rejection is not mistaken for a failure. */
class LaneCancelled extends Error {}

/**
 * Each table's rows of one connection appended to its counterpart of another: made alike (by
 * `createContext`, or like the same store), so their columns match in order and type.
 */
async function copyRows(from: pg.ClientBase, into: pg.ClientBase, tables: SidePhase['handOver']) {
	for (const table of tables)
		await pipeline(
			from.query(copyTo(`COPY ${table.from} TO STDOUT (FORMAT binary)`)),
			into.query(copyFrom(`COPY ${table.into} FROM STDIN (FORMAT binary)`))
		);
}

/** Whether `tx` can have a side lane: a transaction on Postgres (not PGlite). */
export function canRunSideLane(tx: Tx): boolean {
	return postgresClient(tx) !== undefined;
}

/** A promise with its resolution handed out. */
function deferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((done) => (resolve = done));
	return { promise, resolve };
}

/**
 * Starts the `phases` of a full refresh of `periods` on another connection of `db`'s pool, in
 * a transaction of its own. The refresh calls `handOver` once per phase, in order.
 */
export function startSideLane(db: Db, periods: readonly Period[], phases: SidePhase[]): SideLane {
	// Where each phase's rows go: the refresh's connection, or none when it was cancelled.
	const targets = phases.map(() => deferred<pg.ClientBase | undefined>());
	// Each phase's end: undefined once handed over, or the lane's error.
	const handed = phases.map(() => deferred<unknown>());
	// The lane's error, if it fails before handing everything over (not when cancelled).
	const failed = deferred<Error>();
	let laneError: Error | undefined;
	let handedOver = 0;
	let backend: number | undefined;
	let cancelled = false;
	// The refresh's own connection while `alongside` runs its work, outside hand-overs.
	let refresh: { backend: number; handingOver: boolean } | undefined;
	const done = db.transaction(async (side) => {
		const [connection] = await queryRows<{ pid: number }>(
			side,
			sql`SELECT pg_backend_pid() AS pid`
		);
		const context = await createContext(side, periods, undefined, { lane: 'side' });
		for (const [i, phase] of phases.entries()) {
			if (cancelled) throw new LaneCancelled();
			backend = connection!.pid;
			try {
				await phase.work(context);
			} finally {
				// From here on its connection runs nothing `cancel` may stop.
				backend = undefined;
			}
			// A phase with rows to hand over waits for the refresh; one without goes on.
			if (phase.handOver.length > 0) {
				const into = await targets[i]!.promise;
				if (!into) throw new LaneCancelled();
				await copyRows(postgresClient(side)!, into, phase.handOver);
			}
			handedOver++;
			handed[i]!.resolve(undefined);
		}
	});
	// Every phase not handed over ends with the lane's error (awaited by `handOver` or not at all).
	done.catch((error: unknown) => {
		for (const phase of handed) phase.resolve(error);
		if (!(error instanceof LaneCancelled) && handedOver < phases.length) {
			laneError = error as Error;
			failed.resolve(laneError);
		}
	});
	let next = 0;
	return {
		async handOver(tx) {
			const i = next++;
			if (i >= phases.length) throw new Error(`The side lane has only ${phases.length} phases.`);
			if (refresh) refresh.handingOver = true;
			try {
				targets[i]!.resolve(postgresClient(tx));
				const error = await handed[i]!.promise;
				if (error) throw error;
				// The last phase's hand-over ends when the lane has committed (what it wrote is then
				// the refresh's to use).
				if (i === phases.length - 1) await done;
			} finally {
				if (refresh) refresh.handingOver = false;
			}
		},
		async alongside(tx, work) {
			const [connection] = await queryRows<{ pid: number }>(
				tx,
				sql`SELECT pg_backend_pid() AS pid`
			);
			refresh = { backend: connection!.pid, handingOver: false };
			// Until `work` ends: a cancel that reaches the connection between two statements is
			// ignored, so it is sent again until one stops a statement. Sent only while `work` runs,
			// whose transaction stays open until the last cancel is through (awaited below): the
			// signal cannot reach the connection once back in the pool.
			const stopRefresh = async () => {
				while (refresh) {
					if (!refresh.handingOver)
						await db
							.execute(sql`SELECT pg_cancel_backend(${refresh.backend})`)
							.catch(() => undefined);
					await sleep(STOP_RETRY_MS);
				}
			};
			let stopping: Promise<void> | undefined;
			void failed.promise.then(() => {
				if (refresh) stopping = stopRefresh();
			});
			try {
				return await work();
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
			for (const target of targets) target.resolve(undefined);
			await done.catch(() => undefined);
		}
	};
}
