/**
 * The rollout view for the national board (`/rollout`, issue #5): public, reached from the
 * header; its charts draw, the map of first opening years draws every commune polygon, the
 * table beside the map agrees with the indicator engine's commune coverage, exports download
 * real PNGs, and the page reads in Khmer.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROLLOUT } from '../../src/lib/i18n/rollout';
import { launchBrowser, openPage, type WatchedPage } from './browser';

const baseUrl = inject('baseUrl');
const ARTIFACTS = path.resolve('tests/artifacts');

const CHARTS = [
	'offices-chart',
	'commune-coverage-chart',
	'province-coverage-chart',
	'opening-years-chart',
	'registrations-chart',
	'registration-coverage-chart'
];

async function json<T>(url: string): Promise<T> {
	const response = await fetch(`${baseUrl}${url}`);
	expect(response.status, url).toBe(200);
	return (await response.json()) as T;
}

/** Waits (by condition) until the map has drawn, and reads how many communes it drew. */
async function waitForMap(page: Page): Promise<number> {
	const map = page.locator('[data-testid="opening-year-map"][data-ready="true"]');
	await map.waitFor({ state: 'attached', timeout: 90_000 });
	return Number(await map.getAttribute('data-feature-count'));
}

/** The width in the IHDR chunk of a PNG file, after checking the PNG signature. */
async function pngWidth(download: Download): Promise<number> {
	const file = await download.path();
	const bytes = await readFile(file);
	expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
	return bytes.readUInt32BE(16);
}

/**
 * The year each commune first had an open front office, worked out from the indicator engine
 * rather than the offices table the page reads: the first stored year end (or, for the current
 * year, the newest month) at which `commune_office_coverage` counts the commune as covered.
 * It matches the page's "year of the first opening" because the demo never closes a front
 * office within a year of opening it. Years before the first stored year cannot be told apart,
 * so they are returned as that year (`firstStoredYear`).
 */
async function firstCoveredYears() {
	const periods = await json<string[]>('/api/periods');
	const lastMonth = periods
		.filter((p) => /^\d{4}-\d{2}$/.test(p))
		.sort()
		.at(-1)!;
	const years = periods
		.filter((p) => /^\d{4}$/.test(p) && `${p}-12` < lastMonth)
		.sort()
		.map((year) => ({ year: Number(year), period: year }));
	years.push({ year: Number(lastMonth.slice(0, 4)), period: lastMonth });
	const first = new Map<string, number>();
	for (const { year, period } of years) {
		const rows = await json<{ code: string; numerator: number }[]>(
			`/api/indicators/commune_office_coverage?level=commune&period=${period}`
		);
		for (const row of rows)
			if (row.numerator > 0 && !first.has(row.code)) first.set(row.code, year);
	}
	return { first, firstStoredYear: years[0]!.year };
}

let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
});

describe('rollout view', () => {
	let watched: WatchedPage;

	beforeAll(async () => {
		watched = await openPage(browser, baseUrl, { width: 1280, height: 900 });
	});

	afterAll(async () => {
		await watched?.context.close();
	});

	it('is public, reached from the header, and draws every chart and the whole commune map', async () => {
		const { page, errors } = watched;
		await page.goto('/');
		await page
			.getByRole('navigation', { name: 'Portal' })
			.getByRole('link', { name: 'Rollout' })
			.click();
		await page.waitForURL(/\/rollout$/);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
			ROLLOUT.en.title
		);

		for (const chart of CHARTS) {
			// A chart with a colour legend holds the legend's swatches first; the plot comes last.
			const svg = page.getByTestId(chart).locator('svg').last();
			await svg.waitFor();
			const box = await svg.boundingBox();
			expect(box?.width, chart).toBeGreaterThan(100);
		}
		// The stacked areas: one per office level.
		await expect(
			page.getByTestId('offices-chart').locator('g[aria-label="area"] path').count()
		).resolves.toBe(3);

		const layer = await json<FeatureCollection>('/geo/commune');
		expect(layer.features.length).toBe(1633);
		expect(await waitForMap(page)).toBe(layer.features.length);

		await mkdir(ARTIFACTS, { recursive: true });
		await page.screenshot({ path: path.join(ARTIFACTS, 'rollout.png'), fullPage: true });
		await page
			.getByTestId('opening-year-map')
			.screenshot({ path: path.join(ARTIFACTS, 'rollout-map.png') });
		expect(errors).toEqual([]);
	});

	it('lists the communes per opening year that the indicator engine implies', async () => {
		const { page } = watched;
		const figure = page.getByTestId('opening-years-chart');
		await figure.locator('summary').click();
		const headers = await figure.locator('thead th').allTextContents();
		const cells = await figure.locator('tbody tr').last().locator('td').allTextContents();
		expect(cells[0]).toBe('Cambodia');
		const counted = new Map(
			headers.slice(1).map((header, i) => [header, Number(cells[i + 1]!.replace(/,/g, ''))])
		);

		const { first, firstStoredYear } = await firstCoveredYears();
		const units = await json<{ code: string }[]>(
			`/api/indicators/commune_office_coverage?level=commune&period=${firstStoredYear}`
		);
		const expected = new Map<string, number>();
		for (const year of first.values())
			expected.set(String(year), (expected.get(String(year)) ?? 0) + 1);

		// Years after the first stored one, one by one; up to it, together.
		const yearColumns = [...counted.keys()].filter((header) => /^\d{4}$/.test(header));
		expect(yearColumns.length).toBeGreaterThan(3);
		let upToFirst = 0;
		for (const header of yearColumns) {
			if (Number(header) <= firstStoredYear) upToFirst += counted.get(header)!;
			else expect(counted.get(header), header).toBe(expected.get(header) ?? 0);
		}
		expect(upToFirst).toBe(expected.get(String(firstStoredYear)) ?? 0);
		expect(counted.get('No office yet')).toBe(units.length - first.size);
		expect(counted.get('Total')).toBe(units.length);
	});

	it('downloads a chart and the map as PNG files', async () => {
		const { page, errors } = watched;
		const [chartPng] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('offices-chart').getByRole('button', { name: 'PNG' }).click()
		]);
		expect(chartPng.suggestedFilename()).toMatch(/^ssdm-offices-open-\d{4}-\d{2}\.png$/);
		expect(await pngWidth(chartPng)).toBeGreaterThan(0);

		await waitForMap(page);
		const [mapPng] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: ROLLOUT.en.map_png }).click()
		]);
		expect(mapPng.suggestedFilename()).toMatch(/^ssdm-front-office-opening-year-.*\.png$/);
		expect(await pngWidth(mapPng)).toBeGreaterThan(0);
		expect(errors).toEqual([]);
	});

	it('loads MapLibre only on a page with a map', async () => {
		/** The scripts a page loads: MapLibre's bundle (about 1 MB) and its worker. */
		const mapLibreLoads = async (url: string) => {
			const { page, context } = await openPage(browser, baseUrl);
			const loaded: string[] = [];
			page.on('response', async (response) => {
				const name = new URL(response.url()).pathname;
				if (!/\.m?js$/.test(name)) return;
				const size = (await response.body().catch(() => Buffer.alloc(0))).length;
				if (name.includes('maplibre-gl-worker') || size > 900_000) loaded.push(name);
			});
			await page.goto(url);
			if (url === '/rollout') await waitForMap(page);
			else await page.getByRole('heading', { level: 1 }).waitFor();
			await page.waitForLoadState('networkidle');
			await context.close();
			return loaded;
		};
		expect(await mapLibreLoads('/indicators')).toEqual([]);
		const onRollout = await mapLibreLoads('/rollout');
		expect(onRollout.some((name) => name.includes('maplibre-gl-worker'))).toBe(true);
		expect(onRollout.some((name) => !name.includes('maplibre-gl-worker'))).toBe(true);
	});

	it('reads in Khmer', async () => {
		const { page, context, errors } = watched;
		await context.addCookies([{ name: 'lang', value: 'km', url: baseUrl }]);
		await page.goto('/rollout');
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
			ROLLOUT.km.title
		);
		await expect(page.getByTestId('offices-chart').locator('.title').textContent()).resolves.toBe(
			ROLLOUT.km.offices_title
		);
		await waitForMap(page);
		await page.screenshot({ path: path.join(ARTIFACTS, 'rollout-km.png'), fullPage: true });
		expect(errors).toEqual([]);
	});
});
