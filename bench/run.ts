/**
 * `npm run bench [-- --members N] [--households N] [--only import|refresh|national|map|api|public|stream] [--reuse-build]`:
 * measures the map page in a throttled browser, the internal and public APIs under load, the
 * explore page, and the importer and the indicator refresh on real Postgres, each against its
 * target or a baseline measured in the same run, and prints the figures.
 *
 * - map (bench/map.ts): the map page's bytes and time to the first choropleth, and the
 *   drill-down time, in Chromium with 4× CPU slowdown on a 1.6 Mbit/s network (issue #5),
 *   served by the production build (`--reuse-build` skips `npm run build`);
 * - api (bench/api.ts): the internal indicator API under 100 concurrent connections for 60 s,
 *   signed in as a national user (issue #7): requests/s, p50/p95/p99 and errors;
 * - public (bench/api.ts, bench/explore-page.ts): public data (API from the release, release
 *   files, map layers) under the same load without an account, and the explore page's time to
 *   first result on the commune dataset (issue #6); on the same demo server as `api`;
 * - import: N `members` rows (default 1,000,000, with their households) through the real
 *   importer (validation, staging, reference checks, upsert), against a bare server-side
 *   `COPY` of the same file into an unindexed table (and, for scale, into a copy of the
 *   members table with its primary key and indexes);
 * - refresh: a full refresh of the stored indicators, against a single-pass
 *   `GROUP BY village` over the households table;
 * - stream (bench/stream.ts): a members CSV of over 2 GiB through `npm run import` in its own
 *   process, and that process's peak memory (issue #3's 500 MB);
 * - national (bench/national.ts): a national-scale registry (3.6 million households, 15.5
 *   million members, 6 million enrolments, 38 million benefits; `--households N` scales it)
 *   generated in SQL, the full refresh of the recent periods against the single-pass
 *   baseline, and the incremental refresh after a 500-row import (issue #4).
 *
 * Needs a Postgres server: BENCH_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * on which each part creates and drops a throwaway database. Server-side COPY reads the file
 * from this machine's /tmp, so the server must run here. The map part needs Chromium
 * (tests/e2e/browser.ts).
 */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import seedrandom from 'seedrandom';
import { openDatabase, queryRows } from '../src/lib/server/db';
import { importFile } from '../src/lib/server/ingest/import-file';
import { NAME_KEY_SQL } from '../src/lib/server/ingest/feeds';
import { geoSourceDir } from '../src/lib/server/config';
import { benchMap, printMapFigures } from './map';
import { loadInternalApi, loadPublic, printApiFigures, printPublicFigures } from './api';
import { withDemoServer } from './demo-server';
import { createDatabase, dropDatabase } from '../tests/support/server';
import { measureExplore, printExploreFigures } from './explore-page';
import { benchStream, printStreamFigures } from './stream';
import {
	measureFullRefresh,
	measureIncremental,
	printFullRefresh,
	printIncremental,
	seconds,
	writeCsv
} from './refresh';
import { benchNational, printNationalFigures } from './national';
import { generateProgrammeActivity } from './activity';

const { values } = parseArgs({
	options: {
		members: { type: 'string', default: '1000000' },
		// The national-scale part's households (issue #4: about 3.6 million).
		households: { type: 'string', default: '3600000' },
		// `--only import` runs the import part alone, `--only refresh` the import and the
		// refresh (which needs the imported registry); `--only map` the map page's part alone.
		only: { type: 'string' },
		'reuse-build': { type: 'boolean', default: false }
	}
});
const PARTS = ['import', 'refresh', 'national', 'map', 'api', 'public', 'stream'];
if (values.only !== undefined && !PARTS.includes(values.only)) {
	throw new Error(`--only takes ${PARTS.join(' or ')}, not ${values.only}`);
}
const MEMBERS = Number(values.members);
// Cambodia's mean household size is about 4.3 persons.
const HOUSEHOLDS = Math.ceil(MEMBERS / 4.3);

const adminUrl =
	process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');

/** The importer and refresh part, on its own throwaway database. */
async function benchImportAndRefresh() {
	const dbName = `ssdm_bench_${randomBytes(4).toString('hex')}`;
	const work = mkdtempSync(path.join(tmpdir(), 'ssdm-bench-'));
	chmodSync(work, 0o755); // the Postgres server reads the COPY baseline's file from here

	let peakRss = process.memoryUsage.rss();
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);

	const database = await openDatabase({ url: await createDatabase(adminUrl, dbName) });
	const { db } = database;

	try {
		console.log(
			`SSDM benchmark: ${MEMBERS.toLocaleString('en')} members in ${HOUSEHOLDS.toLocaleString('en')} households, Postgres database ${dbName}\n`
		);
		const gazetteer = await importFile(db, path.join(geoSourceDir(), 'gazetteer.csv'), {
			feed: 'gazetteer'
		});
		const villages = (
			await queryRows<{ code: string }>(
				db,
				sql`SELECT code FROM geo_units WHERE level = 'village' ORDER BY code`
			)
		).map((r) => r.code);
		console.log(`gazetteer: ${gazetteer.read} villages loaded`);

		const random = seedrandom('bench');
		const householdsFile = path.join(work, 'households.csv');
		const membersFile = path.join(work, 'members.csv');
		await writeCsv(
			householdsFile,
			'household_id,village_code,registered_on,idpoor_level',
			async (write) => {
				for (let h = 0; h < HOUSEHOLDS; h++) {
					const village = villages[Math.floor(random() * villages.length)];
					const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
					const idpoor = random() < 0.2 ? (random() < 0.4 ? '1' : '2') : '';
					await write(
						`H${h},${village},20${16 + Math.floor(random() * 9)}-0${1 + Math.floor(random() * 9)}-${day},${idpoor}`
					);
				}
			}
		);
		await writeCsv(
			membersFile,
			'person_id,household_id,sex,birth_date,full_name,national_id,disability,relationship',
			async (write) => {
				for (let m = 0; m < MEMBERS; m++) {
					const household = Math.min(HOUSEHOLDS - 1, Math.floor(m / 4.3));
					const year = 1930 + Math.floor(random() * 95);
					const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
					const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
					await write(
						`P${m},H${household},${random() < 0.51 ? 'F' : 'M'},${year}-${month}-${day},Person ${m},${random() < 0.6 ? 100000000000 + m : ''},${random() < 0.04 ? 'yes' : 'no'},member`
					);
				}
			}
		);

		let start = performance.now();
		const households = await importFile(db, householdsFile);
		const householdsMs = performance.now() - start;
		console.log(
			`households: ${households.inserted.toLocaleString('en')} rows imported in ${seconds(householdsMs)} s (${rate(households.read, householdsMs)} rows/s)`
		);

		const rssBefore = process.memoryUsage.rss();
		peakRss = rssBefore;
		start = performance.now();
		const members = await importFile(db, membersFile);
		const importMs = performance.now() - start;
		const importPeak = peakRss;

		await db.execute(
			sql`CREATE UNLOGGED TABLE bench_copy (person_id text, household_id text, sex text, birth_date text, full_name text, national_id text, disability text, relationship text)`
		);
		start = performance.now();
		await db.execute(
			sql.raw(`COPY bench_copy FROM '${membersFile}' WITH (FORMAT csv, HEADER true)`)
		);
		const copyMs = performance.now() - start;
		// A second baseline: the same COPY into a logged table with the registry's primary key and
		// indexes (no validation, no checks, no duplicate flags), the floor for a durable import.
		await db.execute(sql`CREATE TABLE bench_indexed (LIKE members INCLUDING ALL)`);
		// Its name key computed by the server, as the importer has it computed in its stage.
		await db.execute(sql`ALTER TABLE bench_indexed DROP COLUMN name_key`);
		// The household's village, which the importer copies from the households, is not in the
		// file: left empty (its index still takes an entry per row, in the households' order).
		await db.execute(sql`ALTER TABLE bench_indexed ALTER COLUMN village_code DROP NOT NULL`);
		await db.execute(
			sql.raw(
				`ALTER TABLE bench_indexed ADD COLUMN name_key text GENERATED ALWAYS AS (${NAME_KEY_SQL}) STORED`
			)
		);
		await db.execute(
			sql`CREATE INDEX ON bench_indexed (name_key, birth_date, sex) WHERE name_key IS NOT NULL`
		);
		start = performance.now();
		await db.execute(
			sql.raw(
				`COPY bench_indexed (person_id, household_id, sex, birth_date, full_name, national_id, disability, relationship) FROM '${membersFile}' WITH (FORMAT csv, HEADER true)`
			)
		);
		const indexedMs = performance.now() - start;

		console.log(
			`\nimport of members (${members.read.toLocaleString('en')} rows, ${members.inserted.toLocaleString('en')} inserted, ${members.rejected} rejected)`
		);
		console.log(
			`  importer:        ${seconds(importMs)} s  ${rate(members.read, importMs)} rows/s  (target ≥ 100,000 rows/s)`
		);
		console.log(`  baseline COPY:   ${seconds(copyMs)} s  ${rate(members.read, copyMs)} rows/s`);
		console.log(
			`  ratio:           ${(importMs / copyMs).toFixed(2)}× the bare COPY (target ≤ 5×)`
		);
		console.log(
			`  indexed COPY:    ${seconds(indexedMs)} s  ${rate(members.read, indexedMs)} rows/s  (into a copy of members with its key and indexes: ${(indexedMs / copyMs).toFixed(2)}× the bare COPY; the importer is ${(importMs / indexedMs).toFixed(2)}× this)`
		);
		console.log(`  phases (ms):     ${JSON.stringify(members.phasesMs)}`);
		console.log(`  peak RSS:        ${Math.round(importPeak / 2 ** 20)} MB (target < 500 MB)`);

		if (values.only !== 'import') {
			await generateProgrammeActivity(db);
			printFullRefresh(await measureFullRefresh(db, {}), 'benchmark registry');
			printIncremental(await measureIncremental(db, work));
		}
	} finally {
		clearInterval(sampler);
		await database.close();
		await dropDatabase(adminUrl, dbName);
		rmSync(work, { recursive: true, force: true });
	}
}

if (values.only === undefined || values.only === 'map') {
	printMapFigures(await benchMap({ adminUrl, reuseBuild: values['reuse-build'] }));
}
const only = (part: string) => values.only === undefined || values.only === part;
if (only('api') || only('public')) {
	// The map part has just built the app: reuse its build.
	const reuseBuild = values['reuse-build'] || values.only === undefined;
	await withDemoServer({ adminUrl, reuseBuild, name: 'api' }, async (server) => {
		if (only('api')) printApiFigures(await loadInternalApi(server));
		if (only('public')) {
			printPublicFigures(await loadPublic(server));
			printExploreFigures(await measureExplore(server.baseUrl, 'commune', 3));
		}
	});
}
if (only('import') || values.only === 'refresh') await benchImportAndRefresh();
if (values.only === undefined || values.only === 'stream')
	printStreamFigures(await benchStream(adminUrl));
if (values.only === undefined || values.only === 'national')
	printNationalFigures(await benchNational(adminUrl, Number(values.households)));
