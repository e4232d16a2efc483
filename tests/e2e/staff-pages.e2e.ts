/**
 * Signing in, the indicator refresh's status page and the data-quality page in Khmer, as
 * national staff read them: the login form and its errors, the account menu, the refresh
 * page's state and history in Khmer words and digits, the possible duplicates' reasons; the
 * refresh page in English. The demo registry was refreshed before the server started, so the
 * history holds that finished full refresh.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser';

/** Khmer digits (and the Khmer thousands' dot) only. */
const KHMER_NUMBER = /^[០-៩.]+$/;

describe('staff pages in Khmer and English', () => {
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;

	beforeAll(async () => {
		browser = await launchBrowser();
		const baseURL = inject('baseUrl');
		context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
		await context.addCookies([{ name: 'lang', value: 'km', url: baseURL }]);
		page = await context.newPage();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('asks for the login in Khmer and says why it failed', async () => {
		await page.goto('/refresh');
		await page.waitForURL(/\/login\?next=%2Frefresh$/);
		await expect(page.getByRole('heading', { name: 'ចូលប្រើ', level: 1 }).isVisible()).resolves.toBe(
			true
		);
		// An account no other test uses: its failed attempt throttles nobody else.
		await page.getByLabel('ឈ្មោះអ្នកប្រើ').fill('nobody-in-khmer');
		await page.getByLabel('ពាក្យសម្ងាត់').fill('not the password');
		await page.getByRole('button', { name: 'ចូលប្រើ' }).click();
		await expect(page.getByRole('alert').textContent()).resolves.toBe(
			'ឈ្មោះអ្នកប្រើ ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ។'
		);
	});

	it('shows the finished refresh in Khmer words and digits', async () => {
		const national = inject('accounts').national;
		await page.getByLabel('ឈ្មោះអ្នកប្រើ').fill(national.username);
		await page.getByLabel('ពាក្យសម្ងាត់').fill(national.password);
		await page.getByRole('button', { name: 'ចូលប្រើ' }).click();
		await page.waitForURL(/\/refresh$/);
		await expect(
			page.getByRole('heading', { name: 'ការគណនាសូចនាករឡើងវិញ', level: 1 }).isVisible()
		).resolves.toBe(true);
		const menu = page.getByTestId('account-menu');
		await expect(menu.textContent()).resolves.toContain('(ថ្នាក់ជាតិ)');
		await expect(menu.getByRole('button', { name: 'ចាកចេញ' }).isVisible()).resolves.toBe(true);
		await expect(page.getByTestId('refresh-state').textContent()).resolves.toContain(
			'មិនមានការគណនាឡើងវិញកំពុងដំណើរការទេ។'
		);
		const headers = await page.locator('[data-testid="refresh-runs"] th').allTextContents();
		expect(headers).toEqual(['ចាប់ផ្តើម', 'ប្រភេទ', 'រយៈពេល', 'ឃុំ', 'ថិរវេលា', 'លទ្ធផល']);
		// The demo's full refresh: every commune, its periods counted in Khmer digits.
		const full = page.locator('[data-testid="refresh-runs"] tbody tr').last();
		const cells = await full.locator('td').allTextContents();
		expect(cells[1]).toBe('ទាំងស្រុង');
		expect(cells[2]).toMatch(KHMER_NUMBER);
		expect(cells[3]).toBe('ទាំងអស់');
		expect(cells[4]).toMatch(/^[០-៩.]+,[០-៩] វិនាទី$/);
		expect(cells[5]).toBe('បានបញ្ចប់');
		expect(cells[0]).toMatch(/^[០-៩]{4}-[០-៩]{2}-[០-៩]{2} [០-៩]{2}:[០-៩]{2}:[០-៩]{2}$/);
	});

	it('names the possible duplicates’ reasons in Khmer', async () => {
		await page.goto('/data-quality');
		await expect(
			page.getByRole('heading', { name: 'គុណភាពទិន្នន័យ', level: 1 }).isVisible()
		).resolves.toBe(true);
		const rows = page.getByTestId('duplicate-pairs').locator('tbody tr');
		await rows.first().waitFor();
		// The demo generator plants exactly 3 shared national IDs and 3 name/birth/sex matches.
		const reasons = await rows.locator('td:first-child').allTextContents();
		expect(reasons.filter((r) => r === 'លេខអត្តសញ្ញាណប័ណ្ណដូចគ្នា')).toHaveLength(3);
		expect(reasons.filter((r) => r === 'ឈ្មោះ ថ្ងៃខែឆ្នាំកំណើត និងភេទដូចគ្នា')).toHaveLength(3);
		const counts = await page.locator('main ul li strong').allTextContents();
		expect(counts).toEqual(['៣', '៣']);
	});

	it('shows the refresh page in English', async () => {
		await context.addCookies([{ name: 'lang', value: 'en', url: inject('baseUrl') }]);
		await page.goto('/refresh');
		await expect(
			page.getByRole('heading', { name: 'Indicator refresh', level: 1 }).isVisible()
		).resolves.toBe(true);
		await expect(page.getByTestId('account-menu').textContent()).resolves.toContain('(national)');
		const full = page.locator('[data-testid="refresh-runs"] tbody tr').last();
		const cells = await full.locator('td').allTextContents();
		expect(cells[1]).toBe('full');
		expect(cells[2]).toMatch(/^\d+$/);
		expect(cells[3]).toBe('all');
		expect(cells[4]).toMatch(/^\d+\.\d s$/);
		expect(cells[5]).toBe('finished');
	});
});
