/**
 * The stores' partitions by period (migration 0010, `partitions.ts`): the migration moves the
 * stored rows into one partition per period, and a full refresh replaces each refreshed
 * period's partition whole, leaving no row it did not compute and no table behind.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../src/lib/server/db';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { refreshAfterImport, refreshAll } from '../../src/lib/server/indicators/refresh';
import { FIXTURE_FILES, FIXTURE_TODAY, writeDir } from './indicator-fixture';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const MIGRATIONS = path.resolve('drizzle');

/** The statements of migration `tag`, as drizzle's migrator splits them. */
function migration(tag: string): string[] {
	return readFileSync(path.join(MIGRATIONS, `${tag}.sql`), 'utf8')
		.split('--> statement-breakpoint')
		.filter((s) => s.trim() !== '');
}

describe('migration 0010: the stores partitioned by period', () => {
	it('moves every stored row into its period’s partition, keys kept', async () => {
		const journal = JSON.parse(readFileSync(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8'));
		const tags: string[] = journal.entries.map((e: { tag: string }) => e.tag);
		const at = tags.indexOf('0010_stores_by_period');
		const client = new PGlite();
		try {
			for (const tag of tags.slice(0, at))
				for (const statement of migration(tag)) await client.exec(statement);
			await client.exec(`INSERT INTO indicator_values (indicator_id, period, level, geo_code,
					numerator, denominator, value) VALUES
				('registration_coverage', '2025-06', 'national', 'KH', 7, 49, 0.142857),
				('registration_coverage', '2025-Q2', 'national', 'KH', 7, 49, 0.142857),
				('appeals_rate', '2024', 'province', '17', 2, 9, 222.2);
				INSERT INTO programme_values (period, level, geo_code, programme, e, en)
					VALUES ('2025-Q2', 'village', '17010101', 'HEF', 3, 2)`);
			for (const statement of migration(tags[at]!)) await client.exec(statement);

			const partitions = await client.query<{ parent: string; name: string; rows: number }>(
				`SELECT p.relname AS parent, c.relname AS name,
					(xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', c.relname),
						false, true, '')))[1]::text::int AS rows
				FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
				JOIN pg_class p ON p.oid = i.inhparent
				WHERE p.relname IN ('indicator_values', 'programme_values') ORDER BY 1, 2`
			);
			expect(partitions.rows).toEqual([
				{ parent: 'indicator_values', name: 'indicator_values_2024', rows: 1 },
				{ parent: 'indicator_values', name: 'indicator_values_2025_06', rows: 1 },
				{ parent: 'indicator_values', name: 'indicator_values_2025_q2', rows: 1 },
				{ parent: 'indicator_values', name: 'indicator_values_default', rows: 0 },
				{ parent: 'programme_values', name: 'programme_values_2025_q2', rows: 1 },
				{ parent: 'programme_values', name: 'programme_values_default', rows: 0 }
			]);
			const values = await client.query(
				`SELECT indicator_id, period, geo_code, numerator, denominator FROM indicator_values
				ORDER BY period`
			);
			expect(values.rows).toEqual([
				{
					indicator_id: 'appeals_rate',
					period: '2024',
					geo_code: '17',
					numerator: 2,
					denominator: 9
				},
				{
					indicator_id: 'registration_coverage',
					period: '2025-06',
					geo_code: 'KH',
					numerator: 7,
					denominator: 49
				},
				{
					indicator_id: 'registration_coverage',
					period: '2025-Q2',
					geo_code: 'KH',
					numerator: 7,
					denominator: 49
				}
			]);
			const counts = await client.query(`SELECT e, en, n, group_by FROM programme_values`);
			expect(counts.rows).toEqual([{ e: 3, en: 2, n: 0, group_by: '' }]);
			// The key still holds, across partitions' parent.
			await expect(
				client.exec(`INSERT INTO indicator_values (indicator_id, period, level, geo_code)
					VALUES ('appeals_rate', '2024', 'province', '17')`)
			).rejects.toThrow(/duplicate key/);
		} finally {
			await client.close();
		}
	});
});

describe.each(DATABASE_KINDS)('a full refresh swaps the periods’ partitions (%s)', (kind) => {
	let database: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-partitions-'));
		for (const [name, content] of Object.entries(FIXTURE_FILES))
			writeFileSync(path.join(dir, name), content);
		await importPath(database.db, dir);
	}, 60_000);

	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const partitions = async () =>
		(
			await queryRows<{ name: string }>(
				database.db,
				sql`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
					JOIN pg_class p ON p.oid = i.inhparent
					WHERE p.relname = 'indicator_values' ORDER BY 1`
			)
		).map((r) => r.name);
	/** Rows no refresh computes: one per store, period 2025-06. */
	const addStale = async () => {
		await database.db.execute(sql`INSERT INTO indicator_values (indicator_id, period, level,
				geo_code, numerator, denominator, value)
			VALUES ('stale', '2025-06', 'national', 'KH', 1, 1, 1)`);
		await database.db.execute(sql`INSERT INTO programme_values (period, level, geo_code,
				programme, e) VALUES ('2025-06', 'national', 'KH', 'STALE', 5)`);
	};
	const stale = async () =>
		(
			await queryRows<{ n: number }>(
				database.db,
				sql`SELECT ((SELECT count(*) FROM indicator_values WHERE indicator_id = 'stale')
					+ (SELECT count(*) FROM programme_values WHERE programme = 'STALE'))::int AS n`
			)
		)[0]!.n;
	const coverage = async () =>
		(
			await queryRows<{ numerator: number; denominator: number }>(
				database.db,
				sql`SELECT numerator, denominator FROM indicator_values
					WHERE indicator_id = 'registration_coverage' AND period = '2025-Q2' AND geo_code = 'KH'`
			)
		)[0];

	it('puts each period in its own partition and leaves no row it did not compute', async () => {
		// Before any refresh, period 2025-06 has no partition: its rows are in the default one.
		await addStale();
		expect(await stale()).toBe(2);
		const result = await refreshAll(database.db, { today: FIXTURE_TODAY });
		expect(result.periods).toContain('2025-06');
		const expected = [
			...result.periods.map((p) => `indicator_values_${p.toLowerCase().replace('-', '_')}`),
			'indicator_values_default'
		].sort();
		expect(await partitions()).toEqual(expected);
		expect(await stale()).toBe(0);
		// Registered by 2025-06-30: 7 of 49 households (the hand-worked case of indicators.spec).
		expect(await coverage()).toEqual({ numerator: 7, denominator: 49 });
		// No new partition left behind, and nothing in the default partitions.
		const [left] = await queryRows<{ next: number; defaults: number }>(
			database.db,
			sql`SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE '%next%')::int AS next,
				((SELECT count(*) FROM indicator_values_default)
					+ (SELECT count(*) FROM programme_values_default))::int AS defaults`
		);
		expect(left).toEqual({ next: 0, defaults: 0 });
	});

	it('replaces a period’s partition whole on the next full refresh', async () => {
		const [before] = await queryRows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM indicator_values`
		);
		await addStale();
		expect(await stale()).toBe(2);
		const result = await refreshAll(database.db, { today: FIXTURE_TODAY });
		expect(await stale()).toBe(0);
		const [after] = await queryRows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM indicator_values`
		);
		expect(after!.n).toBe(before!.n);
		expect(await coverage()).toEqual({ numerator: 7, denominator: 49 });
		// Every partition has the store's key, its index named for it (built before the swap as
		// `…_next_pkey`) and part of the store's key's index.
		const names = async (parents: SQL) =>
			(
				await queryRows<{ name: string }>(
					database.db,
					sql`SELECT inhrelid::regclass::text AS name FROM pg_inherits
						WHERE inhparent IN (${parents}) ORDER BY 1`
				)
			).map((r) => r.name);
		const stores = sql`'indicator_values'::regclass, 'programme_values'::regclass`;
		const partitions = await names(stores);
		// Both stores' partitions of the refreshed periods, and their default ones, among others.
		expect(partitions).toEqual(
			expect.arrayContaining(
				['indicator_values', 'programme_values'].flatMap((store) => [
					...result.periods.map((p) => `${store}_${p.toLowerCase().replace('-', '_')}`),
					`${store}_default`
				])
			)
		);
		expect(
			await names(sql`SELECT conindid FROM pg_constraint
			WHERE contype = 'p' AND conrelid IN (${stores})`)
		).toEqual(partitions.map((name) => `${name}_pkey`).sort());
	});
});

describe.runIf(DATABASE_KINDS.includes('postgres'))('the swap and the stores’ readers', () => {
	let database: TestDatabase;
	let dir: string;
	const clients: pg.Client[] = [];
	/** A session of its own on the test database. */
	const connect = async () => {
		const client = new pg.Client({ connectionString: database.url });
		await client.connect();
		clients.push(client);
		return client;
	};

	beforeAll(async () => {
		database = await createTestDatabase('postgres');
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-swap-lock-'));
		for (const [name, content] of Object.entries(FIXTURE_FILES))
			writeFileSync(path.join(dir, name), content);
		await importPath(database.db, dir);
		await refreshAll(database.db, { today: FIXTURE_TODAY });
	}, 60_000);

	afterAll(async () => {
		delete process.env.REFRESH_LOCK_WAIT;
		for (const client of clients) await client.end();
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	/** A session in a transaction that has read the stores: it holds them until it ends. */
	const longReader = async () => {
		const client = await connect();
		await client.query('BEGIN');
		await client.query('SELECT count(*) FROM indicator_values');
		await client.query('SELECT count(*) FROM programme_values');
		return client;
	};
	/** Resolves once the refresh is trying to lock the stores. */
	const swapTrying = async (watcher: pg.Client) => {
		for (;;) {
			const { rows } = await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity
				WHERE datname = current_database() AND query LIKE 'LOCK TABLE%'`);
			if (rows[0].n > 0) return;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	};
	const registrationCoverage = async (client: pg.Client) =>
		(
			await client.query(`SELECT numerator, denominator FROM indicator_values
				WHERE indicator_id = 'registration_coverage' AND period = '2025-Q2' AND geo_code = 'KH'`)
		).rows[0];

	it('waits for a long reader while other readers go on, then swaps', async () => {
		process.env.REFRESH_LOCK_WAIT = '120';
		const reader = await longReader();
		let finished = false;
		const refreshing = refreshAll(database.db, { today: FIXTURE_TODAY }).then((result) => {
			finished = true;
			return result;
		});
		const watcher = await connect();
		await swapTrying(watcher);
		// A reader arriving while the swap waits is answered (a swap waiting in the lock queue
		// for as long as the long reader lasts would hold it, and this test would time out).
		expect(await registrationCoverage(await connect())).toEqual({ numerator: 7, denominator: 49 });
		expect(finished).toBe(false);
		await reader.query('COMMIT');
		const result = await refreshing;
		expect(result.periods).toContain('2025-Q2');
		expect(await registrationCoverage(watcher)).toEqual({ numerator: 7, denominator: 49 });
	}, 60_000);

	/** The tables a full refresh makes and drops as it swaps (`…_next`), left in the database. */
	const leftNext = async (client: pg.Client) =>
		(await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE '%\\_next%'`))
			.rows[0].n;

	it('runs another process’s full refresh after this one’s, not beside it', async () => {
		process.env.REFRESH_LOCK_WAIT = '120';
		// The refresh module afresh: a refresh queue of its own, as in another process.
		vi.resetModules();
		const other = await import('../../src/lib/server/indicators/refresh');
		const results = await Promise.all([
			refreshAll(database.db, { today: FIXTURE_TODAY }),
			other.refreshAll(database.db, { today: FIXTURE_TODAY })
		]);
		expect(results.map((r) => r.periods.includes('2025-Q2'))).toEqual([true, true]);
		const watcher = await connect();
		expect(await registrationCoverage(watcher)).toEqual({ numerator: 7, denominator: 49 });
		expect(await leftNext(watcher)).toBe(0);
	}, 60_000);

	it('drops the new partitions a refresh that stopped half-way left', async () => {
		const watcher = await connect();
		// As a side lane leaves them, committed, when its process ends before the refresh does.
		await watcher.query(`CREATE TABLE indicator_values_next
				(LIKE indicator_values INCLUDING DEFAULTS) PARTITION BY LIST (period);
			CREATE TABLE indicator_values_2025_06_next PARTITION OF indicator_values_next
				FOR VALUES IN ('2025-06');
			INSERT INTO indicator_values_next (indicator_id, period, level, geo_code, numerator,
				denominator, value) VALUES ('registration_coverage', '2025-06', 'national', 'KH', 1, 2, 0.5)`);
		await refreshAll(database.db, { today: FIXTURE_TODAY });
		expect(await registrationCoverage(watcher)).toEqual({ numerator: 7, denominator: 49 });
		expect(await leftNext(watcher)).toBe(0);
	}, 60_000);

	it('gives up after REFRESH_LOCK_WAIT seconds and leaves the stored values as they were', async () => {
		process.env.REFRESH_LOCK_WAIT = '2';
		const watcher = await connect();
		// A row no refresh computes: a swap would remove it.
		await watcher.query(`INSERT INTO indicator_values (indicator_id, period, level, geo_code,
				numerator, denominator, value) VALUES ('stale', '2025-06', 'national', 'KH', 1, 1, 1)`);
		const reader = await longReader();
		await expect(refreshAll(database.db, { today: FIXTURE_TODAY })).rejects.toThrow(
			'Other sessions read the stored indicators for more than 2 s, so the refreshed values could not take their place: the refresh was rolled back and the stored values are unchanged'
		);
		await reader.query('COMMIT');
		const { rows } = await watcher.query(`SELECT
				(SELECT count(*) FROM indicator_values WHERE indicator_id = 'stale')::int AS stale,
				(SELECT error FROM refresh_runs ORDER BY id DESC LIMIT 1) AS error`);
		expect(rows[0]).toEqual({
			stale: 1,
			error: expect.stringContaining('the stored values are unchanged')
		});
		// Nor the new partitions its side lane had committed.
		expect(await leftNext(watcher)).toBe(0);
		expect(await registrationCoverage(watcher)).toEqual({ numerator: 7, denominator: 49 });
	}, 60_000);

	it('leaves the medians’ counts of a refresh that gave up fit for the incremental refreshes after it', async () => {
		process.env.REFRESH_LOCK_WAIT = '2';
		const watcher = await connect();
		const nationMedian = async () =>
			(
				await watcher.query(`SELECT numerator, value FROM indicator_values
					WHERE indicator_id = 'processing_days_median' AND period = '2025-06'
						AND level = 'national' AND programme = '' AND group_by = ''`)
			).rows;
		const applications = (rows: string) =>
			writeDir({
				'applications.csv': `application_id,programme_code,household_id,person_id,applied_on,status,decided_on\n${rows}\n`
			});
		// Decided in June 2025: A6 (40 days) and A9 (66 days).
		expect(await nationMedian()).toEqual([{ numerator: 2, value: 53 }]);
		// X1 (household H7, province 01) decided in 40 days, imported without its refresh; the
		// full refresh after it gives up at the swap, once its side lane has committed the
		// medians' counts (median_days), which then hold X1 while the stored medians do not.
		const first = applications('X1,HEF,H7,,2025-05-01,approved,2025-06-10');
		await importPath(database.db, first);
		const reader = await longReader();
		await expect(refreshAll(database.db, { today: FIXTURE_TODAY })).rejects.toThrow(
			'the stored values are unchanged'
		);
		await reader.query('COMMIT');
		expect(await nationMedian()).toEqual([{ numerator: 2, value: 53 }]);
		// X2 (household H1, province 17) decided in 20 days, then its incremental refresh: the
		// nation's median is taken over A6, A9, X1 and X2 (20, 40, 40, 66 days), as a full
		// refresh takes it.
		const second = applications('X2,HEF,H1,,2025-06-01,rejected,2025-06-21');
		const outcomes = await importPath(database.db, second);
		await refreshAfterImport(
			database.db,
			outcomes.map((o) => (o.ok ? o.summary.touch : undefined))
		);
		expect(await nationMedian()).toEqual([{ numerator: 4, value: 40 }]);
		delete process.env.REFRESH_LOCK_WAIT;
		await refreshAll(database.db, { today: FIXTURE_TODAY });
		expect(await nationMedian()).toEqual([{ numerator: 4, value: 40 }]);
		for (const extra of [first, second]) rmSync(extra, { recursive: true, force: true });
	}, 60_000);
});
