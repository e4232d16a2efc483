/**
 * A production server over the e2e demo registry on a throwaway Postgres database, for the
 * benchmarks that drive the built app (the map page, the internal and public API, the explore
 * page): `npm run geo`, the demo registry generated, imported and refreshed, a release
 * published, `npm run build`, `node build/index.js`.
 * Everything it made is removed after `use` returns.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	PROJECT_ROOT,
	createDatabase,
	dropDatabase,
	loadDemoRegistry,
	runScript,
	startBuiltServer,
	stopServer,
	type Step
} from '../tests/support/server';

/** The e2e tests' registry: the figures depend on request and layer sizes more than households. */
export const DEMO_HOUSEHOLDS = 3000;
export const DEMO_SEED = 7;

/** Seconds with one decimal, as the benchmarks print them. */
export function seconds(ms: number): string {
	return (ms / 1000).toFixed(1);
}

/** Runs `use` against a freshly built and filled demo server; cleans up whatever happens. */
export async function withDemoServer<T>(
	options: {
		adminUrl: string;
		/** Reuse `build/` instead of running `npm run build` (quick reruns). */
		reuseBuild?: boolean;
		/** Names the database and directory, e.g. `map`. */
		name: string;
	},
	use: (server: { baseUrl: string; env: NodeJS.ProcessEnv }) => Promise<T>
): Promise<T> {
	const cleanups: (() => Promise<unknown>)[] = [];
	const step: Step = async (title, action) => {
		const started = performance.now();
		const result = await action();
		console.log(`  ${title}: ${seconds(performance.now() - started)} s`);
		return result;
	};
	try {
		const workDir = await mkdtemp(path.join(tmpdir(), `ssdm-bench-${options.name}-`));
		cleanups.push(() => rm(workDir, { recursive: true, force: true }));
		const logs = (name: string) => path.join(workDir, `${name}.log`);
		const env: NodeJS.ProcessEnv = {
			...process.env,
			GEO_LAYERS_DIR: path.join(workDir, 'geo'),
			DEMO_DATA_DIR: path.join(workDir, 'demo'),
			RELEASES_DIR: path.join(workDir, 'releases')
		};
		delete env.PGLITE_DIR;
		const database = `ssdm_bench_${options.name}_${randomBytes(4).toString('hex')}`;
		console.log(
			`${options.name} benchmark: Postgres database ${database}, work directory ${workDir}`
		);
		env.DATABASE_URL = await createDatabase(options.adminUrl, database);
		cleanups.push(() => dropDatabase(options.adminUrl, database));

		await loadDemoRegistry(
			env,
			{ households: DEMO_HOUSEHOLDS, seed: DEMO_SEED, dataDir: env.DEMO_DATA_DIR! },
			step,
			logs
		);
		// Public pages and the public API read the latest release.
		await step('npm run publish (release)', () => runScript('publish', [], env, logs('publish')));
		if (options.reuseBuild && existsSync(path.join(PROJECT_ROOT, 'build/index.js'))) {
			console.log('  npm run build: skipped, build/ reused');
		} else {
			await step('npm run build', () => runScript('build', [], env, logs('build')));
		}
		const server = await startBuiltServer(env, logs('server'));
		cleanups.push(() => stopServer(server.process));
		return await use({ baseUrl: server.baseUrl, env });
	} finally {
		for (const cleanup of cleanups.reverse()) {
			await cleanup().catch((error: unknown) =>
				console.error(`${options.name} bench cleanup failed: ${error}`)
			);
		}
	}
}
