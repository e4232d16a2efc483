/**
 * The one way end-to-end tests get a browser: Debian's Chromium driven by playwright-core.
 * Machines that run these tests have no network, so a browser is never downloaded.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser (CI installs it with apt). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless, sandbox-less (containers run as root), no GPU and nothing that phones home.
 * WebGL for MapLibre comes from SwiftShader, ANGLE's software renderer: with these flags Debian's
 * Chromium 156 reports "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))" as its
 * WebGL renderer. It still falls back to SwiftShader unasked, but Chromium is deprecating that
 * automatic fallback, so the tests opt in explicitly.
 */
export const CHROMIUM_ARGS = [
	'--headless=new',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--use-gl=angle',
	'--use-angle=swiftshader',
	'--enable-unsafe-swiftshader'
];

/** Launches Chromium, or explains how to get it when it is missing. */
export async function launchBrowser(): Promise<Browser> {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`No Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) ` +
				'or set CHROMIUM_PATH. The tests never download a browser.'
		);
	}
	return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A page plus the errors it raised, so a test can assert the page ran cleanly. */
export interface WatchedPage {
	context: BrowserContext;
	page: Page;
	/** Uncaught exceptions and `console.error` messages, in order. */
	errors: string[];
}

/** Opens a fresh context (no shared cookies or cache) with a desktop-sized viewport. */
export async function openPage(
	browser: Browser,
	baseUrl: string,
	viewport = { width: 1280, height: 860 }
): Promise<WatchedPage> {
	const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'en-GB' });
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
	});
	return { context, page, errors };
}

/**
 * Signs `page` in through the login form at `path` (the fields found by their names, so in
 * either language), then waits until the form sends it on.
 */
export async function signIn(
	page: Page,
	account: { username: string; password: string },
	path = '/login'
) {
	await page.goto(path);
	// Filled before the page is hydrated, a field could be emptied again by it.
	await page.waitForLoadState('networkidle');
	const form = page.locator('main form');
	await form.locator('input[name="username"]').fill(account.username);
	await form.locator('input[name="password"]').fill(account.password);
	await form.locator('button[type="submit"]').click();
	await page.waitForURL((url) => url.pathname !== '/login');
}
