/**
 * The coverage map's drill-down: provinces → districts → communes by clicking the map or the
 * table, back up with the browser's back button or the breadcrumb, and straight into a level
 * from a copied URL. The map reports what MapLibre actually drew (data-* attributes set after
 * `idle` from queryRenderedFeatures), so these tests fail when the map renders nothing.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { classColours } from '../../src/lib/indicators/classify';
import { launchBrowser, openPage, type WatchedPage } from './browser';

const baseUrl = inject('baseUrl');

const ARTIFACTS = path.resolve('tests/artifacts');

// Counted independently of the app, from the reference gazetteer:
//   awk -F, 'NR>1 {print $1}' ../shared/geo/gazetteer.csv | sort -u | wc -l                → 25
//   awk -F, 'NR>1 && $1=="17" {print $4}' ../shared/geo/gazetteer.csv | sort -u | wc -l    → 12
//   awk -F, 'NR>1 && $4=="1701" {print $7}' ../shared/geo/gazetteer.csv | sort -u | wc -l  → 7
// (every one of these has its own polygon: shared/geo/communes_without_polygon.csv.)
const PROVINCES = 25;
const SIEM_REAP = '17';
const SIEM_REAP_DISTRICTS = 12;
const ANGKOR_CHUM = '1701';
const ANGKOR_CHUM_COMMUNES = 7;
const SIEM_REAP_KM = 'សៀមរាប';

/** What the map says it drew. */
interface DrawnMap {
	featureCount: number;
	valuedCount: number;
	/** Visible extent, west, south, east, north in degrees. */
	bounds: [number, number, number, number];
}

/** Waits (by condition) until the map has drawn the given level, and reads what it drew. */
async function waitForMap(page: Page, level: string): Promise<DrawnMap> {
	const map = page.locator(`[data-testid="choropleth"][data-ready="true"][data-level="${level}"]`);
	await map.waitFor({ state: 'attached', timeout: 60_000 });
	const attributes = await map.evaluate((element) => ({ ...(element as HTMLElement).dataset }));
	const bounds = (attributes.bounds ?? '').split(',').map(Number);
	expect(bounds).toHaveLength(4);
	return {
		featureCount: Number(attributes.featureCount),
		valuedCount: Number(attributes.valuedCount),
		bounds: bounds as DrawnMap['bounds']
	};
}

/**
 * A point well inside a (multi)polygon: the middle of the widest span that a few horizontal
 * lines through its extent cut, by the even-odd rule over every ring (holes included).
 */
function interiorPoint(geometry: Polygon | MultiPolygon): [number, number] {
	const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
	const latitudes = rings.flat().map(([, lat]) => lat ?? 0);
	const [south, north] = [Math.min(...latitudes), Math.max(...latitudes)];
	let best = { width: -1, point: [0, 0] as [number, number] };
	for (const fraction of [0.5, 0.4, 0.6, 0.3, 0.7]) {
		const lat = south + (north - south) * fraction;
		const crossings: number[] = [];
		for (const ring of rings) {
			for (let i = 1; i < ring.length; i++) {
				const [x1 = 0, y1 = 0] = ring[i - 1] ?? [];
				const [x2 = 0, y2 = 0] = ring[i] ?? [];
				if (y1 > lat !== y2 > lat) crossings.push(x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1));
			}
		}
		crossings.sort((a, b) => a - b);
		for (let i = 0; i + 1 < crossings.length; i += 2) {
			const [west = 0, east = 0] = [crossings[i], crossings[i + 1]];
			if (east - west > best.width) best = { width: east - west, point: [(west + east) / 2, lat] };
		}
	}
	return best.point;
}

/** Page coordinates of a longitude/latitude on the map canvas (Web Mercator, north up). */
async function projectOnCanvas(page: Page, drawn: DrawnMap, [lng, lat]: [number, number]) {
	const box = await page
		.locator('[data-testid="choropleth"] canvas.maplibregl-canvas')
		.boundingBox();
	if (!box) throw new Error('the map canvas is not visible');
	const mercatorY = (degrees: number) =>
		Math.log(Math.tan(Math.PI / 4 + (degrees * Math.PI) / 360));
	const [west, south, east, north] = drawn.bounds;
	return {
		x: box.x + ((lng - west) / (east - west)) * box.width,
		y:
			box.y +
			((mercatorY(north) - mercatorY(lat)) / (mercatorY(north) - mercatorY(south))) * box.height
	};
}

/** The share of a map screenshot's pixels painted in a class colour of the legend. */
async function classColourShare(page: Page, map: Locator): Promise<number> {
	const png = (await map.screenshot()).toString('base64');
	// The page decodes its own screenshot, so no PNG library is needed here.
	// The five classes of the default view (quantiles, higher is better).
	const hexes = classColours(5, 'higher_is_better');
	return page.evaluate(
		async ([data, colours]) => {
			const palette = colours.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
			const image = new Image();
			image.src = `data:image/png;base64,${data}`;
			await image.decode();
			const canvas = new OffscreenCanvas(image.width, image.height);
			const context = canvas.getContext('2d');
			if (!context) return 0;
			context.drawImage(image, 0, 0);
			const pixels = context.getImageData(0, 0, image.width, image.height).data;
			let painted = 0;
			for (let i = 0; i < pixels.length; i += 4) {
				const rgb = [pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0];
				if (palette.some((colour) => colour.every((c, k) => Math.abs(c - (rgb[k] ?? 0)) <= 8))) {
					painted++;
				}
			}
			return painted / (pixels.length / 4);
		},
		[png, hexes] as const
	);
}

async function saveScreenshot(page: Page, name: string) {
	await mkdir(ARTIFACTS, { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}

let browser: Browser;
let siemReapName: string;
let siemReapInterior: [number, number];

beforeAll(async () => {
	browser = await launchBrowser();
	const [unit, provinces] = await Promise.all([
		fetch(`${baseUrl}/api/geo/units/${SIEM_REAP}`).then((r) => r.json()),
		fetch(`${baseUrl}/geo/province`).then((r) => r.json())
	]);
	siemReapName = (unit as { name_en: string }).name_en;
	// The gazetteer spells the province "Siemreap" (its district is "Siem Reap Municipality").
	expect(siemReapName).toMatch(/^Siem ?reap$/i);
	const feature = (provinces as { features: Feature<Polygon | MultiPolygon>[] }).features.find(
		(candidate) => candidate.properties?.code === SIEM_REAP
	);
	if (!feature) throw new Error('province 17 is missing from /geo/province');
	siemReapInterior = interiorPoint(feature.geometry);
});

afterAll(async () => {
	await browser?.close();
});

describe('coverage map drill-down', () => {
	let watched: WatchedPage;

	beforeAll(async () => {
		watched = await openPage(browser, baseUrl);
	});

	afterAll(async () => {
		await watched?.context.close();
	});

	it('draws the 25 provinces, each with its published value or as suppressed, and a table row for each', async () => {
		const { page, errors } = watched;
		await page.goto('/');
		const drawn = await waitForMap(page, 'province');
		const period = await page.getByTestId('period-select').inputValue();
		// A visitor sees the latest release: small cells are suppressed (domain.md §6).
		const rows = (await (
			await fetch(`${baseUrl}/api/indicators/registration_coverage?level=province&period=${period}`)
		).json()) as { code: string; value: number | null; suppressed: boolean }[];
		expect(rows).toHaveLength(PROVINCES);
		const suppressed = rows.filter((r) => r.suppressed).map((r) => r.code);
		expect(rows.filter((r) => !r.suppressed).every((r) => r.value !== null)).toBe(true);

		expect(drawn.featureCount).toBe(PROVINCES);
		expect(drawn.valuedCount).toBe(PROVINCES - suppressed.length);
		const shownSuppressed = await page
			.locator('[data-testid="unit-row"]')
			.evaluateAll((trs) =>
				trs
					.filter((tr) => /suppressed/i.test(tr.textContent ?? ''))
					.map((tr) => (tr as HTMLElement).dataset.code)
			);
		expect(shownSuppressed.sort()).toEqual(suppressed.sort());
		await expect(page.locator('[data-testid="unit-row"]').count()).resolves.toBe(PROVINCES);
		// Without a period in the URL the latest computed month is shown and selected.
		await expect(page.getByTestId('period-select').inputValue()).resolves.toMatch(/^\d{4}-\d{2}$/);
		// Pixels, not just data: a map that "draws" 25 features but paints nothing fails here.
		const map = page.getByTestId('choropleth');
		expect(await classColourShare(page, map)).toBeGreaterThan(0.1);
		await saveScreenshot(page, 'province.png');
		expect(errors).toEqual([]);
	});

	it('shows names and coverage on hover, then drills into Siem Reap by clicking the map', async () => {
		const { page, errors } = watched;
		const provinces = await waitForMap(page, 'province');
		const point = await projectOnCanvas(page, provinces, siemReapInterior);

		await page.mouse.move(point.x, point.y);
		const tooltip = page.getByTestId('map-tooltip');
		await tooltip.waitFor();
		const text = await tooltip.textContent();
		expect(text).toContain(siemReapName);
		expect(text).toContain(SIEM_REAP_KM);
		expect(text).toMatch(/\d+(\.\d)?%/);
		expect(text).toMatch(/[\d,]+ \/ [\d,]+/);
		await saveScreenshot(page, 'province-tooltip.png');

		await page.mouse.click(point.x, point.y);
		await page.waitForURL((url) => url.search === `?level=district&code=${SIEM_REAP}`);
		const districts = await waitForMap(page, 'district');

		expect(districts.featureCount).toBe(SIEM_REAP_DISTRICTS);
		expect(districts.valuedCount).toBeLessThanOrEqual(SIEM_REAP_DISTRICTS);
		const breadcrumb = page.getByTestId('breadcrumb');
		await expect(breadcrumb.locator('[aria-current="page"]').textContent()).resolves.toBe(
			siemReapName
		);
		const codes = await page
			.locator('[data-testid="unit-row"]')
			.evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.code ?? ''));
		expect(codes).toHaveLength(SIEM_REAP_DISTRICTS);
		expect(codes.every((code) => code.length === 4 && code.startsWith(SIEM_REAP))).toBe(true);
		await page.mouse.move(0, 0);
		await saveScreenshot(page, 'district.png');

		await page.goBack();
		const back = await waitForMap(page, 'province');
		expect(back.featureCount).toBe(PROVINCES);
		expect(new URL(page.url()).search).toBe('');
		expect(errors).toEqual([]);
	});
});

describe('coverage table', () => {
	let watched: WatchedPage;

	beforeAll(async () => {
		watched = await openPage(browser, baseUrl);
	});

	afterAll(async () => {
		await watched?.context.close();
	});

	it('sorts by a column from the keyboard and reports the order with aria-sort', async () => {
		const { page } = watched;
		await page.goto('/');
		await waitForMap(page, 'province');

		const header = page.locator('[data-testid="unit-table"] th[scope="col"]', {
			hasText: 'Registration coverage'
		});
		await header.getByRole('button').focus();
		await page.keyboard.press('Enter');
		await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
		const values = await page
			.locator('[data-testid="unit-row"] td:last-child')
			.allTextContents()
			.then((cells) => cells.map((cell) => parseFloat(cell)));
		expect(values).toEqual([...values].sort((a, b) => b - a));

		await page.keyboard.press('Enter');
		await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
	});

	it('drills into Siem Reap from its table link, and the breadcrumb leads back up', async () => {
		const { page, errors } = watched;
		await page.goto('/');
		await waitForMap(page, 'province');

		// Keyboard only: focus the link and follow it.
		await page.locator(`[data-testid="unit-row"][data-code="${SIEM_REAP}"] a`).focus();
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => url.search === `?level=district&code=${SIEM_REAP}`);
		const districts = await waitForMap(page, 'district');
		expect(districts.featureCount).toBe(SIEM_REAP_DISTRICTS);
		await expect(page.getByTestId('breadcrumb').textContent()).resolves.toContain(siemReapName);

		await page.getByTestId('breadcrumb').getByRole('link', { name: 'Cambodia' }).click();
		const provinces = await waitForMap(page, 'province');
		expect(provinces.featureCount).toBe(PROVINCES);
		expect(errors).toEqual([]);
	});
});

describe('direct links', () => {
	let watched: WatchedPage;

	beforeAll(async () => {
		watched = await openPage(browser, baseUrl);
	});

	afterAll(async () => {
		await watched?.context.close();
	});

	it('opens a copied commune-level URL directly, and a commune click opens its profile', async () => {
		const { page, errors } = watched;
		await page.goto(`/?level=commune&code=${ANGKOR_CHUM}`);
		const communes = await waitForMap(page, 'commune');

		expect(communes.featureCount).toBe(ANGKOR_CHUM_COMMUNES);
		const trail = await page.getByTestId('breadcrumb').locator('li').allTextContents();
		expect(trail.map((crumb) => crumb.trim())).toEqual(['Cambodia', siemReapName, 'Angkor Chum']);

		// Communes are the last level: a click opens the commune's profile, kept in the URL.
		const row = page.locator('[data-testid="unit-row"]').first();
		const code = await row.getAttribute('data-code');
		const name = (await row.getByRole('link').textContent())?.trim() ?? '—';
		await row.getByRole('link').click();
		await page.waitForURL((url) => url.searchParams.get('unit') === code);
		expect(new URL(page.url()).search).toBe(`?level=commune&code=${ANGKOR_CHUM}&unit=${code}`);
		await expect(page.locator('[data-testid="unit-panel"] h2').textContent()).resolves.toBe(name);
		// Village figures are internal (§6): the public sees why they are not listed.
		await page.getByTestId('villages-internal').waitFor();
		await saveScreenshot(page, 'commune.png');
		expect(errors).toEqual([]);
	});

	it('says what went wrong for a unit that does not exist instead of showing a blank map', async () => {
		const { page } = watched;
		await page.goto('/?level=district&code=99');
		const problem = page.getByTestId('page-error').first();
		await problem.waitFor();
		await expect(problem.textContent()).resolves.toMatch(/could not be loaded \(404/);
		await page.locator('[data-testid="choropleth"] [role="alert"]').waitFor();
		await saveScreenshot(page, 'error.png');
	});
});
