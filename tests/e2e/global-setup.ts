/**
 * Global setup of the end-to-end tests: a throwaway database and map-layer directory, the demo
 * registry loaded through the project's own CLIs (the same path a deployment takes), a
 * production build, and `node build/index.js` on a free port. Tests read the server's address
 * with `inject('baseUrl')`; the teardown stops the server and removes everything it made.
 *
 * Database: a fresh `ssdm_e2e_<random>` database on TEST_DATABASE_ADMIN_URL when that is set,
 * otherwise an embedded PGlite directory in the temporary folder.
 * E2E_SKIP_BUILD=1 reuses an existing `build/` (for quick reruns while writing tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createUser } from '../../src/lib/server/auth/users';
import { openDatabase } from '../../src/lib/server/db';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Origin of the server under test, e.g. `http://127.0.0.1:41234`. */
		baseUrl: string;
		/** An admin account created for the tests. */
		admin: { username: string; password: string };
		/** One account per other role (the province account is scoped to Siem Reap, 17). */
		accounts: Record<'partner' | 'province' | 'national', { username: string; password: string }>;
		/** Where the server reads the release files (the published releases). */
		releasesDir: string;
		/**
		 * The test database's Postgres URL, for tests that check the app against the raw registry;
		 * null with the embedded PGlite database, which admits only the server's process.
		 */
		databaseUrl: string | null;
	}
}

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Small enough to load in seconds, big enough that every province has registered households.
const DEMO_HOUSEHOLDS = '3000';
const DEMO_SEED = '7';

/** How long the built server may take to answer its first request. */
const SERVER_START_TIMEOUT_MS = 60_000;

function log(message: string) {
	console.log(`[e2e] ${message}`);
}

/** Runs one preparation step, printing its duration. */
async function step<T>(title: string, action: () => Promise<T>): Promise<T> {
	const started = performance.now();
	log(`${title}…`);
	const result = await action();
	log(`${title}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

/**
 * Runs a command to completion with its output in a log file, which is printed (its tail) only
 * when the command fails, so a passing run stays readable.
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string) {
	return new Promise<void>((resolve, reject) => {
		const output = createWriteStream(logFile);
		const child = spawn(command, args, {
			cwd: PROJECT_ROOT,
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout.pipe(output, { end: false });
		child.stderr.pipe(output, { end: false });
		child.on('error', reject);
		child.on('close', (code) => {
			output.end(async () => {
				if (code === 0) return resolve();
				const text = await readFile(logFile, 'utf8').catch(() => '');
				reject(
					new Error(
						`${command} ${args.join(' ')} exited with ${code}; last output:\n${text.slice(-4000)}`
					)
				);
			});
		});
	});
}

/** A TCP port nobody listens on right now (the OS picks it). */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

/** Polls the server until it answers, failing early if its process dies. */
async function waitForServer(baseUrl: string, server: ChildProcess, logFile: string) {
	const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (server.exitCode !== null) {
			const text = await readFile(logFile, 'utf8').catch(() => '');
			throw new Error(`The server exited with ${server.exitCode}:\n${text.slice(-4000)}`);
		}
		try {
			const response = await fetch(`${baseUrl}/geo/province`);
			if (response.ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`The server did not answer at ${baseUrl} within ${SERVER_START_TIMEOUT_MS} ms`);
}

/** Stops the server: SIGTERM, then SIGKILL if it has not exited after 5 s. */
async function stopServer(server: ChildProcess) {
	if (server.exitCode !== null || server.signalCode !== null) return;
	const exited = new Promise((resolve) => server.once('exit', resolve));
	server.kill('SIGTERM');
	const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
	await exited;
	clearTimeout(timer);
}

/** The URL of another database on the same Postgres server as `adminUrl`. */
function databaseUrlFor(adminUrl: string, database: string): string {
	const url = new URL(adminUrl);
	url.pathname = `/${database}`;
	return url.toString();
}

async function withAdmin(adminUrl: string, statement: string) {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

/** Creates one account per non-admin role directly in the database (before the server starts). */
async function createAccounts(env: NodeJS.ProcessEnv) {
	const database = await openDatabase(
		env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: env.PGLITE_DIR! }
	);
	try {
		const context = { actor: null, address: null, via: 'e2e setup' };
		const make = async (role: 'partner' | 'province' | 'national', provinces: string[]) => {
			const account = { username: `e2e-${role}`, password: randomBytes(12).toString('hex') };
			await createUser(database.db, { ...account, role, provinces }, context);
			return account;
		};
		return {
			partner: await make('partner', []),
			province: await make('province', ['17']),
			national: await make('national', [])
		};
	} finally {
		await database.close();
	}
}

export default async function setup(project: TestProject) {
	const cleanups: (() => Promise<void>)[] = [];
	const teardown = async () => {
		for (const cleanup of cleanups.reverse()) {
			await cleanup().catch((error: unknown) => log(`cleanup failed: ${error}`));
		}
	};

	try {
		const workDir = await mkdtemp(path.join(tmpdir(), 'ssdm-e2e-'));
		cleanups.push(() => rm(workDir, { recursive: true, force: true }));
		log(`working directory ${workDir}`);

		const env: NodeJS.ProcessEnv = {
			...process.env,
			GEO_LAYERS_DIR: path.join(workDir, 'geo'),
			DEMO_DATA_DIR: path.join(workDir, 'demo'),
			RELEASES_DIR: path.join(workDir, 'releases')
		};
		// Never touch a developer's own database: both variables are set for the children.
		delete env.DATABASE_URL;
		delete env.PGLITE_DIR;

		const adminUrl = process.env.TEST_DATABASE_ADMIN_URL?.trim();
		if (adminUrl) {
			const database = `ssdm_e2e_${randomBytes(6).toString('hex')}`;
			await step(`create Postgres database ${database}`, () =>
				withAdmin(adminUrl, `CREATE DATABASE "${database}"`)
			);
			cleanups.push(() =>
				step(`drop database ${database}`, () =>
					withAdmin(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
				)
			);
			env.DATABASE_URL = databaseUrlFor(adminUrl, database);
		} else {
			env.PGLITE_DIR = path.join(workDir, 'pglite');
			log(`embedded PGlite database in ${env.PGLITE_DIR}`);
		}

		const logs = (name: string) => path.join(workDir, `${name}.log`);
		const npm = (script: string, ...args: string[]) =>
			run(
				'npm',
				['run', '--silent', script, ...(args.length ? ['--', ...args] : [])],
				env,
				logs(script)
			);

		await step('npm run geo (map layers, gazetteer)', () => npm('geo'));
		await step(`npm run demo:data (${DEMO_HOUSEHOLDS} households, seed ${DEMO_SEED})`, () =>
			npm(
				'demo:data',
				'--households',
				DEMO_HOUSEHOLDS,
				'--seed',
				DEMO_SEED,
				'--out',
				env.DEMO_DATA_DIR!
			)
		);
		await step('npm run import', () => npm('import', env.DEMO_DATA_DIR!));
		await step('npm run refresh (indicators)', () => npm('refresh', '--no-publish'));
		// Apart from the refresh, so the log shows how long a release of this registry takes.
		await step('npm run publish (release files)', () => npm('publish'));
		const admin = { username: 'e2e-admin', password: randomBytes(12).toString('hex') };
		await step('npm run user:create-admin', () =>
			run(
				'npm',
				['run', '--silent', 'user:create-admin', '--', '--username', admin.username],
				{ ...env, SSDM_ADMIN_PASSWORD: admin.password },
				logs('create-admin')
			)
		);
		const accounts = await step('create partner, province and national accounts', () =>
			createAccounts(env)
		);
		if (
			process.env.E2E_SKIP_BUILD === '1' &&
			existsSync(path.join(PROJECT_ROOT, 'build/index.js'))
		) {
			log('npm run build: skipped (E2E_SKIP_BUILD=1)');
		} else {
			await step('npm run build', () => npm('build'));
		}

		const port = await freePort();
		const baseUrl = `http://127.0.0.1:${port}`;
		const serverLog = logs('server');
		const server = await step(`start node build/index.js on ${baseUrl}`, async () => {
			const output = createWriteStream(serverLog);
			const child = spawn(process.execPath, ['build/index.js'], {
				cwd: PROJECT_ROOT,
				env: { ...env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: baseUrl },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			child.stdout.pipe(output);
			child.stderr.pipe(output);
			cleanups.push(() => step('stop the server', () => stopServer(child)));
			await waitForServer(baseUrl, child, serverLog);
			return child;
		});
		log(`server pid ${server.pid} ready; its log is ${serverLog}`);

		project.provide('baseUrl', baseUrl);
		project.provide('admin', admin);
		project.provide('accounts', accounts);
		project.provide('databaseUrl', env.DATABASE_URL ?? null);
		project.provide('releasesDir', env.RELEASES_DIR!);
		return teardown;
	} catch (error) {
		await teardown();
		throw error;
	}
}
