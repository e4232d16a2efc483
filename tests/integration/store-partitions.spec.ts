/**
 * The stores' partitions by period (migration 0010, `partitions.ts`): the migration moves the
 * stored rows into one partition per period, and a full refresh replaces each refreshed
 * period's partition whole, leaving no row it did not compute and no table behind.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/lib/server/db';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { refreshAll } from '../../src/lib/server/indicators/refresh';
import { FIXTURE_FILES, FIXTURE_TODAY } from './indicator-fixture';
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
		await refreshAll(database.db, { today: FIXTURE_TODAY });
		expect(await stale()).toBe(0);
		const [after] = await queryRows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM indicator_values`
		);
		expect(after!.n).toBe(before!.n);
		expect(await coverage()).toEqual({ numerator: 7, denominator: 49 });
	});
});
