/**
 * The explore page's time to first result (issue #6; target under 1 s after the dataset has
 * loaded) in Debian's Chromium, against a running server that has published a release. Part
 * of `npm run bench` (`--only public`), and of `npm run bench:explore` against any server.
 *
 * Each run opens a fresh browser context (nothing cached), opens `/explore?level=<level>` (the
 * default grouped query: registration coverage of the latest month, summed into provinces),
 * and reads what the page measured itself: `data-load-ms` (download and registration of the
 * Parquet file) and `data-first-result-ms` (from loaded to the first result on screen).
 */
import type { ReleaseLevel } from '../src/lib/releases/schema';
import { launchBrowser, openPage } from '../tests/e2e/browser';

/** The target of issue #6 for the first result after load. */
export const EXPLORE_TARGET_MS = 1000;

/** What the explore benchmark measured (medians over the runs). */
export interface ExploreFigures {
	level: ReleaseLevel;
	runs: number;
	loadMs: number;
	firstResultMs: number;
	/** Bytes of the level's Parquet file. */
	parquetBytes: number;
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Opens the explore page `runs` times and takes the medians. */
export async function measureExplore(
	baseUrl: string,
	level: ReleaseLevel,
	runs: number
): Promise<ExploreFigures> {
	const head = await fetch(`${baseUrl}/releases/latest/${level}.parquet`, { method: 'HEAD' });
	if (!head.ok) throw new Error(`no ${level}.parquet in the latest release (${head.status})`);
	const browser = await launchBrowser();
	const loads: number[] = [];
	const firsts: number[] = [];
	try {
		for (let run = 1; run <= runs; run++) {
			const { context, page, errors } = await openPage(browser, baseUrl);
			try {
				await page.goto(`/explore?level=${level}`);
				const root = page.locator('[data-testid="explore"][data-first-result-ms]');
				await root.waitFor({ state: 'attached', timeout: 300_000 });
				const load = Number(await root.getAttribute('data-load-ms'));
				const first = Number(await root.getAttribute('data-first-result-ms'));
				if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`);
				loads.push(load);
				firsts.push(first);
				console.log(
					`  explore run ${run}: dataset loaded in ${load} ms, first result ${first} ms later`
				);
			} finally {
				await context.close();
			}
		}
	} finally {
		await browser.close();
	}
	return {
		level,
		runs,
		loadMs: median(loads),
		firstResultMs: median(firsts),
		parquetBytes: Number(head.headers.get('content-length') ?? NaN)
	};
}

export function printExploreFigures(figures: ExploreFigures): void {
	console.log(
		`\nexplore page, ${figures.level} dataset (${(figures.parquetBytes / 1e6).toFixed(1)} MB of Parquet), median of ${figures.runs} cold runs in Chromium`
	);
	console.log(
		`  dataset loaded in ${figures.loadMs} ms; first result ${figures.firstResultMs} ms after load (target < ${EXPLORE_TARGET_MS} ms: ${(figures.firstResultMs / EXPLORE_TARGET_MS).toFixed(2)}×)`
	);
}
