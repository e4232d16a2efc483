/**
 * The internal indicator API under load (issue #7), part of `npm run bench` (`--only api`
 * alone): the production build over the e2e demo registry on Postgres, 100 concurrent
 * connections for 60 s, each request signed in as a national user (so every request checks its
 * session in the database, as real staff traffic does) and cycling through internal queries:
 * village figures, per-programme and disaggregated commune and district figures, an internal
 * indicator. Target: p95 under 50 ms and no errors. Load comes from autocannon, in this process.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { createUser } from '../src/lib/server/auth/users';
import { openDatabase } from '../src/lib/server/db';
import { withDemoServer } from './demo-server';

/** The load and target. */
export const CONNECTIONS = 100;
export const DURATION_S = 60;
export const P95_TARGET_MS = 50;

/** What the API benchmark measured. */
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

/** Loads the internal API of a running server and measures every response's latency. */
export async function loadInternalApi(baseUrl: string, cookie: string): Promise<ApiBenchFigures> {
	const paths = await internalPaths(baseUrl, cookie);
	for (const path of paths) {
		const check = await fetch(baseUrl + path, { headers: { cookie } });
		if (!check.ok) throw new Error(`${path}: ${check.status} ${await check.text()}`);
	}
	const latencies: number[] = [];
	let errors = 0;
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(
			{
				url: baseUrl,
				connections: CONNECTIONS,
				duration: DURATION_S,
				headers: { cookie },
				requests: paths.map((path) => ({ method: 'GET', path }))
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
		paths
	};
}

/** The whole API benchmark: a demo server, a national account, the load. */
export function benchApi(options: { adminUrl: string; reuseBuild?: boolean }) {
	return withDemoServer({ ...options, name: 'api' }, async ({ baseUrl, env }) => {
		const account = { username: 'bench-national', password: randomBytes(12).toString('hex') };
		const database = await openDatabase({ url: env.DATABASE_URL! });
		try {
			await createUser(
				database.db,
				{ ...account, role: 'national', provinces: [] },
				{ actor: null, address: null, via: 'bench' }
			);
		} finally {
			await database.close();
		}
		return loadInternalApi(baseUrl, await logIn(baseUrl, account.username, account.password));
	});
}

/** Prints the figures against the target. */
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
