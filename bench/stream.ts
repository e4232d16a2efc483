/**
 * The importer's memory on a large file (issue #3: "a 2 GB CSV imports with the process's
 * peak memory under 500 MB"): a members CSV of at least 2 GiB, written by the Postgres server
 * (`COPY … TO` a file), imported by the command line importer (`npm run import`) in its own
 * process, whose peak resident memory GNU time reports. The members' households are inserted
 * in SQL beforehand; one row in 10,000 has an impossible birth date and is rejected.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/lib/server/db';
import { importFile } from '../src/lib/server/ingest/import-file';
import { geoSourceDir } from '../src/lib/server/config';
import { createDatabase, dropDatabase } from '../tests/support/server';

export interface StreamFigures {
	bytes: number;
	rows: number;
	inserted: number;
	rejected: number;
	seconds: number;
	peakRssMb: number;
}

const TIME = '/usr/bin/time';
// About 65 bytes a row: 34 million rows make a little over 2 GiB.
const ROWS = 34_000_000;

export async function benchStream(adminUrl: string): Promise<StreamFigures> {
	if (!existsSync(TIME)) {
		throw new Error(`${TIME} measures the importer's peak memory: apt-get install time`);
	}
	const dbName = `ssdm_bench_stream_${randomBytes(4).toString('hex')}`;
	const work = mkdtempSync(path.join(tmpdir(), 'ssdm-bench-stream-'));
	chmodSync(work, 0o777); // the Postgres server writes the file here
	const url = await createDatabase(adminUrl, dbName);
	try {
		const database = await openDatabase({ url });
		const file = path.join(work, 'members.csv');
		try {
			const { db } = database;
			await importFile(db, path.join(geoSourceDir(), 'gazetteer.csv'), { feed: 'gazetteer' });
			const households = Math.ceil(ROWS / 4.3);
			let started = performance.now();
			await db.execute(sql`INSERT INTO households (household_id, village_code, registered_on, idpoor_level)
				SELECT 'H' || h, v.codes[1 + h % array_length(v.codes, 1)], DATE '2016-01-01' + h % 3000,
					CASE WHEN h % 5 = 0 THEN 1 + h % 2 END
				FROM generate_series(0, ${households - 1}) h,
					(SELECT array_agg(code ORDER BY code) AS codes FROM geo_units WHERE level = 'village') v`);
			console.log(
				`stream: ${households.toLocaleString('en')} households inserted in SQL in ${((performance.now() - started) / 1000).toFixed(1)} s`
			);
			started = performance.now();
			await db.execute(
				sql.raw(`COPY (SELECT 'P' || m AS person_id, 'H' || floor(m / 4.3)::bigint AS household_id,
					CASE WHEN m % 2 = 0 THEN 'F' ELSE 'M' END AS sex,
					CASE WHEN m % 10000 = 9999 THEN '1990-02-30'
						ELSE to_char(DATE '1930-01-01' + ((m * 7919) % 34675)::int, 'YYYY-MM-DD') END AS birth_date,
					'Person ' || m AS full_name,
					CASE WHEN m % 10 < 6 THEN (100000000000 + m)::text END AS national_id,
					CASE WHEN m % 25 = 0 THEN 'yes' ELSE 'no' END AS disability, 'member' AS relationship
				FROM generate_series(0::bigint, ${ROWS - 1}) m)
				TO '${file}' WITH (FORMAT csv, HEADER true)`)
			);
			console.log(
				`stream: ${ROWS.toLocaleString('en')} members written by the server in ${((performance.now() - started) / 1000).toFixed(1)} s`
			);
		} finally {
			await database.close();
		}
		const bytes = statSync(file).size;
		console.log(`stream: importing ${(bytes / 2 ** 30).toFixed(2)} GiB with npm run import`);
		const timeFile = path.join(work, 'time.txt');
		const started = performance.now();
		const stdout = await new Promise<string>((resolve, reject) => {
			const child = spawn(
				TIME,
				[
					'-o',
					timeFile,
					'-f',
					'%M',
					process.execPath,
					'--import',
					'tsx',
					'jobs/import.ts',
					file,
					'--json'
				],
				{
					env: { ...process.env, DATABASE_URL: url },
					stdio: ['ignore', 'pipe', 'inherit']
				}
			);
			let out = '';
			child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
			child.on('error', reject);
			child.on('close', (code) =>
				code === 0 ? resolve(out) : reject(new Error(`npm run import exited with ${code}`))
			);
		});
		const seconds = (performance.now() - started) / 1000;
		const [summary] = JSON.parse(stdout) as { read: number; inserted: number; rejected: number }[];
		const peakRssMb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) / 1024;
		return {
			bytes,
			rows: summary!.read,
			inserted: summary!.inserted,
			rejected: summary!.rejected,
			seconds,
			peakRssMb
		};
	} finally {
		await dropDatabase(adminUrl, dbName);
		rmSync(work, { recursive: true, force: true });
	}
}

export function printStreamFigures(f: StreamFigures) {
	console.log(
		`\nimport of a ${(f.bytes / 2 ** 30).toFixed(2)} GiB members CSV (${f.rows.toLocaleString('en')} rows, ${f.inserted.toLocaleString('en')} inserted, ${f.rejected.toLocaleString('en')} rejected) by npm run import`
	);
	console.log(
		`  time:            ${f.seconds.toFixed(1)} s  ${Math.round(f.rows / f.seconds).toLocaleString('en')} rows/s`
	);
	console.log(
		`  peak RSS:        ${Math.round(f.peakRssMb)} MB (target < 500 MB: ${(f.peakRssMb / 500).toFixed(2)}×)`
	);
}
