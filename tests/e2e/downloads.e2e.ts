/**
 * The downloads page (issue #6): reached from the header, it lists the release the global
 * setup published (`npm run publish`), its data dictionary, licence and attribution; a CSV
 * downloads and parses with the columns of the contract and as many rows as the page says.
 * Release files answer byte ranges (DuckDB-WASM reads Parquet that way), and an earlier
 * release is for partners and staff only.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RELEASE_COLUMNS } from '../../src/lib/releases/schema';
import { launchBrowser, openPage, type WatchedPage } from './browser';

const base = () => inject('baseUrl');

/** An earlier release made for the test by copying the published one under an older id. */
const EARLIER = '2000-01-01.1';

async function logIn(username: string, password: string): Promise<string> {
	const response = await fetch(new URL('/login', base()), {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: base(),
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ username, password, next: '/' })
	});
	expect(response.status).toBe(303);
	return response.headers
		.getSetCookie()
		.find((c) => c.startsWith('ssdm_session='))!
		.split(';')[0]!;
}

describe('downloads', () => {
	let browser: Browser;
	let watched: WatchedPage;
	let latest: string;
	let work: string;

	beforeAll(async () => {
		const releases = inject('releasesDir');
		latest = JSON.parse(readFileSync(path.join(releases, 'latest.json'), 'utf8')).release;
		cpSync(path.join(releases, latest), path.join(releases, EARLIER), { recursive: true });
		work = mkdtempSync(path.join(tmpdir(), 'ssdm-downloads-'));
		browser = await launchBrowser();
		watched = await openPage(browser, base());
	});
	afterAll(async () => {
		await browser?.close();
		rmSync(path.join(inject('releasesDir'), EARLIER), { recursive: true, force: true });
		if (work) rmSync(work, { recursive: true, force: true });
	});

	it('lists the latest release with its dictionary and licence, and downloads its commune CSV', async () => {
		const { page, errors } = watched;
		await page.goto('/');
		await page
			.getByRole('navigation', { name: 'Portal' })
			.getByRole('link', { name: 'Downloads' })
			.click();
		await page.waitForURL(/\/downloads$/);
		const section = page.getByTestId('latest-release');
		await expect(section.getByRole('heading').textContent()).resolves.toBe(
			`Latest release: ${latest}`
		);
		expect(latest).toMatch(/^\d{4}-\d{2}-\d{2}\.1$/);
		await expect(page.getByTestId('data-dictionary').locator('tbody tr').count()).resolves.toBe(
			RELEASE_COLUMNS.length
		);
		await expect(page.getByTestId('attribution').textContent()).resolves.toContain(
			`release ${latest} (CC-BY-4.0)`
		);
		await expect(page.getByTestId('earlier-releases').textContent()).resolves.toContain(
			`Release ${EARLIER}`
		);

		const communeRow = page.getByTestId(`datasets-${latest}`).locator('tbody tr').nth(3);
		await expect(communeRow.locator('th').textContent()).resolves.toBe('Commune');
		const shownRows = Number(
			(await communeRow.locator('td').first().textContent())!.replace(/,/g, '')
		);
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			communeRow.getByRole('link', { name: /^CSV/ }).click()
		]);
		expect(download.suggestedFilename()).toBe(`ssdm-${latest}-commune.csv`);
		const file = path.join(work, 'commune.csv');
		await download.saveAs(file);
		const [header, ...records] = parse(readFileSync(file)) as string[][];
		expect(header).toEqual(RELEASE_COLUMNS.map((c) => c.name));
		expect(records).toHaveLength(shownRows);
		expect(shownRows).toBeGreaterThan(0);
		const at = (name: string) => header!.indexOf(name);
		// Suppressed cells are empty, never 0; the others carry figures.
		const suppressed = records.filter((r) => r[at('suppressed')] === 'true');
		expect(suppressed.length).toBeGreaterThan(0);
		for (const r of suppressed) {
			expect([r[at('numerator')], r[at('denominator')], r[at('value')]]).toEqual(['', '', '']);
		}
		expect(new Set(records.map((r) => r[at('level')]))).toEqual(new Set(['commune']));
		await page.screenshot({ path: 'tests/artifacts/downloads.png', fullPage: true });
		expect(errors).toEqual([]);
	});

	it('answers byte ranges of the latest Parquet, as DuckDB-WASM reads it', async () => {
		const url = new URL('/releases/latest/commune.parquet', base());
		const head = await fetch(url, { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(head.headers.get('accept-ranges')).toBe('bytes');
		const size = Number(head.headers.get('content-length'));
		expect(size).toBeGreaterThan(8);
		// A Parquet file ends with the footer's length and the magic bytes PAR1.
		const footer = await fetch(url, { headers: { range: 'bytes=-4' } });
		expect(footer.status).toBe(206);
		expect(footer.headers.get('content-range')).toBe(`bytes ${size - 4}-${size - 1}/${size}`);
		expect(Buffer.from(await footer.arrayBuffer()).toString('latin1')).toBe('PAR1');
		const start = await fetch(new URL(`/releases/${latest}/commune.parquet`, base()), {
			headers: { range: 'bytes=0-3' }
		});
		expect(start.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(Buffer.from(await start.arrayBuffer()).toString('latin1')).toBe('PAR1');
	});

	it('keeps earlier releases for partners and staff, and refuses other names', async () => {
		const earlier = new URL(`/releases/${EARLIER}/national.csv`, base());
		const anonymous = await fetch(earlier, { redirect: 'manual' });
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toBe(
			`/login?next=${encodeURIComponent(`/releases/${EARLIER}/national.csv`)}`
		);
		const { partner } = inject('accounts');
		const cookie = await logIn(partner.username, partner.password);
		const asPartner = await fetch(earlier, { headers: { cookie } });
		expect(asPartner.status).toBe(200);
		expect(asPartner.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
		expect((await asPartner.text()).split('\n')[0]).toBe(
			RELEASE_COLUMNS.map((c) => c.name).join(',')
		);
		for (const bad of ['latest/secret.txt', `${latest}/..%2Flatest.json`, 'nope/national.csv']) {
			expect((await fetch(new URL(`/releases/${bad}`, base()))).status, bad).toBe(404);
		}
		// The releases directory holds whole releases only.
		expect(readdirSync(inject('releasesDir')).filter((e) => e.startsWith('.'))).toEqual([]);
	});
});
