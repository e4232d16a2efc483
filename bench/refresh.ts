/**
 * The indicator refresh's measurements, shared by the benchmark's registry (`bench/run.ts`)
 * and the national-scale one (`bench/national.ts`): a full refresh against a single-pass
 * `GROUP BY village` over the households table measured just before it, and incremental
 * refreshes after 500-row households imports into one commune.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../src/lib/server/db';
import { importFile } from '../src/lib/server/ingest/import-file';
import {
	refreshAfterImport,
	refreshAll,
	type RefreshOptions
} from '../src/lib/server/indicators/refresh';

export const seconds = (ms: number) => (ms / 1000).toFixed(2);

export async function writeCsv(
	file: string,
	header: string,
	rows: (write: (line: string) => Promise<void>) => Promise<void>
) {
	const out = createWriteStream(file);
	const write = async (line: string) => {
		if (!out.write(line + '\n')) await once(out, 'drain');
	};
	await write(header);
	await rows(write);
	out.end();
	await once(out, 'finish');
}

/** A refresh's `onProgress` that times each step, and the steps with their times. */
function stepTimes() {
	const steps: { name: string; start: number; end?: number }[] = [];
	return {
		onProgress(step: string) {
			const now = performance.now();
			const last = steps.at(-1);
			if (last) last.end = now;
			steps.push({ name: step.replace(/ \(.*\)$/, ''), start: now });
		},
		/** The last step ends: the refresh returned. */
		end() {
			const last = steps.at(-1);
			if (last) last.end ??= performance.now();
		},
		/** The steps after the first report (the list of periods), as `name 1.23 s; …`. */
		list() {
			const now = performance.now();
			return steps
				.slice(1)
				.map((s) => `${s.name} ${seconds((s.end ?? now) - s.start)} s`)
				.join('; ');
		}
	};
}

export interface FullRefreshFigures {
	ms: number;
	periods: string[];
	/** Rows of `indicator_values`. */
	values: number;
	/** Rows of `programme_values` (seven counts, five indicators each). */
	programmeRows: number;
	baselineMs: number;
	steps: string;
}

/** The single-pass baseline, then a full refresh (`options`), timed. */
export async function measureFullRefresh(
	db: Db,
	options: Omit<RefreshOptions, 'onProgress'>
): Promise<FullRefreshFigures> {
	const start = performance.now();
	await db.execute(sql`SELECT village_code, count(*) FROM households GROUP BY village_code`);
	const baselineMs = performance.now() - start;
	const steps = stepTimes();
	const refresh = await refreshAll(db, { ...options, onProgress: steps.onProgress });
	steps.end();
	const [stored] = await queryRows<{ values: number; programmes: number }>(
		db,
		sql`SELECT (SELECT count(*) FROM indicator_values)::int AS values,
			(SELECT count(*) FROM programme_values)::int AS programmes`
	);
	return {
		ms: refresh.durationMs,
		periods: refresh.periods,
		values: stored!.values,
		programmeRows: stored!.programmes,
		baselineMs,
		steps: steps.list()
	};
}

export function printFullRefresh(figures: FullRefreshFigures, title: string) {
	console.log(
		`\nfull refresh of the whole catalogue, ${title} (${figures.periods.length} periods: ${figures.periods.join(', ')}; every level, programme and group; ${figures.values.toLocaleString('en')} indicator values and ${figures.programmeRows.toLocaleString('en')} rows of programme counts stored)`
	);
	console.log(`  refresh:         ${seconds(figures.ms)} s  (target ≤ 60 s at national scale)`);
	console.log(`  baseline GROUP BY village: ${seconds(figures.baselineMs)} s`);
	console.log(
		`  ratio:           ${(figures.ms / figures.baselineMs).toFixed(1)}× the single pass`
	);
	console.log(`  steps:           ${figures.steps}`);
}

export interface IncrementalFigure {
	/** What the import did. */
	title: string;
	rows: number;
	importMs: number;
	ms: number;
	periods: number;
	steps: string;
}

export interface IncrementalFigures {
	commune: string;
	/** New households, then changes to stored ones. */
	imports: IncrementalFigure[];
}

/** Imports `file`, then refreshes what it touched, both timed. */
async function importAndRefresh(db: Db, file: string, title: string): Promise<IncrementalFigure> {
	let start = performance.now();
	const update = await importFile(db, file, { feed: 'households' });
	const importMs = performance.now() - start;
	start = performance.now();
	const steps = stepTimes();
	const incremental = await refreshAfterImport(db, [update.touch], {
		onProgress: steps.onProgress
	});
	steps.end();
	return {
		title,
		rows: update.inserted + update.updated,
		importMs,
		ms: performance.now() - start,
		periods: incremental?.periods.length ?? 0,
		steps: steps.list()
	};
}

/**
 * Incremental refreshes in the commune with the most households (files written in `work`):
 * after importing 500 new households into its villages (they count from their registration,
 * this year: the periods since then), then after changing the IDPoor level of 500 of its
 * stored households (which changes how their earlier records count: every computed period,
 * medians too).
 */
export async function measureIncremental(db: Db, work: string): Promise<IncrementalFigures> {
	const [commune] = await queryRows<{ commune_code: string }>(
		db,
		sql`SELECT g.commune_code FROM households h JOIN geo_units g ON g.code = h.village_code
			GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`
	);
	const villages = (
		await queryRows<{ code: string }>(
			db,
			sql`SELECT code FROM geo_units WHERE level = 'village'
				AND commune_code = ${commune!.commune_code} ORDER BY code`
		)
	).map((r) => r.code);
	const header = 'household_id,village_code,registered_on,idpoor_level';
	const added = path.join(work, 'households-new.csv');
	await writeCsv(added, header, async (write) => {
		for (let h = 0; h < 500; h++) {
			const village = villages[h % villages.length];
			await write(`HN${h},${village},2026-0${1 + (h % 9)}-15,${h % 3 === 0 ? '1' : ''}`);
		}
	});
	const stored = await queryRows<{ line: string }>(
		db,
		sql`SELECT concat_ws(',', household_id, village_code, registered_on,
				coalesce(CASE WHEN idpoor_level IS NULL THEN '2' END, '')) AS line
			FROM households WHERE village_code IN ${villages} AND household_id NOT LIKE 'HN%'
			ORDER BY household_id LIMIT 500`
	);
	const changed = path.join(work, 'households-changed.csv');
	await writeCsv(changed, header, async (write) => {
		for (const { line } of stored) await write(line);
	});
	return {
		commune: commune!.commune_code,
		imports: [
			await importAndRefresh(db, added, 'new households'),
			await importAndRefresh(db, changed, 'stored households with a new IDPoor level')
		]
	};
}

export function printIncremental(figures: IncrementalFigures) {
	for (const figure of figures.imports) {
		console.log(
			`\nincremental refresh after a ${figure.rows}-row households import into commune ${figures.commune}: ${figure.title}`
		);
		console.log(`  import:          ${seconds(figure.importMs)} s`);
		console.log(
			`  refresh:         ${seconds(figure.ms)} s  (${figure.periods} periods; target ≤ 2 s)`
		);
		console.log(`  steps:           ${figure.steps}`);
	}
}
