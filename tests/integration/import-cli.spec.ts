/**
 * What `npm run import` prints of a file beyond its counts: what its written rows leave the
 * indicators to recompute. Runs the command line on real Postgres (TEST_DATABASE_ADMIN_URL).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/lib/server/ingest/import-file';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const run = promisify(execFile);

describe.skipIf(!DATABASE_KINDS.includes('postgres'))('npm run import', () => {
	let database: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase('postgres');
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-cli-'));
		writeFileSync(
			path.join(dir, 'gazetteer.csv'),
			'province_code,district_code,commune_code,village_code\n17,1701,170101,17010101\n17,1701,170102,17010201\n'
		);
		await importFile(database.db, path.join(dir, 'gazetteer.csv'));
	});
	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const importCli = async (name: string, content: string) => {
		const file = path.join(mkdtempSync(path.join(dir, 'run-')), name);
		writeFileSync(file, content);
		const { stdout } = await run('npx', ['tsx', 'jobs/import.ts', file], {
			env: { ...process.env, DATABASE_URL: database.url! }
		});
		return stdout.split('\n').filter((line) => line.startsWith('    Indicators:'));
	};

	it('says what each file leaves the indicators to recompute', async () => {
		const header = 'household_id,village_code,registered_on,idpoor_level\n';
		// Two new households in two communes: from the earlier registration.
		expect(
			await importCli(
				'households.csv',
				`${header}H1,17010101,2024-01-10,1\nH2,17010201,2023-05-02,\n`
			)
		).toEqual([
			'    Indicators: 2 communes to recompute, the periods ending on or after 2023-05-02.'
		]);
		// A new member of H1: H1's commune from its registration.
		const members = 'person_id,household_id,sex,birth_date,full_name\n';
		expect(await importCli('members.csv', `${members}P1,H1,F,1990-04-01,Sok Dara\n`)).toEqual([
			'    Indicators: 1 commune to recompute, the periods ending on or after 2024-01-10.'
		]);
		// P1's name only: updated, and no indicator reads it.
		expect(await importCli('members.csv', `${members}P1,H1,F,1990-04-01,Sok Dara Sr\n`)).toEqual([
			'    Indicators: nothing to recompute (no column an indicator reads changed).'
		]);
		// H2's IDPoor level: its commune, every period.
		expect(await importCli('households.csv', `${header}H2,17010201,2023-05-02,2\n`)).toEqual([
			'    Indicators: 1 commune to recompute, every period.'
		]);
	}, 60_000);
});
