/**
 * Public traffic never touches the registry database (issue #6, domain.md §6, §8): with the
 * database refusing every connection, a visitor without an account still gets the map, the
 * finder, the rollout, the downloads and the whole public API, from the latest release's
 * files; a signed-in national user (whose figures come from the database) does not, which
 * shows that the database really was out of reach: a signed-in user's page says so in English
 * and Khmer, with a reference to the server's log line. The figures served are the release's:
 * suppressed cells are flagged, with no numbers.
 *
 * Postgres only: the embedded PGlite database lives inside the server process.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { launchBrowser, openPage } from './browser';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('databaseUrl');
const accounts = inject('accounts');
const ARTIFACTS = path.resolve('tests/artifacts');

/**
 * The server log's lines once the line with `text` is in it: the server's output reaches its
 * file through a pipe, possibly after the response (waited for five seconds at most).
 */
function logUpTo(text: string): Promise<string[]> {
	return vi.waitFor(
		async () => {
			const lines = (await readFile(inject('serverLog'), 'utf8')).split('\n');
			if (!lines.some((line) => line.includes(text))) throw new Error(`no log line with ${text}`);
			return lines;
		},
		{ timeout: 5_000, interval: 50 }
	);
}

/** Runs statements on the server's maintenance database (not the test database itself). */
async function onServer(url: string, ...statements: string[]) {
	const admin = new URL(url);
	const database = admin.pathname.slice(1);
	admin.pathname = '/postgres';
	const client = new pg.Client({ connectionString: admin.toString() });
	await client.connect();
	try {
		for (const statement of statements) await client.query(statement.replaceAll('$db', database));
	} finally {
		await client.end();
	}
}

/** Refuses every new connection to the test database and ends the open ones. */
function closeDatabase(url: string) {
	return onServer(
		url,
		'ALTER DATABASE "$db" ALLOW_CONNECTIONS false',
		`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db'`
	);
}

function reopenDatabase(url: string) {
	return onServer(url, 'ALTER DATABASE "$db" ALLOW_CONNECTIONS true');
}

interface Row {
	code: string;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	suppressed: boolean;
}

describe.skipIf(!databaseUrl)('public pages and API with the database out of reach', () => {
	let browser: Browser;
	let periods: string[];

	beforeAll(async () => {
		browser = await launchBrowser();
		periods = (await (await fetch(`${baseUrl}/api/periods`)).json()) as string[];
		await closeDatabase(databaseUrl!);
	});

	afterAll(async () => {
		await reopenDatabase(databaseUrl!);
		await browser?.close();
	});

	it('answers the public API from the release, suppressed cells flagged and empty', async () => {
		// URLs no test asked before, so no answer comes from a cache filled while the database
		// was up.
		const month = periods.find((p) => /^\d{4}-\d{2}$/.test(p))!;
		const older = periods.filter((p) => /^\d{4}-\d{2}$/.test(p))[3]!;
		const get = async (url: string) => {
			const response = await fetch(`${baseUrl}${url}`);
			expect(response.status, `${url}: ${await response.clone().text()}`).toBe(200);
			return response;
		};
		const communes = (await (
			await get(`/api/indicators/enrolment_coverage?level=commune&parent=1701&period=${older}`)
		).json()) as Row[];
		expect(communes.length).toBeGreaterThan(0);
		for (const row of communes) {
			if (row.suppressed)
				expect([row.numerator, row.denominator, row.value]).toEqual([null, null, null]);
			else expect(row.denominator).toBeGreaterThanOrEqual(20);
		}
		const csv = await (
			await get(`/api/indicators/take_up?level=district&parent=17&period=${older}&format=csv`)
		).text();
		expect(csv.split('\n')[0]).toBe(
			'code,name_en,name_km,period,programme,group,numerator,denominator,value,suppressed'
		);
		const series = (await (
			await get(`/api/indicators/appeals_rate/series?units=KH,12&kind=quarter`)
		).json()) as Row[];
		expect(series.length).toBeGreaterThan(0);
		const profile = (await (await get(`/api/units/1702/values?period=${month}`)).json()) as {
			values: Row[];
		};
		expect(profile.values.length).toBeGreaterThan(5);
		expect(((await (await get('/api/geo/units/170201')).json()) as { code: string }).code).toBe(
			'170201'
		);
		expect(((await (await get('/api/programmes')).json()) as unknown[]).length).toBeGreaterThan(0);
		expect(await (await get('/api/periods')).json()).toEqual(periods);
		// Villages are never public.
		expect(
			(await fetch(`${baseUrl}/api/indicators/registration_coverage?level=village&parent=170101`))
				.status
		).toBe(403);
	});

	it('serves the map with its drill-down, the finder, the rollout and the downloads', async () => {
		const watched = await openPage(browser, baseUrl);
		const { page, errors } = watched;
		try {
			await page.goto('/?indicator=enrolment_coverage&level=district&code=12');
			await page
				.locator('[data-testid="choropleth"][data-ready="true"][data-level="district"]')
				.waitFor({ state: 'attached', timeout: 60_000 });
			const rows = page.locator('[data-testid="unit-table"] [data-testid="unit-row"]');
			expect(await rows.count()).toBeGreaterThan(0);
			await mkdir(ARTIFACTS, { recursive: true });
			await page.screenshot({ path: path.join(ARTIFACTS, 'public-without-database.png') });
			await rows.first().getByRole('link').click();
			await page
				.locator('[data-testid="choropleth"][data-ready="true"][data-level="commune"]')
				.waitFor({ state: 'attached', timeout: 60_000 });
			for (const url of ['/finder?province=12', '/rollout', '/downloads', '/explore']) {
				const response = await page.goto(url);
				expect(response?.status(), url).toBe(200);
			}
			expect(errors).toEqual([]);
		} finally {
			await watched.context.close();
		}
	});

	it('does not serve a national user, whose figures come from the database', async () => {
		const response = await fetch(`${baseUrl}/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
			body: new URLSearchParams({
				username: accounts.national.username,
				password: accounts.national.password
			}),
			redirect: 'manual'
		});
		// The login needs the accounts table: it cannot succeed while the database is closed.
		expect(response.headers.get('set-cookie') ?? '').not.toMatch(/ssdm_session=/);
		expect(response.status).not.toBe(303);
	});

	it('tells a signed-in user the portal cannot answer, with the reference of its log line', async () => {
		// A session's token (well formed: 32 characters of base32) is looked up in the database
		// before any page can be drawn.
		const response = await fetch(`${baseUrl}/rollout`, {
			headers: { accept: 'text/html', cookie: 'ssdm_session=abcdefghijklmnopqrstuvwxyz234567' }
		});
		expect(response.status).toBe(500);
		const html = await response.text();
		expect(html).toContain('The portal cannot answer at the moment');
		expect(html).toContain('វិបផតថលមិនអាចឆ្លើយតបបាននៅពេលនេះទេ');
		const reference = /Internal Error \(reference ([0-9a-f-]{36})\)/.exec(html)?.[1];
		expect(reference).toBeDefined();
		// Nothing of the failure itself reaches the browser.
		expect(html).not.toMatch(/ECONNREFUSED|does not allow connections|ssdm_e2e_/);
		const logged = (await logUpTo(reference!))
			.filter((line) => line.includes(reference!))
			.map((line) => JSON.parse(line) as Record<string, unknown>);
		expect(logged).toEqual([
			expect.objectContaining({
				level: 50,
				msg: 'request failed',
				id: reference,
				status: 500,
				method: 'GET',
				path: '/rollout'
			})
		]);
	});

	it("serves the icon a browser asks for by itself without the session's check", async () => {
		// Browsers fetch /favicon.ico whatever the page links, with the session's cookie: a static
		// file, it needs no database (before it was one, it failed with a second log line).
		const response = await fetch(`${baseUrl}/favicon.ico`, {
			headers: { cookie: 'ssdm_session=abcdefghijklmnopqrstuvwxyz234567' }
		});
		expect(response.status).toBe(200);
		// (Sent without a type: the static server's list has none for .ico, and browsers tell an
		// icon by its content.)
		const icon = new Uint8Array(await response.arrayBuffer());
		// An icon file's header: reserved 0, type 1 (icon).
		expect([...icon.slice(0, 4)]).toEqual([0, 0, 1, 0]);
		// A failing request after it marks how far the log must have been written (the server
		// writes its lines in order).
		const marker = await fetch(`${baseUrl}/rollout`, {
			headers: { accept: 'text/html', cookie: 'ssdm_session=abcdefghijklmnopqrstuvwxyz234567' }
		});
		const reference = /reference ([0-9a-f-]{36})/.exec(await marker.text())?.[1];
		expect(reference).toBeDefined();
		const logged = (await logUpTo(reference!)).filter((line) => line.includes('/favicon.ico'));
		expect(logged).toEqual([]);
	});
});
