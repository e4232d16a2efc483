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
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createUser } from '../../src/lib/server/auth/users';
import { openDatabase } from '../../src/lib/server/db';
import {
	PROJECT_ROOT,
	createDatabase,
	dropDatabase,
	loadDemoRegistry,
	runScript,
	startBuiltServer,
	stopServer
} from '../support/server';

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
		/** The file the server's standard output and error (its log) are written to. */
		serverLog: string;
	}
}

// Small enough to load in seconds, big enough that every province has registered households.
const DEMO_HOUSEHOLDS = 3000;
const DEMO_SEED = 7;

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
			env.DATABASE_URL = await step(`create Postgres database ${database}`, () =>
				createDatabase(adminUrl, database)
			);
			cleanups.push(() =>
				step(`drop database ${database}`, () => dropDatabase(adminUrl, database))
			);
		} else {
			env.PGLITE_DIR = path.join(workDir, 'pglite');
			log(`embedded PGlite database in ${env.PGLITE_DIR}`);
		}

		const logs = (name: string) => path.join(workDir, `${name}.log`);
		await loadDemoRegistry(
			env,
			{ households: DEMO_HOUSEHOLDS, seed: DEMO_SEED, dataDir: env.DEMO_DATA_DIR! },
			step,
			logs
		);
		// Apart from the refresh, so the log shows how long a release of this registry takes.
		await step('npm run publish (release files)', () =>
			runScript('publish', [], env, logs('publish'))
		);
		const admin = { username: 'e2e-admin', password: randomBytes(12).toString('hex') };
		await step('npm run user:create-admin', () =>
			runScript(
				'user:create-admin',
				['--username', admin.username],
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
			await step('npm run build', () => runScript('build', [], env, logs('build')));
		}

		const serverLog = logs('server');
		const { baseUrl, process: server } = await step('start node build/index.js', async () => {
			const started = await startBuiltServer(env, serverLog);
			cleanups.push(() => step('stop the server', () => stopServer(started.process)));
			return started;
		});
		log(`server pid ${server.pid} ready on ${baseUrl}; its log is ${serverLog}`);

		project.provide('baseUrl', baseUrl);
		project.provide('admin', admin);
		project.provide('accounts', accounts);
		project.provide('databaseUrl', env.DATABASE_URL ?? null);
		project.provide('releasesDir', env.RELEASES_DIR!);
		project.provide('serverLog', serverLog);
		return teardown;
	} catch (error) {
		await teardown();
		throw error;
	}
}
