/**
 * Two loads on the production build over the e2e demo registry on Postgres, each 100
 * concurrent connections for 60 s (autocannon, in this process), part of `npm run bench`:
 *
 * - internal (issue #7, `--only api`): each request signed in as a national user (so every
 *   request checks its session in the database, as real staff traffic does), cycling through
 *   internal queries: village figures, per-programme and disaggregated commune and district
 *   figures, an internal indicator. Target: p95 under 50 ms and no errors.
 * - public (issue #6, `--only public`): no account, cycling through what a visitor's pages
 *   and downloads ask for: the public API (answered from the latest release's files), release
 *   files (the descriptor, units, a Parquet range as DuckDB-WASM reads it) and a map layer.
 *   Target: at least 2,000 requests/s; p99 reported.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { createUser } from '../src/lib/server/auth/users';
import { openDatabase } from '../src/lib/server/db';

/** The issues' load and targets. */
export const CONNECTIONS = 100;
export const DURATION_S = 60;
export const P95_TARGET_MS = 50;
export const PUBLIC_RPS_TARGET = 2000;

/** What a load measured. */
export interface ApiBenchFigures {
	requests: number;
	requestsPerSecond: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	maxMs: number;
	/** Non-2xx answers, and requests that got no answer (timeouts, resets). */
	errors: number;
	paths: string[];
}

/** The internal queries the load cycles through (Siem Reap, 17; its first district 1701). */
async function internalPaths(baseUrl: string, cookie: string): Promise<string[]> {
	const programmes = (await (
		await fetch(`${baseUrl}/api/programmes`, { headers: { cookie } })
	).json()) as { code: string; unit: string }[];
	const person = programmes.find((p) => p.unit === 'person')?.code;
	const household = programmes.find((p) => p.unit === 'household')?.code;
	return [
		'/api/indicators/registration_coverage?level=village&parent=1701',
		`/api/indicators/enrolment_coverage?level=commune&parent=17&programme=${household}`,
		`/api/indicators/take_up?level=district&parent=17&programme=${person}&by=sex`,
		'/api/indicators/applications_backlog?level=commune&parent=17',
		'/api/indicators/possible_duplicates?level=province',
		'/api/indicators/appeals_rate?level=village&parent=170101',
		'/api/units/17/values',
		'/api/indicators/take_up/series?units=17,KH'
	];
}

/** Signs in through the login form and returns the session cookie. */
async function logIn(baseUrl: string, username: string, password: string): Promise<string> {
	const response = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: baseUrl,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ username, password, next: '/' })
	});
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('ssdm_session='));
	if (!cookie) throw new Error(`log in as ${username} failed (${response.status})`);
	return cookie.split(';')[0]!;
}

/** The value at a percentile of sorted latencies (nearest rank). */
function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * What a visitor's pages and downloads ask for, in turn: the public API (release figures),
 * release files and a map layer (Siem Reap, 17; its district 1701; its commune 170101).
 */
async function publicPaths(
	baseUrl: string
): Promise<{ path: string; headers?: Record<string, string> }[]> {
	const periods = (await (await fetch(`${baseUrl}/api/periods`)).json()) as string[];
	const month = periods.find((p) => /^\d{4}-\d{2}$/.test(p))!;
	return [
		{ path: `/api/indicators/registration_coverage?level=province&period=${month}` },
		{ path: `/api/indicators/enrolment_coverage?level=commune&parent=17&period=${month}` },
		{ path: `/api/indicators/take_up?level=district&parent=17&period=${month}` },
		{ path: `/api/units/1701/values?period=${month}` },
		{ path: '/api/indicators/registration_coverage/series?units=170101,1701' },
		{ path: '/api/periods' },
		{ path: '/releases/latest/datapackage.json' },
		{ path: '/releases/latest/units.csv' },
		{ path: '/releases/latest/commune.parquet', headers: { range: 'bytes=0-65535' } },
		{ path: '/geo/district?parent=17', headers: { 'accept-encoding': 'br' } }
	];
}

/** Loads a running server with requests in turn and measures every response's latency. */
async function load(
	baseUrl: string,
	requests: { path: string; headers?: Record<string, string> }[],
	headers: Record<string, string> = {}
): Promise<ApiBenchFigures> {
	for (const request of requests) {
		const check = await fetch(baseUrl + request.path, {
			headers: { ...headers, ...request.headers }
		});
		if (!check.ok) throw new Error(`${request.path}: ${check.status} ${await check.text()}`);
	}
	const latencies: number[] = [];
	let errors = 0;
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(
			{
				url: baseUrl,
				connections: CONNECTIONS,
				duration: DURATION_S,
				headers,
				requests: requests.map((request) => ({
					method: 'GET',
					path: request.path,
					...(request.headers ? { headers: { ...headers, ...request.headers } } : {})
				}))
			},
			(error, done) => (error ? reject(error) : resolve(done))
		);
		instance.on('response', (_client, statusCode, _bytes, responseTime) => {
			latencies.push(responseTime);
			if (statusCode < 200 || statusCode >= 300) errors++;
		});
	});
	errors += result.errors + result.timeouts;
	latencies.sort((a, b) => a - b);
	return {
		requests: latencies.length,
		requestsPerSecond: latencies.length / DURATION_S,
		p50Ms: percentile(latencies, 50),
		p95Ms: percentile(latencies, 95),
		p99Ms: percentile(latencies, 99),
		maxMs: latencies.at(-1) ?? NaN,
		errors,
		paths: requests.map((request) => request.path)
	};
}

/** The internal load on a demo server: a national account, its queries. */
export async function loadInternalApi(server: {
	baseUrl: string;
	env: NodeJS.ProcessEnv;
}): Promise<ApiBenchFigures> {
	const account = { username: 'bench-national', password: randomBytes(12).toString('hex') };
	const database = await openDatabase({ url: server.env.DATABASE_URL! });
	try {
		await createUser(
			database.db,
			{ ...account, role: 'national', provinces: [] },
			{ actor: null, address: null, via: 'bench' }
		);
	} finally {
		await database.close();
	}
	const cookie = await logIn(server.baseUrl, account.username, account.password);
	const paths = await internalPaths(server.baseUrl, cookie);
	return load(
		server.baseUrl,
		paths.map((path) => ({ path })),
		{ cookie }
	);
}

/** The public load on a server that has published a release: no account. */
export async function loadPublic(server: { baseUrl: string }): Promise<ApiBenchFigures> {
	return load(server.baseUrl, await publicPaths(server.baseUrl));
}

/** Prints the public load's figures against the target. */
export function printPublicFigures(figures: ApiBenchFigures): void {
	const ms = (value: number) => `${value.toFixed(1)} ms`;
	console.log(
		`\npublic data (no account; the latest release's files): ${CONNECTIONS} connections for ${DURATION_S} s, ${figures.paths.length} requests in turn (public API, release files, a map layer)`
	);
	console.log(
		`  ${figures.requests.toLocaleString('en')} requests, ${figures.requestsPerSecond.toFixed(0)} requests/s (target ≥ ${PUBLIC_RPS_TARGET.toLocaleString('en')}: ${(figures.requestsPerSecond / PUBLIC_RPS_TARGET).toFixed(2)}×), errors ${figures.errors}`
	);
	console.log(
		`  latency p50 ${ms(figures.p50Ms)}, p95 ${ms(figures.p95Ms)}, p99 ${ms(figures.p99Ms)}, max ${ms(figures.maxMs)}`
	);
}

/** Prints the internal load's figures against the target. */
export function printApiFigures(figures: ApiBenchFigures): void {
	const ms = (value: number) => `${value.toFixed(1)} ms`;
	console.log(
		`\ninternal indicator API on Postgres: ${CONNECTIONS} connections for ${DURATION_S} s, signed in as a national user, ${figures.paths.length} queries in turn`
	);
	console.log(
		`  ${figures.requests.toLocaleString('en')} requests, ${figures.requestsPerSecond.toFixed(0)} requests/s, errors ${figures.errors}`
	);
	console.log(
		`  latency p50 ${ms(figures.p50Ms)}, p95 ${ms(figures.p95Ms)} (target ${P95_TARGET_MS} ms: ${(figures.p95Ms / P95_TARGET_MS).toFixed(2)}×), p99 ${ms(figures.p99Ms)}, max ${ms(figures.maxMs)}`
	);
}
