/**
 * Killing `npm run import` in the middle of a file leaves nothing of that file in the
 * database, and running it again imports the file whole. Needs real Postgres (a second
 * connection watches the import's progress), so it runs where TEST_DATABASE_ADMIN_URL is set.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/lib/server/db';
import { importFile } from '../../src/lib/server/ingest/import-file';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

// Enough rows that the import is still staging them when it is killed.
const HOUSEHOLDS = 200_000;

describe.skipIf(!DATABASE_KINDS.includes('postgres'))('killing an import mid-file', () => {
	let database: TestDatabase;
	let dir: string;
	let url: string;

	beforeAll(async () => {
		database = await createTestDatabase('postgres');
		url = database.url!;
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-kill-'));
		writeFileSync(
			path.join(dir, 'gazetteer.csv'),
			'province_code,district_code,commune_code,village_code\n17,1701,170101,17010101\n'
		);
		await importFile(database.db, path.join(dir, 'gazetteer.csv'));
		const lines = ['household_id,village_code,registered_on'];
		for (let i = 0; i < HOUSEHOLDS; i++) lines.push(`H${i},17010101,2024-01-10`);
		writeFileSync(path.join(dir, 'households.csv'), lines.join('\n') + '\n');
	});
	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const count = async () =>
		(
			await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM households`)
		)[0]!.n;

	it('leaves nothing behind, and the re-run imports the whole file', async () => {
		const child = spawn('npx', ['tsx', 'jobs/import.ts', path.join(dir, 'households.csv')], {
			env: { ...process.env, DATABASE_URL: url },
			stdio: 'ignore',
			detached: true
		});
		const exited = new Promise((resolve) => child.once('exit', resolve));
		// Wait until the import is writing its staging table, then kill it without warning.
		const watcher = new pg.Client({ connectionString: url });
		await watcher.connect();
		const deadline = Date.now() + 60_000;
		let staging = false;
		while (!staging && Date.now() < deadline) {
			const { rows } = await watcher.query(
				`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND (query LIKE 'INSERT INTO import_stage%' OR query LIKE 'COPY import_stage%')`
			);
			staging = rows.length > 0;
			if (!staging) await new Promise((resolve) => setTimeout(resolve, 20));
		}
		await watcher.end();
		expect(staging).toBe(true);
		process.kill(-child.pid!, 'SIGKILL');
		await exited;

		// The server notices the dropped connection and rolls the transaction back.
		const rollbackDeadline = Date.now() + 30_000;
		while (
			(
				await queryRows(
					database.db,
					sql`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND (query LIKE 'INSERT INTO import_stage%' OR query LIKE 'COPY import_stage%')`
				)
			).length > 0 &&
			Date.now() < rollbackDeadline
		) {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(await count()).toBe(0);
		expect(
			(
				await queryRows<{ n: number }>(
					database.db,
					sql`SELECT count(*)::int AS n FROM import_batches WHERE feed = 'households'`
				)
			)[0]!.n
		).toBe(0);

		const rerun = await importFile(database.db, path.join(dir, 'households.csv'));
		expect([rerun.read, rerun.inserted, rerun.rejected]).toEqual([HOUSEHOLDS, HOUSEHOLDS, 0]);
		expect(await count()).toBe(HOUSEHOLDS);
	});
});
