/**
 * Reliability under a database fault (issue #7): while the built server answers a stream of
 * requests and an import runs, every connection to the database is killed, twice — what a
 * Postgres restart does to clients. The server must keep running and serve again within
 * seconds, with no restart; the import must leave all of its file or none of it, and a re-run
 * must bring the registry to exactly the file's rows (nothing lost, nothing twice).
 *
 * Postgres only: the embedded PGlite database lives inside the server process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db';
import { importFile } from '../../src/lib/server/ingest/import-file';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('databaseUrl');

// Enough rows that the import is still running when the connections are killed.
const OFFICES = 20_000;
const PREFIX = 'FAULT-';

/** Kills every other connection to the test database, as a restart of Postgres would. */
async function killConnections(url: string): Promise<number> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const result = await client.query(
			`SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS killed FROM pg_stat_activity
			 WHERE datname = current_database() AND pid <> pg_backend_pid()`
		);
		return Number(result.rows[0].killed);
	} finally {
		await client.end();
	}
}

async function countOffices(url: string): Promise<number> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const result = await client.query(
			`SELECT count(*)::int AS n FROM offices WHERE office_code LIKE '${PREFIX}%'`
		);
		return result.rows[0].n as number;
	} finally {
		await client.end();
	}
}

describe.skipIf(!databaseUrl)('a database fault while serving and importing', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'ssdm-fault-'));

	afterAll(async () => {
		rmSync(dir, { recursive: true, force: true });
		if (!databaseUrl) return;
		// Leave the shared e2e registry as the other tests expect it.
		const client = new pg.Client({ connectionString: databaseUrl });
		await client.connect();
		await client.query(`DELETE FROM offices WHERE office_code LIKE '${PREFIX}%'`);
		await client.end();
	});

	it('keeps serving, recovers within seconds, and the import is all-or-nothing', async () => {
		const url = databaseUrl!;
		const communes = (await (
			await fetch(`${baseUrl}/api/indicators/registration_coverage?level=commune&parent=17`)
		).json()) as { code: string }[];
		const lines = ['office_code,level,geo_code,opened_on,closed_on,staff_count,staff_trained'];
		for (let i = 0; i < OFFICES; i++) {
			lines.push(
				`${PREFIX}${i},commune_front,${communes[i % communes.length]!.code},2020-01-01,,2,1`
			);
		}
		const file = path.join(dir, 'offices.csv');
		writeFileSync(file, `${lines.join('\n')}\n`);

		// Requests keep coming while the fault happens.
		const statuses: number[] = [];
		let serving = true;
		const traffic = (async () => {
			while (serving) {
				const response = await fetch(
					`${baseUrl}/api/indicators/registration_coverage?level=province`
				).catch(() => null);
				statuses.push(response?.status ?? 0);
				await response?.arrayBuffer();
			}
		})();

		const importer = await openDatabase({ url });
		const firstImport = importFile(importer.db, file).then(
			(summary) => ({ ok: true as const, inserted: summary.inserted }),
			(error: Error) => ({ ok: false as const, error: error.message })
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const killed = [await killConnections(url)];
		await new Promise((resolve) => setTimeout(resolve, 500));
		killed.push(await killConnections(url));
		const first = await firstImport;

		// The server answers the health check again within seconds, without a restart.
		const faultOver = Date.now();
		let healthy = false;
		while (!healthy && Date.now() - faultOver < 10_000) {
			const health = await fetch(`${baseUrl}/api/health`).catch(() => null);
			healthy = health?.status === 200;
			if (!healthy) await new Promise((resolve) => setTimeout(resolve, 200));
		}
		const recoveredAfterMs = Date.now() - faultOver;
		serving = false;
		await traffic;
		expect(healthy).toBe(true);
		expect(recoveredAfterMs).toBeLessThan(10_000);
		// The server process never went away: a request that could not connect at all would
		// be status 0 (requests in flight during the fault may fail with a 500).
		expect(statuses.length).toBeGreaterThan(0);
		expect(statuses.filter((s) => s === 0)).toEqual([]);
		expect(killed[0]).toBeGreaterThan(0);
		// Once healthy, it serves every request again.
		const after: number[] = [];
		for (let i = 0; i < 10; i++) {
			const response = await fetch(
				`${baseUrl}/api/indicators/registration_coverage?level=province`
			);
			after.push(response.status);
			await response.arrayBuffer();
		}
		expect(after).toEqual(Array.from({ length: 10 }, () => 200));

		// All or nothing: the interrupted import left either every office or none.
		const afterFirst = await countOffices(url);
		expect(first.ok ? OFFICES : 0).toBe(afterFirst);

		// A re-run (with a fresh connection) brings exactly the file's rows.
		await importer.close();
		const again = await openDatabase({ url });
		try {
			const summary = await importFile(again.db, file);
			expect(summary.inserted + summary.unchanged).toBe(OFFICES);
			expect(summary.rejected).toBe(0);
		} finally {
			await again.close();
		}
		expect(await countOffices(url)).toBe(OFFICES);
	});
});
