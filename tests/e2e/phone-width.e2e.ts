/**
 * The portal on a phone (390 × 844 CSS pixels, as provincial staff in the field open it): no page
 * is wider than the screen, in English or Khmer, so nothing is reached only by scrolling the
 * whole page sideways; a table wider than the screen scrolls inside its own frame, which a
 * keyboard can focus. Before the header's links wrapped and the tables had frames, the map
 * page was 443 px wide in English and the imports' history 1,039 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openPage, signIn } from './browser';

const PHONE = { width: 390, height: 844 };

const PUBLIC_PAGES = ['/', '/rollout', '/indicators', '/downloads', '/explore', '/login'];
const STAFF_PAGES = ['/finder', '/data-quality', '/refresh', '/admin/imports', '/admin/users'];

/** The page's width against the screen's, once it has drawn (the map's layer, the charts). */
async function widths(page: Page, path: string) {
	await page.goto(path, { waitUntil: 'networkidle' });
	return page.evaluate(() => ({
		page: document.documentElement.scrollWidth,
		screen: document.documentElement.clientWidth
	}));
}

describe('the portal at a phone’s width', () => {
	let browser: Browser;

	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	for (const lang of ['en', 'km']) {
		it(`fits every page to the screen, signed in as the admin (${lang})`, async () => {
			const watched = await openPage(browser, inject('baseUrl'), PHONE);
			const { context, page } = watched;
			await context.addCookies([{ name: 'lang', value: lang, url: inject('baseUrl') }]);
			const tooWide: string[] = [];
			for (const path of PUBLIC_PAGES) {
				const measured = await widths(page, path);
				if (measured.page > measured.screen) tooWide.push(`${path} ${measured.page} px`);
			}
			await signIn(page, inject('admin'));
			for (const path of STAFF_PAGES) {
				const measured = await widths(page, path);
				if (measured.page > measured.screen) tooWide.push(`${path} ${measured.page} px`);
			}
			expect(tooWide).toEqual([]);
			expect(watched.errors).toEqual([]);
			await context.close();
		});
	}

	it('scrolls a wide table inside its own frame, which a keyboard can focus', async () => {
		const { context, page } = await openPage(browser, inject('baseUrl'), PHONE);
		await page.goto('/indicators', { waitUntil: 'networkidle' });
		const frame = page.getByRole('region', { name: 'Indicator definitions' });
		const sizes = await frame.evaluate((element) => ({
			content: element.scrollWidth,
			frame: element.clientWidth
		}));
		expect(sizes.content).toBeGreaterThan(sizes.frame);
		// Focused, the arrow keys scroll it (smoothly: the position moves over a few frames).
		await frame.focus();
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => frame.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
		await context.close();
	});
});
