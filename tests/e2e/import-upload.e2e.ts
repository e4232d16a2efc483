/**
 * An admin uploads a households file with bad rows, watches it import, reads the summary and
 * downloads the rejected rows with their reasons; the batch then shows in the history.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage, type WatchedPage } from './browser';

const HOUSEHOLDS = `household_id,village_code,registered_on,idpoor_level,note
E2E-H1,17010101,2024-01-10,1,good
E2E-H2,17010101,2024-02-30,,impossible date
E2E-H3,170101,2024-03-01,,commune code
E2E-H4,17010101,2024-03-02,7,bad IDPoor level
E2E-H5,17010102,2024-03-03,,good
`;

describe('uploading an import file', () => {
	let browser: Browser;
	let watched: WatchedPage;
	let dir: string;

	beforeAll(async () => {
		browser = await launchBrowser();
		watched = await openPage(browser, inject('baseUrl'));
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-upload-'));
	});
	afterAll(async () => {
		await browser?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('sends anonymous visitors to the login page', async () => {
		const { page } = watched;
		await page.goto('/admin/imports');
		await page.waitForURL(/\/login\?next=%2Fadmin%2Fimports$/);
		const admin = inject('admin');
		await page.getByLabel('Username').fill(admin.username);
		await page.getByLabel('Password').fill(admin.password);
		await page.getByRole('button', { name: /log in/i }).click();
		await page.waitForURL(/\/admin\/imports$/);
		await expect(
			page.getByRole('heading', { name: 'Imports', level: 1 }).isVisible()
		).resolves.toBe(true);
	});

	it('imports the good rows and offers the rejected ones as CSV with their reasons', async () => {
		const { page } = watched;
		const file = path.join(dir, 'households.csv');
		writeFileSync(file, HOUSEHOLDS);
		await page.getByLabel('Files to import').setInputFiles(file);
		await page.getByRole('button', { name: 'Upload and import' }).click();

		const job = page.getByTestId('upload-job');
		await job.and(page.locator('[data-status="finished"]')).waitFor();
		const row = page.locator('[data-testid="upload-file"][data-file="households.csv"]');
		await expect(row.getAttribute('data-status')).resolves.toBe('imported');
		const cells = await row.locator('td.num').allTextContents();
		// read, inserted, updated, unchanged, rejected
		expect(cells).toEqual(['5', '2', '0', '0', '3']);
		// E2E-H1 and E2E-H5, new, in villages of commune 170101: counted from E2E-H1's registration.
		await expect(
			page.locator('[data-testid="upload-touched"][data-file="households.csv"]').textContent()
		).resolves.toBe(
			'households.csv: Indicators: 1 commune to recompute, the periods ending on or after 2024-01-10.'
		);
		await page.screenshot({ path: 'tests/artifacts/import-upload.png', fullPage: true });

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			row.getByRole('link', { name: 'Download CSV' }).click()
		]);
		const saved = path.join(dir, 'rejected.csv');
		await download.saveAs(saved);
		expect(parse(readFileSync(saved, 'utf8'))).toEqual([
			[
				'household_id',
				'village_code',
				'registered_on',
				'idpoor_level',
				'note',
				'error_column',
				'error'
			],
			[
				'E2E-H2',
				'17010101',
				'2024-02-30',
				'',
				'impossible date',
				'registered_on',
				'2024-02-30 is not a real date'
			],
			[
				'E2E-H3',
				'170101',
				'2024-03-01',
				'',
				'commune code',
				'village_code',
				'code at the wrong level: 170101 is a commune code, expected a village code (8 digits)'
			],
			[
				'E2E-H4',
				'17010101',
				'2024-03-02',
				'7',
				'bad IDPoor level',
				'idpoor_level',
				'bad value "7": expected one of 1, 2'
			]
		]);

		const history = page.getByTestId('import-history');
		await history.getByRole('rowheader', { name: 'households.csv' }).first().waitFor();
		const first = await history.locator('tbody tr').first().locator('td').allTextContents();
		// Cells: #, feed, by, when, read, inserted, updated, unchanged, rejected, seconds, checksum.
		expect(first.slice(1, 3)).toEqual(['households', 'e2e-admin']);
		expect(first.slice(4, 9)).toEqual(['5', '2', '0', '0', '3']);
		expect(watched.errors).toEqual([]);
	});

	it('lists the demo registry’s possible duplicates without names or ID numbers', async () => {
		const { page } = watched;
		await page.goto('/data-quality');
		const rows = page.getByTestId('duplicate-pairs').locator('tbody tr');
		await rows.first().waitFor();
		// The demo generator plants exactly 3 shared national IDs and 3 name/birth/sex matches.
		const reasons = await rows.locator('td:first-child').allTextContents();
		expect(reasons.filter((r) => r === 'Same national ID')).toHaveLength(3);
		expect(reasons.filter((r) => r === 'Same name, birth date and sex')).toHaveLength(3);
		// Every cell is a reason, a person or household id or a village code: no name, no ID number.
		const cells = await rows.locator('td').allTextContents();
		expect(cells.filter((c) => !/^(Same .+|P\d+|H\d+|\d{8})$/.test(c))).toEqual([]);
	});
});
