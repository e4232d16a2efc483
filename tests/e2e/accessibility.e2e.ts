/**
 * WCAG 2.1 A and AA on the public pages, in English and Khmer, checked by axe-core (Deque's
 * engine, the one behind Lighthouse's accessibility audit): colour contrast of every text
 * (AA: 4.5:1, 3:1 for large text), labels of controls, names of links and images, landmarks,
 * language attributes, table headers. Each page is checked once its data has arrived (map
 * drawn, unit panel and charts loaded), so the check sees what a reader sees.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser';

const AXE_SOURCE = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

/** What each page must show before it is checked. */
const PAGES: { path: string; ready: (page: Page) => Promise<unknown> }[] = [
	{ path: '/', ready: dashboardReady('province') },
	{ path: '/?level=district&code=17', ready: dashboardReady('district') },
	{
		path: '/finder?province=15&indicator=registration_coverage&threshold=80',
		ready: (page) => page.getByTestId('finder-summary').waitFor()
	},
	{
		path: '/rollout',
		ready: (page) =>
			page
				.locator('[data-testid="opening-year-map"][data-ready="true"]')
				.waitFor({ state: 'attached', timeout: 90_000 })
	},
	{ path: '/indicators', ready: (page) => page.getByTestId('indicator-definitions').waitFor() },
	{ path: '/downloads', ready: (page) => page.locator('main table').first().waitFor() },
	{
		path: '/explore?level=province&indicator=registration_coverage&rows=unit',
		ready: (page) => page.locator('[data-testid="result-row"]').first().waitFor({ timeout: 60_000 })
	},
	{ path: '/login', ready: (page) => page.locator('main form').waitFor() },
	{ path: '/no-such-page', ready: (page) => page.getByTestId('error-page').waitFor() }
];

function dashboardReady(level: string) {
	return async (page: Page) => {
		await page
			.locator(`[data-testid="choropleth"][data-ready="true"][data-level="${level}"]`)
			.waitFor({ timeout: 60_000 });
		// The unit panel and the charts arrive after the map; wait until nothing says "Loading".
		await page.waitForFunction(() => !document.querySelector('main [role="status"]'));
	};
}

/** The WCAG 2.0/2.1 A and AA violations on the page, one line per rule and element. */
async function violations(page: Page): Promise<string[]> {
	await page.evaluate(AXE_SOURCE);
	const results = await page.evaluate(
		() =>
			(window as unknown as { axe: { run: (options: object) => Promise<AxeResults> } }).axe.run({
				runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
			}) as Promise<AxeResults>
	);
	return results.violations.flatMap((violation) =>
		violation.nodes.map(
			(node) => `${violation.id}: ${node.target.join(' ')} — ${node.failureSummary ?? ''}`
		)
	);
}

describe.each(['en', 'km'] as const)('accessibility (%s)', (lang) => {
	let browser: Browser;
	let context: BrowserContext;

	beforeAll(async () => {
		browser = await launchBrowser();
		const baseURL = inject('baseUrl');
		// The pages' Content-Security-Policy allows only their own scripts: axe is injected
		// through the DevTools protocol, which the policy does not govern, but bypass it anyway.
		context = await browser.newContext({
			baseURL,
			viewport: { width: 1280, height: 860 },
			bypassCSP: true
		});
		await context.addCookies([{ name: 'lang', value: lang, url: baseURL }]);
	});
	afterAll(async () => {
		await browser?.close();
	});

	it.each(PAGES)('$path has no WCAG 2.1 AA violation', async ({ path, ready }) => {
		const page = await context.newPage();
		try {
			await page.goto(path);
			await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
			await ready(page);
			expect(await violations(page)).toEqual([]);
		} finally {
			await page.close();
		}
	});
});
