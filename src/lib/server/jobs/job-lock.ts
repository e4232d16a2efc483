/**
 * One run of a scheduled job at a time across every app instance (issue #7): the job runs
 * inside a transaction holding a Postgres advisory lock named after it, so a second instance
 * whose cron fires at the same moment finds the lock taken and skips its run. The lock is a
 * transaction lock: if the instance dies mid-run, Postgres ends the transaction and frees it.
 * https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db';

/** What came of asking to run a job. */
export type LockedRun<T> = { ran: true; result: T } | { ran: false };

/** The advisory-lock key of a job: a stable 32-bit hash of its name, namespaced. */
function lockKey(job: string) {
	return sql`hashtext(${`ssdm-job:${job}`})`;
}

/**
 * Runs `run` unless another instance is running the same job. The job's own queries use their
 * own connections; this one only holds the lock. On the embedded PGlite database there is one
 * process (PGlite admits no other), and a transaction there would block the job's own queries,
 * so it runs without a lock.
 */
export async function withJobLock<T>(
	database: Database,
	job: string,
	run: () => Promise<T>
): Promise<LockedRun<T>> {
	if (database.kind === 'pglite') return { ran: true, result: await run() };
	return database.db.transaction(async (tx): Promise<LockedRun<T>> => {
		const [lock] = await queryRows<{ locked: boolean }>(
			tx,
			sql`SELECT pg_try_advisory_xact_lock(${lockKey(job)}) AS locked`
		);
		if (!lock?.locked) return { ran: false };
		return { ran: true, result: await run() };
	});
}
