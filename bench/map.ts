/**
 * The map page's browser benchmark (issue #5), part of `npm run bench` (`--only map` alone):
 * the production build with the e2e demo registry, driven in Debian's Chromium through the
 * DevTools protocol with a slow phone's CPU (4× slowdown) and a 1.6 Mbit/s network.
 *
 * - cold load of `/` (empty cache): bytes transferred and time until the provinces'
 *   choropleth is drawn;
 * - drill-down: 20 clicks on table links (10 province → districts, 10 district → communes),
 *   each timed from the click to the new level drawn, cache on (a returning user's browser
 *   keeps the app's scripts).
 *
 * "Drawn" is the map's own test hook: `[data-testid="choropleth"]` gets `data-ready="true"` and
 * `data-level` when MapLibre is `idle` after the level's layer was set, i.e. the layer's tiles
 * are rendered and its camera animation has ended. Times are taken inside the page (a
 * MutationObserver reading `performance.now()`, whose origin is the navigation's start; clicks
 * by their event's `timeStamp`), so Playwright's polling adds nothing to them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../tests/e2e/browser';
import { PROJECT_ROOT } from '../tests/support/server';
import { DEMO_HOUSEHOLDS, withDemoServer } from './demo-server';

/**
 * The issue's conditions, those of Lighthouse's mobile profile ("Slow 4G": 1.6 Mbit/s, 150 ms
 * round trip, 4× CPU slowdown): a mid-range phone on a slow mobile connection.
 */
export const CPU_SLOWDOWN = 4;
export const THROUGHPUT_BITS_PER_SECOND = 1_600_000;
/**
 * Latency added to every request; the issue names none, so Lighthouse's 150 ms round trip.
 * Chromium adds it once per request, and a local socket needs no DNS, TCP or TLS handshakes,
 * so this is the optimistic end: Lighthouse's own DevTools-throttled runs add 562.5 ms.
 */
export const LATENCY_MS = 150;

/** The issue's targets. */
export const FIRST_CHOROPLETH_TARGET_MS = 3000;
export const DRILL_DOWN_TARGET_MS = 300;

/** Clicks timed per drill-down series: half province → districts, half district → communes. */
const DRILL_DOWN_CLICKS = 20;

/** The e2e tests' desktop viewport: how much of the map is drawn depends on it. */
const VIEWPORT = { width: 1280, height: 860 };

/** How long one view may take to draw under the slowdowns before the benchmark gives up. */
const VIEW_TIMEOUT_MS = 120_000;

/** Bytes of one kind of resource loaded before the first choropleth was drawn. */
export interface TransferShare {
	kind: string;
	requests: number;
	/** Bytes on the wire (headers and the possibly compressed body). */
	bytes: number;
	/** Bytes of the decoded bodies. */
	decodedBytes: number;
	/** When the last of them arrived (page time, ms from the navigation's start). */
	lastByteAtMs: number | null;
}

/** What the cold load of `/` measured. */
export interface ColdLoad {
	/** Navigation start to the provinces' choropleth drawn, inside the page. */
	firstChoroplethMs: number;
	/** The same from Node: `page.goto` called to the drawn map found by Playwright. */
	wallClockMs: number;
	/** First contentful paint of the page (its server-rendered shell and table). */
	firstContentfulPaintMs: number | null;
	transferred: TransferShare[];
	/** Responses larger than 1 KB sent without a content-encoding, fonts and images aside. */
	uncompressed: { path: string; bytes: number }[];
}

/** One series of timed clicks. */
export interface DrillDownSeries {
	/** Click to the new level drawn, in click order. */
	clicksMs: number[];
	medianMs: number;
	p90Ms: number;
	maxMs: number;
	/** Medians, from the click, of the last byte of the view's data (`/api`) and of its layer (`/geo`). */
	dataMedianMs: number;
	layerMedianMs: number;
}

/** Everything the map benchmark measured. */
export interface MapBenchFigures {
	coldLoad: ColdLoad;
	drillDown: DrillDownSeries;
	/** The same clicks with `prefers-reduced-motion: reduce`: MapLibre then skips the camera animation. */
	drillDownReducedMotion: DrillDownSeries;
}

declare global {
	interface Window {
		/** Set by the benchmark's init script: each time the map reported a drawn level. */
		__mapBenchDrawn?: { level: string; at: number }[];
		/** Set by the benchmark's init script: `timeStamp` of the last click. */
		__mapBenchClickAt?: number;
	}
}

/**
 * Runs in the page before its own scripts: records when the map reports a level drawn, and
 * when the last click happened (capture phase, before SvelteKit's router sees it), and keeps
 * every Resource Timing entry (the default buffer holds 250). Plain JavaScript in a string:
 * tsx would wrap a function's inner closures in a `__name` helper that the page does not have.
 */
const RECORD_MAP_EVENTS = `(() => {
	performance.setResourceTimingBufferSize(5000);
	const drawn = [];
	window.__mapBenchDrawn = drawn;
	let last = '';
	new MutationObserver(() => {
		const map = document.querySelector('[data-testid="choropleth"]');
		const state = map && map.dataset.ready === 'true' ? (map.dataset.level ?? '') : '';
		if (state !== last) {
			last = state;
			if (state) drawn.push({ level: state, at: performance.now() });
		}
	}).observe(document, {
		subtree: true,
		childList: true,
		attributes: true,
		attributeFilter: ['data-ready', 'data-level']
	});
	window.addEventListener('click', (event) => (window.__mapBenchClickAt = event.timeStamp), {
		capture: true
	});
})();`;

/** Waits (by condition, no sleeping) until the map has drawn `level`. */
async function waitForLevel(page: Page, level: string) {
	await page
		.locator(`[data-testid="choropleth"][data-ready="true"][data-level="${level}"]`)
		.waitFor({ state: 'attached', timeout: VIEW_TIMEOUT_MS });
}

/** When (page time) the map last reported `level` drawn. */
async function lastDrawnAt(page: Page, level: string): Promise<number> {
	const at = await page.evaluate(
		(wanted) => window.__mapBenchDrawn?.findLast((entry) => entry.level === wanted)?.at,
		level
	);
	if (at === undefined) throw new Error(`the map never reported ${level} drawn`);
	return at;
}

/** A Resource Timing entry of the page, in page time. */
interface ResourceEntry {
	url: string;
	startMs: number;
	endMs: number;
	/** The body's bytes plus 300 for the headers (what Resource Timing reports). */
	transferSize: number;
	decodedBodySize: number;
}

/** The page's Resource Timing entries, the document's own (navigation) entry first. */
function resourceEntries(page: Page): Promise<ResourceEntry[]> {
	return page.evaluate(() =>
		[
			...performance.getEntriesByType('navigation'),
			...performance.getEntriesByType('resource')
		].map((entry) => {
			const timing = entry as PerformanceResourceTiming;
			return {
				url: timing.name,
				startMs: timing.startTime,
				endMs: timing.responseEnd,
				transferSize: timing.transferSize,
				decodedBodySize: timing.decodedBodySize
			};
		})
	);
}

/**
 * Applies the issue's CPU and network conditions to the page. Chromium throttles each request
 * (latency added once, bodies paced to the throughput) in the network service, before the
 * page sees any byte; the map's worker fetches under the same conditions.
 */
async function throttle(cdp: CDPSession) {
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: LATENCY_MS,
		downloadThroughput: THROUGHPUT_BITS_PER_SECOND / 8,
		uploadThroughput: THROUGHPUT_BITS_PER_SECOND / 8
	});
}

/** The files of maplibre-gl in the build, from Vite's manifest (empty when there is none). */
function mapLibraryFiles(): { library: string | null; worker: string | null } {
	const manifestFile = path.join(PROJECT_ROOT, '.svelte-kit/output/client/.vite/manifest.json');
	if (!existsSync(manifestFile)) return { library: null, worker: null };
	const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<
		string,
		{ file: string }
	>;
	const fileOf = (source: string) => manifest[`node_modules/maplibre-gl/dist/${source}`]?.file;
	return {
		library: fileOf('maplibre-gl.mjs') ?? null,
		worker: fileOf('maplibre-gl-worker.mjs') ?? null
	};
}

/** What a resource is, for the transfer split. */
function resourceKind(
	url: string,
	type: string | undefined,
	mapLibrary: ReturnType<typeof mapLibraryFiles>
): string {
	const { pathname } = new URL(url);
	if (pathname.startsWith('/geo/')) return 'map layer (/geo)';
	if (pathname.startsWith('/api/') || pathname.endsWith('/__data.json')) return 'data (/api)';
	if (mapLibrary.library && pathname.endsWith(mapLibrary.library)) return 'maplibre-gl';
	if (mapLibrary.worker && pathname.endsWith(mapLibrary.worker)) return 'maplibre-gl worker';
	if (type === 'Document') return 'document';
	if (pathname.endsWith('.js') || type === 'Script') return 'app scripts';
	if (type === 'Stylesheet' || pathname.endsWith('.css')) return 'stylesheets';
	if (type === 'Font' || /\.woff2?$/.test(pathname)) return 'fonts';
	return 'other';
}

/** Loads `/` with an empty cache and measures it. */
async function measureColdLoad(browser: Browser, baseUrl: string): Promise<ColdLoad> {
	const context = await browser.newContext({ baseURL: baseUrl, viewport: VIEWPORT });
	try {
		const page = await context.newPage();
		await page.addInitScript({ content: RECORD_MAP_EVENTS });
		const cdp = await context.newCDPSession(page);
		await throttle(cdp);
		await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

		interface Request {
			url: string;
			type?: string;
			encoding?: string;
			bytes?: number;
			decodedBytes: number;
		}
		const requests = new Map<string, Request>();
		let recording = true;
		cdp.on('Network.requestWillBeSent', (event) => {
			if (recording && !event.request.url.startsWith('data:')) {
				requests.set(event.requestId, {
					url: event.request.url,
					type: event.type,
					decodedBytes: 0
				});
			}
		});
		cdp.on('Network.responseReceived', (event) => {
			const request = requests.get(event.requestId);
			if (!request) return;
			request.type = event.type;
			const encoding = Object.entries(event.response.headers).find(
				([name]) => name.toLowerCase() === 'content-encoding'
			);
			request.encoding = encoding?.[1];
		});
		cdp.on('Network.dataReceived', (event) => {
			const request = requests.get(event.requestId);
			if (request) request.decodedBytes += event.dataLength;
		});
		cdp.on('Network.loadingFinished', (event) => {
			const request = requests.get(event.requestId);
			if (recording && request) request.bytes = event.encodedDataLength;
		});

		const started = performance.now();
		await page.goto('/', { waitUntil: 'commit', timeout: VIEW_TIMEOUT_MS });
		await waitForLevel(page, 'province');
		const wallClockMs = performance.now() - started;
		recording = false;
		const firstChoroplethMs = await lastDrawnAt(page, 'province');
		const firstContentfulPaintMs = await page.evaluate(
			() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null
		);

		const finished = [...requests.values()].filter(
			(request): request is Request & { bytes: number } => request.bytes !== undefined
		);
		const entries = (await resourceEntries(page)).filter(
			(entry) => entry.endMs <= firstChoroplethMs
		);
		// Chromium reports a dedicated worker's script to the worker's DevTools target, not the
		// page's: such a request is taken from Resource Timing (its body plus 300 header bytes).
		const seen = new Set(finished.map((request) => request.url));
		for (const entry of entries) {
			if (seen.has(entry.url) || entry.transferSize === 0) continue;
			finished.push({
				url: entry.url,
				bytes: entry.transferSize,
				decodedBytes: entry.decodedBodySize,
				encoding: 'unknown'
			});
		}

		const mapLibrary = mapLibraryFiles();
		const shares = new Map<string, TransferShare>();
		for (const request of finished) {
			const kind = resourceKind(request.url, request.type, mapLibrary);
			const share = shares.get(kind) ?? {
				kind,
				requests: 0,
				bytes: 0,
				decodedBytes: 0,
				lastByteAtMs: null
			};
			share.requests++;
			share.bytes += request.bytes;
			share.decodedBytes += request.decodedBytes;
			const endMs = entries.find((entry) => entry.url === request.url)?.endMs;
			if (endMs !== undefined) share.lastByteAtMs = Math.max(share.lastByteAtMs ?? 0, endMs);
			shares.set(kind, share);
		}
		return {
			firstChoroplethMs,
			wallClockMs,
			firstContentfulPaintMs,
			transferred: [...shares.values()].sort((a, b) => b.bytes - a.bytes),
			uncompressed: finished
				.filter(
					(request) =>
						!request.encoding &&
						request.bytes > 1024 &&
						request.type !== 'Font' &&
						request.type !== 'Image'
				)
				.map((request) => ({ path: new URL(request.url).pathname, bytes: request.bytes }))
		};
	} finally {
		await context.close();
	}
}

/** The level a drill-down link leads to, and the parent code it shows. */
interface DrillTarget {
	level: 'district' | 'commune';
	code: string;
}

/**
 * Clicks the drill-down link to `target` on the current view: an `<a>` whose URL has
 * `level` and `code`, preferring one inside a table (the unit table beside the map). Matched on
 * the URL's parameters, so other parameters (period, indicator) and their order do not matter.
 * Returns the click's page time.
 */
async function clickDrillDown(page: Page, target: DrillTarget): Promise<number> {
	const link = await page.evaluateHandle(({ level, code }) => {
		const links = [...document.querySelectorAll<HTMLAnchorElement>('a[href]')].filter((a) => {
			const url = new URL(a.href, location.href);
			return url.searchParams.get('level') === level && url.searchParams.get('code') === code;
		});
		return links.find((a) => a.closest('table')) ?? links[0] ?? null;
	}, target);
	const element = link.asElement();
	if (!element) throw new Error(`no drill-down link to ${target.level} ${target.code} on the page`);
	await element.click();
	const clickedAt = await page.evaluate(() => window.__mapBenchClickAt);
	if (clickedAt === undefined) throw new Error('the click was not seen by the page');
	return clickedAt;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length / 2;
	return sorted.length % 2 === 0
		? ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2
		: (sorted[Math.floor(middle)] ?? NaN);
}

/** Nearest rank: of 20 clicks, the p90 is the 18th fastest. */
function percentile(values: number[], fraction: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
}

/** One timed click: to the new level drawn, and to the last byte of its data and layer. */
interface TimedClick {
	drawnMs: number;
	dataMs: number;
	layerMs: number;
}

/**
 * Province → district → commune for each province of `route` (two timed clicks each), back
 * to the provinces with the browser's back button between them (not timed).
 */
async function measureDrillDown(
	browser: Browser,
	baseUrl: string,
	route: { province: string; district: string }[],
	reducedMotion: 'reduce' | 'no-preference'
): Promise<DrillDownSeries> {
	const context = await browser.newContext({
		baseURL: baseUrl,
		viewport: VIEWPORT,
		reducedMotion
	});
	try {
		const page = await context.newPage();
		await page.addInitScript({ content: RECORD_MAP_EVENTS });
		await throttle(await context.newCDPSession(page));
		await page.goto('/', { timeout: VIEW_TIMEOUT_MS });
		await waitForLevel(page, 'province');

		const clicks: TimedClick[] = [];
		const timeClick = async (target: DrillTarget) => {
			const clickedAt = await clickDrillDown(page, target);
			await waitForLevel(page, target.level);
			const drawnAt = await lastDrawnAt(page, target.level);
			const after = (await resourceEntries(page)).filter(
				(entry) => entry.startMs >= clickedAt && entry.endMs <= drawnAt
			);
			const lastByte = (prefix: string) =>
				Math.max(
					clickedAt,
					...after
						.filter((entry) => new URL(entry.url).pathname.startsWith(prefix))
						.map((entry) => entry.endMs)
				) - clickedAt;
			clicks.push({
				drawnMs: drawnAt - clickedAt,
				dataMs: lastByte('/api/'),
				layerMs: lastByte('/geo/')
			});
		};
		for (const { province, district } of route) {
			await timeClick({ level: 'district', code: province });
			await timeClick({ level: 'commune', code: district });
			await page.goBack();
			await waitForLevel(page, 'district');
			await page.goBack();
			await waitForLevel(page, 'province');
		}
		const clicksMs = clicks.map((click) => click.drawnMs);
		return {
			clicksMs,
			medianMs: median(clicksMs),
			p90Ms: percentile(clicksMs, 0.9),
			maxMs: Math.max(...clicksMs),
			dataMedianMs: median(clicks.map((click) => click.dataMs)),
			layerMedianMs: median(clicks.map((click) => click.layerMs))
		};
	} finally {
		await context.close();
	}
}

/**
 * The provinces to drill into, spread over the code list, each with its first district (code
 * order), read from the server's layers without throttling.
 */
async function drillDownRoute(baseUrl: string, clicks: number) {
	const codes = async (url: string) => {
		const response = await fetch(`${baseUrl}${url}`);
		if (!response.ok) throw new Error(`${url}: ${response.status}`);
		const layer = (await response.json()) as { features: { properties: { code: string } }[] };
		return layer.features.map((feature) => feature.properties.code).sort();
	};
	const provinces = await codes('/geo/province');
	const count = clicks / 2;
	const chosen = Array.from(
		{ length: count },
		(_, i) => provinces[Math.floor((i * provinces.length) / count)]!
	);
	return Promise.all(
		chosen.map(async (province) => {
			const [district] = await codes(`/geo/district?parent=${province}`);
			if (!district) throw new Error(`province ${province} has no district polygon`);
			return { province, district };
		})
	);
}

/** Measures the map page on a running server. */
export async function measureMapPage(baseUrl: string): Promise<MapBenchFigures> {
	const route = await drillDownRoute(baseUrl, DRILL_DOWN_CLICKS);
	const browser = await launchBrowser();
	try {
		const coldLoad = await measureColdLoad(browser, baseUrl);
		const drillDown = await measureDrillDown(browser, baseUrl, route, 'no-preference');
		const drillDownReducedMotion = await measureDrillDown(browser, baseUrl, route, 'reduce');
		return { coldLoad, drillDown, drillDownReducedMotion };
	} finally {
		await browser.close();
	}
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** Prints the figures the way the rest of `npm run bench` does, each against its target. */
export function printMapFigures(figures: MapBenchFigures) {
	const { coldLoad, drillDown, drillDownReducedMotion } = figures;
	const total = coldLoad.transferred.reduce((sum, share) => sum + share.bytes, 0);
	const decoded = coldLoad.transferred.reduce((sum, share) => sum + share.decodedBytes, 0);
	const atThroughput = (total * 8) / THROUGHPUT_BITS_PER_SECOND;
	const ratio = (ms: number, target: number) =>
		`target ${seconds(target)} s: ${(ms / target).toFixed(2)}×`;
	console.log(
		`\nmap page in Chromium ${CPU_SLOWDOWN}× CPU slowdown, ${THROUGHPUT_BITS_PER_SECOND / 1e6} Mbit/s down and up, ${LATENCY_MS} ms latency; ${DEMO_HOUSEHOLDS.toLocaleString('en')}-household demo registry, ${VIEWPORT.width}×${VIEWPORT.height} viewport`
	);
	console.log(
		`  first choropleth:  ${seconds(coldLoad.firstChoroplethMs)} s  (${ratio(coldLoad.firstChoroplethMs, FIRST_CHOROPLETH_TARGET_MS)}); from Node, goto to drawn ${seconds(coldLoad.wallClockMs)} s; first contentful paint ${coldLoad.firstContentfulPaintMs === null ? '—' : `${seconds(coldLoad.firstContentfulPaintMs)} s`}`
	);
	console.log(
		`  transferred:       ${kilobytes(total)} on the wire (${kilobytes(decoded)} decoded) until then, empty cache; ${atThroughput.toFixed(2)} s of the link's time`
	);
	for (const share of coldLoad.transferred) {
		const lastByte =
			share.lastByteAtMs === null ? '' : `, last byte at ${seconds(share.lastByteAtMs)} s`;
		console.log(
			`    ${`${share.kind}:`.padEnd(20)} ${kilobytes(share.bytes).padStart(7)}  (${kilobytes(share.decodedBytes)} decoded, ${share.requests} request${share.requests === 1 ? '' : 's'}${lastByte})`
		);
	}
	if (coldLoad.uncompressed.length > 0) {
		console.log(
			`  sent uncompressed: ${coldLoad.uncompressed.map((response) => `${response.path} ${kilobytes(response.bytes)}`).join(', ')}`
		);
	}
	const series = (title: string, timed: DrillDownSeries) =>
		console.log(
			`  ${title} ${seconds(timed.medianMs)} s median  (${ratio(timed.medianMs, DRILL_DOWN_TARGET_MS)}); p90 ${seconds(timed.p90Ms)} s, max ${seconds(timed.maxMs)} s over ${timed.clicksMs.length} clicks; medians from the click: data ${seconds(timed.dataMedianMs)} s, layer ${seconds(timed.layerMedianMs)} s`
		);
	series('drill-down:       ', drillDown);
	series('  reduced motion: ', drillDownReducedMotion);
	console.log(
		`  clicks (ms):       ${drillDown.clicksMs.map((ms) => ms.toFixed(0)).join(' ')}  (province → district and district → commune, alternately)`
	);
}

/**
 * The whole map benchmark: a demo server like the e2e tests' (bench/demo-server.ts), then
 * `measureMapPage`.
 */
export function benchMap(options: {
	adminUrl: string;
	/** Reuse `build/` instead of running `npm run build` (quick reruns). */
	reuseBuild?: boolean;
}): Promise<MapBenchFigures> {
	return withDemoServer({ ...options, name: 'map' }, ({ baseUrl }) => measureMapPage(baseUrl));
}
