/**
 * What the end-to-end tests and the map benchmark share to run the production build against a
 * throwaway database: running the project's CLIs, a free port, starting and stopping
 * `node build/index.js`, and creating and dropping a database on a Postgres server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The project's root, where the CLIs and `build/` are run from. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How long the built server may take to answer its first request. */
const SERVER_START_TIMEOUT_MS = 60_000;

/**
 * Runs a command to completion with its output in a log file, which is printed (its tail) only
 * when the command fails, so a passing run stays readable.
 */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string) {
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

/** Runs `npm run <script> -- <args>` quietly, its output in `logFile` (see `run`). */
export function runScript(
	script: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	logFile: string
): Promise<void> {
	return run(
		'npm',
		['run', '--silent', script, ...(args.length ? ['--', ...args] : [])],
		env,
		logFile
	);
}

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
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
export async function waitForServer(baseUrl: string, server: ChildProcess, logFile: string) {
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
export async function stopServer(server: ChildProcess) {
	if (server.exitCode !== null || server.signalCode !== null) return;
	const exited = new Promise((resolve) => server.once('exit', resolve));
	server.kill('SIGTERM');
	const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
	await exited;
	clearTimeout(timer);
}

/** A running `node build/index.js`. */
export interface BuiltServer {
	/** Its origin, e.g. `http://127.0.0.1:41234`. */
	baseUrl: string;
	process: ChildProcess;
}

/**
 * Starts the production build (`node build/index.js`) on a free port of 127.0.0.1 with `env`,
 * its output in `logFile`, and waits until it serves the map layers. The caller stops it with
 * `stopServer`, also when this throws after the spawn (the process is then already stopped).
 */
export async function startBuiltServer(env: NodeJS.ProcessEnv, logFile: string) {
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const output = createWriteStream(logFile);
	const child = spawn(process.execPath, ['build/index.js'], {
		cwd: PROJECT_ROOT,
		env: { ...env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: baseUrl },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout.pipe(output);
	child.stderr.pipe(output);
	try {
		await waitForServer(baseUrl, child, logFile);
	} catch (error) {
		await stopServer(child);
		throw error;
	}
	return { baseUrl, process: child } satisfies BuiltServer;
}

/** The URL of another database on the same Postgres server as `adminUrl`. */
export function databaseUrlFor(adminUrl: string, database: string): string {
	const url = new URL(adminUrl);
	url.pathname = `/${database}`;
	return url.toString();
}

/** Runs one statement (CREATE/DROP DATABASE) on the admin connection, then disconnects. */
export async function withAdmin(adminUrl: string, statement: string) {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

/** Creates database `name` on the server of `adminUrl` and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
	await withAdmin(adminUrl, `CREATE DATABASE "${name}"`);
	return databaseUrlFor(adminUrl, name);
}

/** Drops database `name`, disconnecting whoever still uses it. */
export function dropDatabase(adminUrl: string, name: string): Promise<void> {
	return withAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Reports one preparation step: runs `action` and says how long it took. */
export type Step = <T>(title: string, action: () => Promise<T>) => Promise<T>;

/** The demo registry to load (`npm run demo:data` options). */
export interface DemoRegistry {
	households: number;
	seed: number;
	/** Where the generated CSV files go. */
	dataDir: string;
}

/**
 * Fills the database of `env` (DATABASE_URL or PGLITE_DIR) the way a deployment does, through
 * the project's own CLIs: map layers and gazetteer (`npm run geo`, into GEO_LAYERS_DIR), the demo
 * registry generated and imported, and the indicators refreshed. Each CLI's output goes to
 * `logFile(script)`.
 */
export async function loadDemoRegistry(
	env: NodeJS.ProcessEnv,
	demo: DemoRegistry,
	step: Step,
	logFile: (script: string) => string
): Promise<void> {
	const npm = (script: string, ...args: string[]) => runScript(script, args, env, logFile(script));
	await step('npm run geo (map layers, gazetteer)', () => npm('geo'));
	await step(`npm run demo:data (${demo.households} households, seed ${demo.seed})`, () =>
		npm(
			'demo:data',
			'--households',
			String(demo.households),
			'--seed',
			String(demo.seed),
			'--out',
			demo.dataDir
		)
	);
	await step('npm run import', () => npm('import', demo.dataDir));
	// Publishing is the caller's step (a release directory of its own), not part of the refresh.
	await step('npm run refresh (indicators)', () => npm('refresh', '--no-publish'));
}
