/**
 * The dashboard beyond drilling down: a copied URL restores every choice, the language switch
 * shows Khmer names, the legend's classes follow the classification method (counts checked
 * against the API's own rows), the map exports as a PNG of the right size, and the unit panel,
 * charts and villages appear for a commune. Screenshots of the main views are saved in
 * tests/artifacts for a person to look at.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage, signIn, type WatchedPage } from './browser';

const baseUrl = inject('baseUrl');
const accounts = inject('accounts');
const ARTIFACTS = path.resolve('tests/artifacts');

const SIEM_REAP = '17';
const ANGKOR_CHUM = '1701';
// From the reference gazetteer: awk -F, '$1=="17" {print $3}' ../shared/geo/gazetteer.csv | head -1
const SIEM_REAP_KM = 'សៀមរាប';

interface ApiRow {
	code: string;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	suppressed: boolean;
}

async function waitForMap(page: Page, level: string) {
	await page
		.locator(`[data-testid="choropleth"][data-ready="true"][data-level="${level}"]`)
		.waitFor({ state: 'attached', timeout: 60_000 });
}

async function saveScreenshot(page: Page, name: string) {
	await mkdir(ARTIFACTS, { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}

/** The legend's class counts, in order, as the page shows them. */
async function legendCounts(page: Page): Promise<number[]> {
	return page
		.locator('[data-testid="legend-class"]')
		.evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.count)));
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian). */
function pngSize(bytes: Buffer): { width: number; height: number } {
	expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

let browser: Browser;
let latestMonth: string;

beforeAll(async () => {
	browser = await launchBrowser();
	const periods = (await (await fetch(`${baseUrl}/api/periods`)).json()) as string[];
	latestMonth = periods.find((p) => /^\d{4}-\d{2}$/.test(p))!;
	// A month before the latest, so the test sees a period chosen from the URL, not the default.
	expect(periods.filter((p) => /^\d{4}-\d{2}$/.test(p)).length).toBeGreaterThan(1);
});

afterAll(async () => {
	await browser?.close();
});

describe('dashboard', () => {
	let watched: WatchedPage;

	beforeAll(async () => {
		watched = await openPage(browser, baseUrl);
	});

	afterAll(async () => {
		await watched?.context.close();
	});

	it('restores every choice from a copied URL', async () => {
		const { page, errors } = watched;
		const periods = (await (await fetch(`${baseUrl}/api/periods`)).json()) as string[];
		const earlier = periods.filter((p) => /^\d{4}-\d{2}$/.test(p))[1]!;
		const search = `?level=district&code=${SIEM_REAP}&indicator=take_up&period=${earlier}&by=idpoor&group=1&classes=jenks&k=4`;
		await page.goto(`/${search}`);
		await waitForMap(page, 'district');

		await expect(page.getByTestId('indicator-select').inputValue()).resolves.toBe('take_up');
		await expect(page.getByTestId('period-select').inputValue()).resolves.toBe(earlier);
		await expect(page.getByTestId('by-select').inputValue()).resolves.toBe('idpoor');
		await expect(page.getByTestId('group-select').inputValue()).resolves.toBe('1');
		await expect(page.getByTestId('classes-select').inputValue()).resolves.toBe('jenks');
		await expect(page.getByTestId('k-select').inputValue()).resolves.toBe('4');
		await expect(page.getByTestId('dashboard-title').textContent()).resolves.toContain('Take-up');
		await expect(page.getByTestId('dashboard-title').textContent()).resolves.toContain(
			'IDPoor level 1'
		);
		// The table lists the API's rows for that very view.
		const rows = (await (
			await fetch(
				`${baseUrl}/api/indicators/take_up?level=district&parent=${SIEM_REAP}&period=${earlier}&by=idpoor`
			)
		).json()) as (ApiRow & { group: string })[];
		const codes = await page
			.locator('[data-testid="unit-table"] [data-testid="unit-row"]')
			.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.code).sort());
		expect(codes).toEqual(
			rows
				.filter((r) => r.group === '1')
				.map((r) => r.code)
				.sort()
		);
		expect(errors).toEqual([]);
	});

	it('changes the legend classes with the method, with counts matching the API', async () => {
		const { page, errors } = watched;
		await page.goto('/');
		await waitForMap(page, 'province');
		const rows = (await (
			await fetch(
				`${baseUrl}/api/indicators/registration_coverage?level=province&period=${latestMonth}`
			)
		).json()) as ApiRow[];
		// A visitor's map shows the release: suppressed provinces have no class.
		const valued = rows.filter((r) => r.value !== null);
		expect(valued.length).toBeGreaterThan(10);
		expect(valued.length + rows.filter((r) => r.suppressed).length).toBe(25);

		// Quantiles, 5 classes, worked out here: each break the first value of a fifth of the
		// sorted values (index floor(n·i/5)), breaks equal to the minimum or each other dropped.
		const sorted = valued.map((r) => r.value!).sort((a, b) => a - b);
		const quantileAt = (p: number) => sorted[Math.floor(sorted.length * p)]!;
		const breaks = [...new Set([0.2, 0.4, 0.6, 0.8].map(quantileAt))].filter((b) => b > sorted[0]!);
		const expectedQuantiles = Array.from({ length: breaks.length + 1 }, () => 0);
		for (const v of sorted) expectedQuantiles[breaks.filter((b) => v >= b).length]!++;
		await expect.poll(() => legendCounts(page)).toEqual(expectedQuantiles);
		// The suppressed provinces are their own legend entry (dots), never a class.
		const suppressed = rows.filter((r) => r.suppressed).length;
		await expect(
			page.locator('[data-testid="legend-state"][data-pattern="dots"]').count()
		).resolves.toBe(suppressed > 0 ? 1 : 0);
		if (suppressed > 0) {
			await expect(
				page.locator('[data-testid="legend-state"][data-pattern="dots"]').getAttribute('data-count')
			).resolves.toBe(String(suppressed));
		}

		// Fixed threshold at 50 %: the counts below and at-or-above, counted here from the API.
		await page.getByTestId('classes-select').selectOption('fixed');
		await page.getByTestId('thresholds-input').waitFor();
		await page.getByTestId('thresholds-input').fill('50');
		await page.getByTestId('thresholds-input').press('Enter');
		await page.waitForURL((url) => url.searchParams.get('thresholds') === '50');
		await waitForMap(page, 'province');
		const below = valued.filter((r) => r.value! < 0.5).length;
		await expect
			.poll(() => legendCounts(page))
			.toEqual([below, valued.length - below].filter((count, i) => count > 0 || i === 1));
		await saveScreenshot(page, 'dashboard-fixed-threshold.png');

		// Equal intervals, 3 classes: recomputed here from the API's min and max.
		await page.goto('/?classes=equal&k=3');
		await waitForMap(page, 'province');
		const values = valued.map((r) => r.value!);
		const [min, max] = [Math.min(...values), Math.max(...values)];
		const step = (max - min) / 3;
		const expected = [0, 0, 0];
		for (const v of values) expected[v >= min + 2 * step ? 2 : v >= min + step ? 1 : 0]!++;
		await expect.poll(() => legendCounts(page)).toEqual(expected);
		expect(errors).toEqual([]);
	});

	it('switches to Khmer and back, names and labels included', async () => {
		const { page } = watched;
		await page.goto('/');
		await waitForMap(page, 'province');
		await page.getByTestId('language-km').click();
		await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('km');
		const row = page.locator(`[data-testid="unit-row"][data-code="${SIEM_REAP}"] a`);
		await expect.poll(() => row.textContent()).toBe(SIEM_REAP_KM);
		await expect(
			page.getByTestId('indicator-select').locator('option:checked').textContent()
		).resolves.toBe('អត្រាចុះឈ្មោះក្នុងបញ្ជី');
		// Numbers in Khmer digits.
		await expect(page.getByTestId('overall').textContent()).resolves.toMatch(/[០-៩]/);
		await saveScreenshot(page, 'dashboard-km.png');
		// A reload keeps the choice (a cookie), and the server renders Khmer too.
		await page.reload();
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('km');
		await page.getByTestId('language-en').click();
		await expect.poll(() => row.textContent()).not.toBe(SIEM_REAP_KM);
	});

	it('exports the map as a PNG with its frame, at twice the map size', async () => {
		const { page } = watched;
		await page.goto(`/?level=district&code=${SIEM_REAP}`);
		await waitForMap(page, 'district');
		const canvas = await page.locator('[data-testid="choropleth"] canvas').boundingBox();
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('export-map-png').click()
		]);
		expect(download.suggestedFilename()).toMatch(/^registration_coverage_17_\d{4}-\d{2}_map\.png$/);
		const file = path.join(ARTIFACTS, 'map-export.png');
		await mkdir(ARTIFACTS, { recursive: true });
		await download.saveAs(file);
		const size = pngSize(await readFile(file));
		// 16 px of padding on each side, at 2 device pixels per CSS pixel.
		expect(size.width).toBe(Math.round((canvas!.width + 32) * 2));
		expect(size.height).toBeGreaterThan(Math.round(canvas!.height * 2));
	});

	it('shows a commune profile with funnels and charts, and its villages to provincial staff', async () => {
		const { page, errors } = watched;
		await signIn(page, accounts.province);

		await page.goto(`/?level=commune&code=${ANGKOR_CHUM}`);
		await waitForMap(page, 'commune');
		const first = page.locator('[data-testid="unit-table"] [data-testid="unit-row"]').first();
		const commune = await first.getAttribute('data-code');
		await first.getByRole('link').click();
		await page.waitForURL((url) => url.searchParams.get('unit') === commune);

		await page.getByTestId('unit-panel').waitFor();
		const funnel = await page
			.locator('[data-testid="funnel-registration"] [data-testid="funnel-count"]')
			.allTextContents();
		// Registered households equal the commune's numerator of registration coverage, as this
		// provincial officer reads it (unsuppressed inside their province).
		const session = (await page.context().cookies()).find((c) => c.name === 'ssdm_session')!;
		const rows = (await (
			await fetch(
				`${baseUrl}/api/indicators/registration_coverage?level=commune&parent=${ANGKOR_CHUM}&period=${latestMonth}`,
				{ headers: { cookie: `${session.name}=${session.value}` } }
			)
		).json()) as ApiRow[];
		const own = rows.find((r) => r.code === commune)!;
		expect(own.suppressed).toBe(false);
		expect(funnel[0]).toBe(new Intl.NumberFormat('en-GB').format(own.numerator!));

		const villages = page.locator('[data-testid="village-table"] [data-testid="unit-row"]');
		await villages.first().waitFor();
		expect(await villages.count()).toBeGreaterThan(0);
		for (const chart of ['chart-trend', 'chart-ranked', 'chart-distribution']) {
			await page.locator(`[data-testid="${chart}"] svg`).first().waitFor();
		}
		await page.getByTestId('before-after').waitFor();
		await saveScreenshot(page, 'dashboard-commune.png');
		expect(errors).toEqual([]);
	});
});
