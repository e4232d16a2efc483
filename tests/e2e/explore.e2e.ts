/**
 * The explore page (`/explore`, issue #6): the release's Parquet loaded into DuckDB-WASM in the
 * browser answers a grouped query with the same figures as the indicator API (where no cell
 * was suppressed, and flagged as incomplete where one was), keeps answering once the browser
 * is offline, and its SQL box runs queries and refuses anything but a query.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { IndicatorRow } from '../../src/lib/indicators/catalogue';
import { launchBrowser, openPage, type WatchedPage } from './browser';

const baseUrl = inject('baseUrl');
const ARTIFACTS = path.resolve('tests/artifacts');

async function json<T>(url: string): Promise<T> {
	const response = await fetch(`${baseUrl}${url}`);
	expect(response.status, url).toBe(200);
	return (await response.json()) as T;
}

/** One result row as the page's table exposes it. */
interface ShownRow {
	key: string;
	numerator: number | null;
	denominator: number | null;
	suppressed: number;
	note: string;
}

/**
 * Waits for a result whose row keys match `key`, with the dataset's units read (so cells the
 * release left out are counted as suppressed), and reads it.
 */
async function waitForResult(page: Page, key: RegExp): Promise<ShownRow[]> {
	const explore = page.getByTestId('explore');
	await expect
		.poll(
			async () => {
				const [loaded, units] = await Promise.all([
					explore.getAttribute('data-loaded-level'),
					explore.getAttribute('data-units-level')
				]);
				return loaded !== null && loaded === units;
			},
			{ timeout: 60_000 }
		)
		.toBe(true);
	const first = page.locator('[data-testid="result-row"]').first();
	await expect
		.poll(async () => key.test((await first.getAttribute('data-key')) ?? ''), { timeout: 60_000 })
		.toBe(true);
	return page.locator('[data-testid="result-row"]').evaluateAll((rows) =>
		rows.map((row) => {
			const number = (name: string) => {
				const value = row.getAttribute(name);
				return value === null || value === '' ? null : Number(value);
			};
			return {
				key: row.getAttribute('data-key') ?? '',
				numerator: number('data-numerator'),
				denominator: number('data-denominator'),
				suppressed: Number(row.getAttribute('data-suppressed')),
				note: row.querySelector('td:last-child')?.textContent?.trim() ?? ''
			};
		})
	);
}

describe('explore page', () => {
	let browser: Browser;
	let watched: WatchedPage;
	let month: string;
	let provinces: Map<string, IndicatorRow>;
	/** Provinces whose own cell the release suppressed. */
	const suppressedProvinces = new Set<string>();

	beforeAll(async () => {
		const periods = await json<string[]>('/api/periods');
		month = periods
			.filter((p) => /^\d{4}-\d{2}$/.test(p))
			.sort()
			.at(-1)!;
		const rows = await json<IndicatorRow[]>(
			`/api/indicators/registration_coverage?level=province&period=${month}`
		);
		provinces = new Map(rows.map((row) => [row.code, row]));
		browser = await launchBrowser();
		watched = await openPage(browser, baseUrl);
	});

	afterAll(async () => {
		await browser?.close();
	});

	it('loads the province dataset and shows the published province figures', async () => {
		const { page } = watched;
		await page.goto(
			`/explore?level=province&indicator=registration_coverage&kind=month&period=${month}&rows=unit`
		);
		const rows = await waitForResult(page, /^\d{2}$/);
		expect(rows).toHaveLength(provinces.size);
		const firstResultMs = Number(
			await page.getByTestId('explore').getAttribute('data-first-result-ms')
		);
		console.log(`[explore] province dataset: first result ${firstResultMs} ms after load`);
		expect(firstResultMs).toBeGreaterThan(0);
		const published = rows.filter((row) => row.suppressed === 0);
		expect(published.length).toBeGreaterThan(0);
		for (const row of published) {
			const expected = provinces.get(row.key)!;
			expect([row.key, row.numerator, row.denominator]).toEqual([
				row.key,
				expected.numerator,
				expected.denominator
			]);
		}
		// A suppressed cell shows no figure, never 0 (domain.md §6).
		for (const row of rows.filter((r) => r.suppressed > 0)) {
			expect([row.numerator, row.denominator, row.note]).toEqual([null, null, 'suppressed']);
			suppressedProvinces.add(row.key);
		}
	});

	it('sums the district dataset into provinces: exact where complete, flagged where not', async () => {
		const { page } = watched;
		await page.getByLabel('Dataset').selectOption('district');
		// The district dataset is grouped by province by default.
		await expect
			.poll(() => page.getByTestId('explore').getAttribute('data-loaded-level'))
			.toBe('district');
		const rows = await waitForResult(page, /^\d{2}$/);
		expect(new URL(page.url()).searchParams.get('level')).toBe('district');
		// A province has no row only when the release left out all its districts, which it does
		// only under a suppressed province.
		const shown = new Set(rows.map((row) => row.key));
		for (const code of provinces.keys()) {
			if (!shown.has(code)) expect(suppressedProvinces).toContain(code);
		}
		for (const row of rows) {
			const expected = provinces.get(row.key)!;
			if (row.suppressed === 0) {
				expect([row.key, row.numerator, row.denominator]).toEqual([
					row.key,
					expected.numerator,
					expected.denominator
				]);
			} else {
				// Suppressed districts are left out of the sums: less than the total, and said so.
				expect(row.note).toMatch(
					/^(suppressed|incomplete \(\d+ suppressed\)|suppressed \(all \d+ cells\))$/
				);
				expect(row.numerator ?? 0).toBeLessThanOrEqual(expected.numerator!);
			}
		}
		// The chart and the province names (read from the province dataset) are in place.
		await page.locator('[data-testid="explore-chart"] svg').first().waitFor();
		await expect.poll(() => page.locator('#province option').count()).toBeGreaterThan(1);
	});

	it('keeps answering once the browser is offline', async () => {
		const { context, page } = watched;
		await context.setOffline(true);
		try {
			// Another grouping: each district of the dataset, lowest first.
			await page.getByRole('checkbox', { name: 'District' }).check();
			await page.getByRole('checkbox', { name: 'Province' }).uncheck();
			const rows = await waitForResult(page, /^\d{4}$/);
			expect(rows.length).toBeGreaterThan(provinces.size);

			// The SQL box: a query runs (here on the province dataset, loaded for the province
			// names), anything else is refused with a clear error.
			const sqlBox = page.getByLabel('SQL query');
			await sqlBox.fill(
				`SELECT sum(numerator) AS registered FROM province
				 WHERE indicator = 'registration_coverage' AND period = '${month}'
				   AND programme = '' AND group_by = '' AND NOT suppressed`
			);
			await page.getByRole('button', { name: 'Run SQL' }).click();
			const registered = [...provinces.values()]
				.filter((row) => !suppressedProvinces.has(row.code))
				.reduce((sum, row) => sum + row.numerator!, 0);
			await expect
				.poll(() => page.locator('[data-testid="sql-table"] tbody td').first().textContent())
				.toBe(String(registered));

			await sqlBox.fill('DROP VIEW district');
			await page.getByRole('button', { name: 'Run SQL' }).click();
			await expect(page.getByTestId('sql-error').textContent()).resolves.toMatch(/Error/);
		} finally {
			await context.setOffline(false);
		}
		await mkdir(ARTIFACTS, { recursive: true });
		await page.getByRole('checkbox', { name: 'Province' }).check();
		await page.getByRole('checkbox', { name: 'District' }).uncheck();
		await waitForResult(page, /^\d{2}$/);
		await page.screenshot({ path: path.join(ARTIFACTS, 'explore.png'), fullPage: true });
		expect(watched.errors).toEqual([]);
	});
});
