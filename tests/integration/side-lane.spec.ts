/**
 * A refresh's side lane (`side-lane.ts`): work done and committed on a second connection for
 * the refresh to go on with, with its value, its failure the refresh's, and a cancelled lane
 * stopped at once. Postgres only (PGlite has one connection and no side lane); the refreshes that go
 * through it are checked against hand-computed values in `indicators.spec.ts`.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/lib/indicators/periods';
import { queryRows, type Tx } from '../../src/lib/server/db';
import { createContext } from '../../src/lib/server/indicators/context';
import { canRunSideLane, startSideLane } from '../../src/lib/server/indicators/side-lane';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const PERIODS = [parsePeriod('2026-01')!, parsePeriod('2026-02')!];

describe.skipIf(!DATABASE_KINDS.includes('postgres'))('a refresh’s side lane', () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase('postgres');
	});
	afterAll(() => database?.drop());

	/** Runs `work` in a transaction with the refresh's work tables, then rolls it back. */
	async function inRefresh(work: (tx: Tx) => Promise<void>) {
		await database.db
			.transaction(async (tx) => {
				await createContext(tx, PERIODS, undefined, { lane: 'refresh' });
				await work(tx);
				tx.rollback();
			})
			.catch((error: Error) => {
				if (error.message !== 'Rollback') throw error;
			});
	}

	it('commits its work before the refresh goes on with it', async () => {
		await inRefresh(async (tx) => {
			expect(canRunSideLane(tx)).toBe(true);
			let release!: () => void;
			const released = new Promise<void>((resolve) => (release = resolve));
			let written!: () => void;
			const wrote = new Promise<void>((resolve) => (written = resolve));
			const lane = startSideLane(database.db, async (side) => {
				// The periods of the refresh, in a table committed with the lane.
				await side.execute(sql`CREATE TABLE side_lane_periods AS
					SELECT unnest(${sql.param(PERIODS.map((p) => p.label))}::text[]) AS label`);
				written();
				await released;
				return 'the lane’s value';
			});
			await wrote;
			// Written, not committed: the refresh's transaction does not see it yet.
			const [before] = await queryRows<{ found: string | null }>(
				tx,
				sql`SELECT to_regclass('side_lane_periods')::text AS found`
			);
			expect(before!.found).toBeNull();
			release();
			expect(await lane.committed()).toBe('the lane’s value');
			const periods = await queryRows<{ label: string }>(
				tx,
				sql`SELECT label FROM side_lane_periods ORDER BY label`
			);
			expect(periods.map((row) => row.label)).toEqual(['2026-01', '2026-02']);
			await tx.execute(sql`DROP TABLE side_lane_periods`);
		});
	});

	it('fails the refresh with its own error', async () => {
		await inRefresh(async () => {
			const lane = startSideLane(database.db, async (side) => {
				await side.execute(sql`SELECT 1`);
				throw new Error('the side lane broke');
			});
			await expect(lane.committed()).rejects.toThrow('the side lane broke');
		});
	});

	it('stops the refresh’s own work when it fails, even found between two statements', async () => {
		await inRefresh(async (tx) => {
			let breakLane!: () => void;
			const broken = new Promise<void>((resolve) => (breakLane = resolve));
			const lane = startSideLane(database.db, async () => {
				await broken;
				throw new Error('the side lane broke');
			});
			const work = lane.alongside(tx, async () => {
				breakLane();
				// The lane fails while this connection runs nothing (a cancel then is ignored) …
				await new Promise((resolve) => setTimeout(resolve, 500));
				// … and far longer than the test's time limit: only a cancel sent again ends it.
				await tx.execute(sql`SELECT pg_sleep(600)`);
			});
			await expect(work).rejects.toThrow('the side lane broke');
			const [active] = await queryRows<{ n: number }>(
				database.db,
				sql`SELECT count(*)::int AS n FROM pg_stat_activity
					WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(600)%'
						AND state = 'active'`
			);
			expect(active!.n).toBe(0);
		});
	}, 20_000);

	it('leaves the refresh’s own error as it is while the lane works', async () => {
		await inRefresh(async (tx) => {
			const lane = startSideLane(database.db, async () => undefined);
			const work = lane.alongside(tx, async () => {
				await tx.execute(sql`SELECT 1`);
				throw new Error('the refresh broke');
			});
			await expect(work).rejects.toThrow('the refresh broke');
			await lane.cancel();
		});
	});

	it('stops a statement under way when cancelled, and gives its connection back', async () => {
		let started!: () => void;
		const sleeping = new Promise<void>((resolve) => (started = resolve));
		const lane = startSideLane(database.db, async (side) => {
			started();
			// Far longer than the test's own time limit: only the cancel ends it in time.
			await side.execute(sql`SELECT pg_sleep(600)`);
		});
		await sleeping;
		// Until the sleep is under way on the server.
		for (let tries = 0; tries < 100; tries++) {
			const [row] = await queryRows<{ n: number }>(
				database.db,
				sql`SELECT count(*)::int AS n FROM pg_stat_activity
					WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(600)%'
						AND state = 'active'`
			);
			if (row!.n === 1) break;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		await lane.cancel();
		const [after] = await queryRows<{ active: number; open: number }>(
			database.db,
			sql`SELECT count(*) FILTER (WHERE query LIKE 'SELECT pg_sleep(600)%' AND state = 'active')::int
					AS active,
				count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS open
			FROM pg_stat_activity WHERE datname = current_database()`
		);
		expect(after).toEqual({ active: 0, open: 0 });
	}, 20_000);
});
