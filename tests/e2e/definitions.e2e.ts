/** The definitions page lists every public indicator of the catalogue, in English and Khmer. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage, type WatchedPage } from './browser';

describe('indicator definitions', () => {
	let browser: Browser;
	let watched: WatchedPage;

	beforeAll(async () => {
		browser = await launchBrowser();
		watched = await openPage(browser, inject('baseUrl'));
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('is reached from the header and lists the 17 public indicators', async () => {
		const { page, errors } = watched;
		await page.goto('/');
		await page
			.getByRole('navigation', { name: 'Portal' })
			.getByRole('link', { name: 'Definitions' })
			.click();
		await page.waitForURL(/\/indicators$/);
		const rows = page.getByTestId('indicator-definitions').locator('tbody tr');
		await rows.first().waitFor();
		// §5 has 18 indicators; possible duplicates is internal and not listed publicly.
		await expect(rows.count()).resolves.toBe(17);
		const coverage = page.locator('tr#registration_coverage');
		await expect(coverage.locator('[lang="km"]').textContent()).resolves.toBe('អត្រាចុះឈ្មោះក្នុងបញ្ជី');
		await expect(coverage.locator('td').last().textContent()).resolves.toBe('village and up');
		await expect(page.locator('tr#offices_open td').last().textContent()).resolves.toBe(
			'commune and up'
		);
		await expect(page.locator('tr#possible_duplicates').count()).resolves.toBe(0);
		await page.screenshot({ path: 'tests/artifacts/definitions.png', fullPage: true });
		expect(errors).toEqual([]);
	});
});
