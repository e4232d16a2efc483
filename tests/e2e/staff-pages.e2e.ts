/**
 * The staff's pages in Khmer: as national staff read them, the login form and its error, the
 * account menu, the refresh page's state and history in Khmer words and digits, the possible
 * duplicates' reasons, the refresh page in English and the log-out page; as the admin reads them, the imports'
 * history, the accounts and the audit log. The demo registry was refreshed before the server
 * started, so the history holds that finished full refresh.
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
		// Filled before the page is hydrated, a field could be emptied again by it.
		await page.waitForLoadState('networkidle');
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
		// Another test's import may have started an incremental refresh meanwhile: the last
		// finished one is the demo's full refresh, or a later one.
		await expect(page.getByTestId('refresh-state').textContent()).resolves.toMatch(
			/បញ្ចប់ចុងក្រោយ៖ [០-៩-]+ [០-៩:]+ \((ទាំងស្រុង|តាមផ្នែក), [០-៩.]+ រយៈពេល, [០-៩.]+,[០-៩] វិនាទី\)។/
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

	it('logs out from the page a direct visit to /logout shows, in Khmer', async () => {
		await context.addCookies([{ name: 'lang', value: 'km', url: inject('baseUrl') }]);
		await page.goto('/logout');
		await expect(page.getByRole('heading', { name: 'ចាកចេញ', level: 1 }).isVisible()).resolves.toBe(
			true
		);
		await expect(page.title()).resolves.toBe('ចាកចេញ · វិបផតថលតាមដាន SSDM');
		await page.getByRole('button', { name: 'ចាកចេញពីវិបផតថល' }).click();
		await page.waitForURL((url) => url.pathname === '/');
		const menu = page.getByTestId('account-menu');
		await expect(menu.getByRole('link', { name: 'ចូលប្រើ' }).isVisible()).resolves.toBe(true);
		await expect(menu.getByRole('button', { name: 'ចាកចេញ' }).count()).resolves.toBe(0);
	});
});

describe('the admin’s pages in Khmer', () => {
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		browser = await launchBrowser();
		const baseURL = inject('baseUrl');
		const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
		await context.addCookies([{ name: 'lang', value: 'km', url: baseURL }]);
		page = await context.newPage();
		// Signed in by the form's request (the Khmer form itself is tested above), then the page.
		const admin = inject('admin');
		const response = await context.request.post('/login', {
			form: { username: admin.username, password: admin.password, next: '/admin/imports' },
			headers: { origin: baseURL, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status()).toBe(303);
		await page.goto('/admin/imports');
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('lists the imports with Khmer headings, digits and dates', async () => {
		await expect(
			page.getByRole('heading', { name: 'នាំចូលទិន្នន័យ', level: 1 }).isVisible()
		).resolves.toBe(true);
		await expect(page.getByLabel('ឯកសារដែលត្រូវនាំចូល').isVisible()).resolves.toBe(true);
		const history = page.getByTestId('import-history');
		const headers = await history.locator('th[scope="col"]').allTextContents();
		expect(headers).toEqual([
			'ល.រ',
			'ឯកសារ',
			'ប្រភពទិន្នន័យ',
			'ដោយ',
			'ពេលវេលា',
			'បានអាន',
			'បានបញ្ចូល',
			'បានកែប្រែ',
			'មិនផ្លាស់ប្តូរ',
			'បានបដិសេធ',
			'វិនាទី',
			'ផលបូកត្រួតពិនិត្យ'
		]);
		// The demo registry's imports: cells #, feed, by, when, read, inserted, updated,
		// unchanged, rejected, seconds, checksum (the file is the row's header).
		const cells = await history.locator('tbody tr').last().locator('td').allTextContents();
		expect(cells[0]).toMatch(/^[០-៩]+$/);
		expect(cells[3]).toMatch(/^[០-៩]{1,2} \p{Script=Khmer}+ [០-៩]{4}, [០-៩]{2}:[០-៩]{2}$/u);
		for (const count of cells.slice(4, 9)) expect(count.trim()).toMatch(KHMER_NUMBER);
		expect(cells[9]).toMatch(/^[០-៩.]+,[០-៩]$/);
	});

	it('lists the accounts with Khmer role and province names', async () => {
		await page.goto('/admin/users');
		await expect(
			page.getByRole('heading', { name: 'អ្នកប្រើប្រាស់', level: 1 }).isVisible()
		).resolves.toBe(true);
		// e2e-province's row: its role and its province (17, Siemreap) named in Khmer.
		const row = page.getByTestId('user-e2e-province');
		await expect(row.locator('.meta').textContent()).resolves.toBe('ថ្នាក់ខេត្ត៖ 17 សៀមរាប');
		const roles = await page
			.locator('select[name="role"]')
			.first()
			.locator('option')
			.allTextContents();
		expect(roles).toEqual(['ដៃគូ', 'ថ្នាក់ខេត្ត', 'ថ្នាក់ជាតិ', 'អ្នកគ្រប់គ្រង']);
	});

	it('shows the audit log in Khmer', async () => {
		const admin = inject('admin').username;
		await page.goto(`/admin/audit?action=login&actor=${admin}`);
		await expect(
			page.getByRole('heading', { name: 'កំណត់ហេតុសវនកម្ម', level: 1 }).isVisible()
		).resolves.toBe(true);
		const headers = await page.locator('[data-testid="audit-table"] th').allTextContents();
		expect(headers).toEqual(['ពេលវេលា (UTC)', 'គណនី', 'សកម្មភាព', 'អ្វី', 'ពីកន្លែង', 'ព័ត៌មានលម្អិត']);
		// This admin's sign-in: its time in Khmer digits, its account and action as recorded.
		const first = page.getByTestId('audit-row').first();
		const cells = await first.locator('td').allTextContents();
		expect(cells[0]).toMatch(/^[០-៩]{4}-[០-៩]{2}-[០-៩]{2} [០-៩]{2}:[០-៩]{2}:[០-៩]{2}$/);
		expect(cells[1]).toBe(admin);
		expect(cells[2]).toBe('login');
		await expect(page.getByRole('button', { name: 'ត្រង' }).isVisible()).resolves.toBe(true);
	});
});
