/**
 * A full refresh's side lane (`side-lane.ts`): work done on a second connection in phases, each
 * phase's rows handed over to the refresh's transaction in turn, its failure the refresh's, and
 * a cancelled lane stopped at once. Postgres only (PGlite has one connection and no side lane); the refreshes
 * that go through it are checked against hand-computed values in `indicators.spec.ts`.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/lib/indicators/periods';
import { queryRows, type Tx } from '../../src/lib/server/db';
import { createContext, ownStore } from '../../src/lib/server/indicators/context';
import { canRunSideLane, startSideLane } from '../../src/lib/server/indicators/side-lane';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const PERIODS = [parsePeriod('2026-01')!, parsePeriod('2026-02')!];

describe.skipIf(!DATABASE_KINDS.includes('postgres'))('a full refresh’s side lane', () => {
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

	it('hands each phase’s rows over in turn, next to the refresh’s own', async () => {
		await inRefresh(async (tx) => {
			expect(canRunSideLane(tx)).toBe(true);
			await tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code,
				numerator, denominator) VALUES ('combined_package', '2026-01', 'village', '01020304', 1, 4)`);
			const lane = startSideLane(database.db, PERIODS, [
				{
					name: 'a phase',
					work: async (context) => {
						await context.tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level,
								geo_code, programme, group_by, group_value, numerator, denominator) VALUES
							('appeals_rate', '2026-02', 'village', '01020304', '', '', '', 3, 1250),
							('approval_rate', '2026-01', 'commune', '010203', 'HEF', 'idpoor', '1', 0.5, NULL)`);
						await context.tx.execute(sql`INSERT INTO ix_programme_base (period, programme,
								level, geo_code, group_by, group_value, e) VALUES
							('2026-02', 'OAA', 'commune', '010203', 'sex', 'F', 17)`);
					},
					handOver: [
						{ from: 'ix_base', into: 'ix_base' },
						{ from: 'ix_programme_base', into: 'ix_programme_base' }
					]
				},
				{
					name: 'a phase',
					// Into a table of the side lane's, then the refresh's own rows of the store.
					work: async (context) => {
						await context.tx.execute(sql`CREATE TEMP TABLE ix_side_rows
							(LIKE indicator_values INCLUDING DEFAULTS) ON COMMIT DROP`);
						await context.tx.execute(sql`INSERT INTO ix_side_rows
							(indicator_id, period, level, geo_code, numerator, denominator, value)
							VALUES ('appeals_rate', '2026-02', 'province', '01', 3, 1250, 2.4)`);
					},
					handOver: [{ from: 'ix_side_rows', into: ownStore('indicator_values') }]
				}
			]);
			const stored = () =>
				queryRows<Record<string, unknown>>(
					tx,
					sql`SELECT indicator_id, period, level, geo_code, programme, group_by, group_value,
						numerator, denominator, value FROM ${sql.identifier(ownStore('indicator_values'))}`
				);
			await lane.handOver(tx);
			// The second phase's rows come with the second hand-over only.
			expect(await stored()).toEqual([]);
			const base = await queryRows<Record<string, unknown>>(
				tx,
				sql`SELECT indicator_id, period, level, geo_code, programme, group_by, group_value,
					numerator, denominator FROM ix_base ORDER BY indicator_id`
			);
			expect(base).toEqual([
				{
					indicator_id: 'appeals_rate',
					period: '2026-02',
					level: 'village',
					geo_code: '01020304',
					programme: '',
					group_by: '',
					group_value: '',
					numerator: 3,
					denominator: 1250
				},
				{
					indicator_id: 'approval_rate',
					period: '2026-01',
					level: 'commune',
					geo_code: '010203',
					programme: 'HEF',
					group_by: 'idpoor',
					group_value: '1',
					numerator: 0.5,
					denominator: null
				},
				{
					indicator_id: 'combined_package',
					period: '2026-01',
					level: 'village',
					geo_code: '01020304',
					programme: '',
					group_by: '',
					group_value: '',
					numerator: 1,
					denominator: 4
				}
			]);
			const counts = await queryRows<Record<string, unknown>>(
				tx,
				sql`SELECT period, programme, level, geo_code, group_by, group_value,
					e::int, en::int, n::int, n_not_e::int, a::int, ab::int, eb::int
				FROM ix_programme_base`
			);
			// The counts it did not set keep their defaults (zero), as in the refresh's own rows.
			expect(counts).toEqual([
				{
					period: '2026-02',
					programme: 'OAA',
					level: 'commune',
					geo_code: '010203',
					group_by: 'sex',
					group_value: 'F',
					e: 17,
					en: 0,
					n: 0,
					n_not_e: 0,
					a: 0,
					ab: 0,
					eb: 0
				}
			]);
			await lane.handOver(tx);
			expect(await stored()).toEqual([
				{
					indicator_id: 'appeals_rate',
					period: '2026-02',
					level: 'province',
					geo_code: '01',
					programme: '',
					group_by: '',
					group_value: '',
					numerator: 3,
					denominator: 1250,
					value: 2.4
				}
			]);
			await expect(lane.handOver(tx)).rejects.toThrow('The side lane has only 2 phases.');
		});
	});

	it('fails the refresh with its own error', async () => {
		await inRefresh(async (tx) => {
			const lane = startSideLane(database.db, PERIODS, [
				{
					name: 'a phase',
					work: async (context) => {
						await context.tx.execute(sql`SELECT 1`);
						throw new Error('the side lane broke');
					},
					handOver: []
				}
			]);
			await expect(lane.handOver(tx)).rejects.toThrow('the side lane broke');
		});
	});

	it('stops the refresh’s own work when it fails, even found between two statements', async () => {
		await inRefresh(async (tx) => {
			let breakLane!: () => void;
			const broken = new Promise<void>((resolve) => (breakLane = resolve));
			const lane = startSideLane(database.db, PERIODS, [
				{
					name: 'a phase',
					work: async () => {
						await broken;
						throw new Error('the side lane broke');
					},
					handOver: []
				}
			]);
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
			const lane = startSideLane(database.db, PERIODS, [
				{ name: 'a phase', work: async () => undefined, handOver: [] }
			]);
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
		const lane = startSideLane(database.db, PERIODS, [
			{
				name: 'a phase',
				work: async (context) => {
					started();
					// Far longer than the test's own time limit: only the cancel ends it in time.
					await context.tx.execute(sql`SELECT pg_sleep(600)`);
				},
				handOver: []
			}
		]);
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
