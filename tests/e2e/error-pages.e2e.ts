/**
 * The error page, inside the portal's frame, in English and Khmer: a missing page (404) says
 * so and leads back to the map; a page the account may not open (403) says that, not the
 * server's English; each with its status on the response.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage, signIn, type WatchedPage } from './browser';

describe('error pages', () => {
	let browser: Browser;
	const opened: WatchedPage[] = [];

	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const { context } of opened) await context.close();
		await browser?.close();
	});

	async function open(lang: 'en' | 'km') {
		const watched = await openPage(browser, inject('baseUrl'));
		await watched.context.addCookies([{ name: 'lang', value: lang, url: inject('baseUrl') }]);
		opened.push(watched);
		return watched;
	}

	it('says a page is missing, with the portal around it, in English', async () => {
		const { page, errors } = await open('en');
		const response = await page.goto('/no-such-page');
		expect(response?.status()).toBe(404);
		const main = page.locator('main');
		await expect(
			main.getByRole('heading', { level: 1, name: 'Page not found' }).isVisible()
		).resolves.toBe(true);
		await expect(main.getByText('Error 404', { exact: true }).isVisible()).resolves.toBe(true);
		await expect(
			main
				.getByText('There is no page at this address: the link may be mistyped or out of date.')
				.isVisible()
		).resolves.toBe(true);
		await expect(page.title()).resolves.toBe('Page not found · SSDM Monitoring Portal');
		// The site's navigation is there, and the page's own way back leads to the map.
		await expect(page.getByRole('navigation', { name: 'Portal' }).isVisible()).resolves.toBe(true);
		await main.getByRole('link', { name: 'Go to the map' }).click();
		await page
			.locator('[data-testid="choropleth"][data-ready="true"]')
			.waitFor({ timeout: 60_000 });
		expect(new URL(page.url()).pathname).toBe('/');
		expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
	});

	it('says it in Khmer', async () => {
		const { page } = await open('km');
		const response = await page.goto('/releases');
		expect(response?.status()).toBe(404);
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('km');
		const main = page.locator('main');
		await expect(
			main.getByRole('heading', { level: 1, name: 'រកមិនឃើញទំព័រ' }).isVisible()
		).resolves.toBe(true);
		await expect(main.getByText('កំហុស 404', { exact: true }).isVisible()).resolves.toBe(true);
		await expect(main.getByRole('link', { name: 'ទៅកាន់ផែនទី' }).getAttribute('href')).resolves.toBe(
			'/'
		);
	});

	it('tells a signed-in user the page is not open to their account, in their language', async () => {
		const { page } = await open('km');
		await signIn(page, inject('accounts').partner);
		const response = await page.goto('/admin/users');
		expect(response?.status()).toBe(403);
		const main = page.locator('main');
		await expect(
			main.getByRole('heading', { level: 1, name: 'គណនីរបស់អ្នកមិនអាចចូលប្រើបានទេ' }).isVisible()
		).resolves.toBe(true);
		await expect(main.getByText('គណនីរបស់អ្នកមិនផ្តល់សិទ្ធិចូលប្រើទំព័រនេះទេ។').isVisible()).resolves.toBe(true);
		// Not the server's English.
		await expect(main.textContent()).resolves.not.toContain('Your account does not give access');
	});
});
