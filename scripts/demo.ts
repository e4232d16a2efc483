/**
 * `npm run demo`: from a fresh clone to a running portal with realistic data. Builds the map
 * layers, generates the demo registry, imports it, computes the indicators, builds the app
 * and starts it (PORT, default 3000). Every step is skipped when its output is already up to
 * date, so a second run starts in seconds.
 *
 * Options: `--households N` (default 50000), `--seed S` (default 1), `--no-start`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
	databaseUrl,
	demoDataDir,
	dropFolderDir,
	geoLayersDir,
	releasesDir,
	pgliteDir
} from '../src/lib/server/config';
import { latestReleaseId, RELEASE_FILES } from '../src/lib/server/releases/store';

const { values } = parseArgs({
	options: {
		households: { type: 'string', default: '50000' },
		seed: { type: 'string', default: '1' },
		'no-start': { type: 'boolean', default: false }
	}
});

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

/** Runs an npm script with the same environment, streaming its output; fails the demo on error. */
function run(script: string, args: string[] = []): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
			stdio: 'inherit',
			env: process.env
		});
		child.on('exit', (code) =>
			code === 0 ? resolve() : reject(new Error(`npm run ${script} failed (exit ${code})`))
		);
	});
}

/** Newest modification time of anything under the given paths. */
function newestMtime(paths: string[]): number {
	let newest = 0;
	const visit = (p: string) => {
		if (!existsSync(p)) return;
		const stat = statSync(p);
		if (stat.isDirectory()) readdirSync(p).forEach((name) => visit(path.join(p, name)));
		else newest = Math.max(newest, stat.mtimeMs);
	};
	paths.forEach(visit);
	return newest;
}

async function step(title: string, upToDate: boolean, action: () => Promise<void>) {
	if (upToDate) {
		console.log(`✓ ${title}: up to date`);
		return;
	}
	console.log(`→ ${title} (${elapsed()})`);
	await action();
}

const dataDir = demoDataDir();
const manifestPath = path.join(dataDir, 'manifest.json');
const wanted = { households: Number(values.households), seed: Number(values.seed) };
const manifest = existsSync(manifestPath)
	? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { households: number; seed: string })
	: undefined;

await step('map layers', existsSync(path.join(geoLayersDir(), 'province.geojson')), () =>
	run('geo')
);

await step(
	`demo data (${wanted.households} households, seed ${wanted.seed})`,
	manifest?.households === wanted.households && manifest?.seed === String(wanted.seed),
	() => run('demo:data', ['--households', String(wanted.households), '--seed', String(wanted.seed)])
);

/**
 * Which database this is: a Postgres database's oid, which a database dropped and created again
 * under the same name does not keep (undefined before it exists, or for PGlite).
 */
async function databaseIdentity(url: string | undefined): Promise<string | undefined> {
	if (!url) return undefined;
	const client = new pg.Client({ connectionString: url });
	try {
		await client.connect();
		const { rows } = await client.query<{ oid: string }>(
			'SELECT oid::text FROM pg_database WHERE datname = current_database()'
		);
		return rows[0]?.oid;
	} catch {
		return undefined;
	} finally {
		await client.end().catch(() => undefined);
	}
}

// The marker ties the database to the demo files it was loaded from. It sits beside the
// PGlite files (gone with them), or under data/ for a Postgres database, which it names by URL
// and oid: a database created again is loaded again.
const markerDir = databaseUrl() ? path.resolve('data/work') : pgliteDir();
const marker = path.join(markerDir, 'demo-imported.json');
const markerContent = JSON.stringify({
	manifest: readFileSync(manifestPath, 'utf8'),
	database: databaseUrl() ?? pgliteDir(),
	identity: await databaseIdentity(databaseUrl())
});
const imported = existsSync(marker) && readFileSync(marker, 'utf8') === markerContent;

await step('import demo data and compute indicators', imported, async () => {
	// A file the importer refused entirely stops the demo; rejected rows alone do not.
	await run('import', [dataDir]);
	// The recent periods only: older years follow with the nightly refresh (jobs run in-process).
	await run('refresh', ['--recent', '--no-publish']);
	mkdirSync(markerDir, { recursive: true });
	writeFileSync(marker, markerContent);
});

// A release for the public pages and downloads; again only after a new import (a release is a
// snapshot), or when the latest one lacks a file this version serves from (an older format).
const latestRelease = await latestReleaseId(releasesDir());
await step(
	'publish a release of the public indicators',
	imported &&
		latestRelease !== undefined &&
		RELEASE_FILES.every((file) => existsSync(path.join(releasesDir(), latestRelease, file))),
	() => run('publish')
);

// A demo admin account, so the import, users and data-quality pages can be tried at once.
// Its password is random, printed, and kept beside the database (git-ignored); set again on
// every run (the account created if missing, its sessions signed out), so the password printed
// always logs in, whatever happened to the database since.
const adminFile = path.join(markerDir, 'demo-admin.json');
const demoAdmin = existsSync(adminFile)
	? (JSON.parse(readFileSync(adminFile, 'utf8')) as { username: string; password: string })
	: { username: 'admin', password: randomBytes(9).toString('base64url') };
console.log(`→ demo admin account (${elapsed()})`);
process.env.SSDM_ADMIN_PASSWORD = demoAdmin.password;
await run('user:create-admin', ['--username', demoAdmin.username, '--reset']);
delete process.env.SSDM_ADMIN_PASSWORD;
mkdirSync(markerDir, { recursive: true });
writeFileSync(adminFile, JSON.stringify(demoAdmin));

const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
const built = existsSync('build/index.js') && newestMtime(['build']) > newestMtime(sources);
await step('build the web app', built, () => run('build'));

if (values['no-start']) {
	console.log(`demo ready in ${elapsed()}; admin: ${demoAdmin.username} / ${demoAdmin.password}`);
} else {
	const port = process.env.PORT ?? '3000';
	const host = process.env.HOST ?? '127.0.0.1';
	console.log(`demo ready in ${elapsed()}; starting the portal at http://${host}:${port}/`);
	console.log(`admin pages: log in as ${demoAdmin.username} / ${demoAdmin.password}`);
	console.log(`drop folder: put import files in ${path.join(dropFolderDir(), 'inbox')}`);
	const server = spawn(process.execPath, ['build/index.js'], {
		stdio: 'inherit',
		// Uploads of commune spreadsheets exceed adapter-node's 512 kB default body limit.
		// The embedded database admits one process, so the server runs the scheduled jobs too.
		// ORIGIN: adapter-node cannot tell http from https by itself, and SvelteKit's CSRF check
		// refuses form posts whose origin does not match.
		env: {
			BODY_SIZE_LIMIT: '200M',
			RUN_JOBS: 'in-process',
			ORIGIN: `http://${host}:${port}`,
			...process.env,
			PORT: port,
			HOST: host
		}
	});
	const stop = () => server.kill('SIGTERM');
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	server.on('exit', (code) => process.exit(code ?? 0));
}
