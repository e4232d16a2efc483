/**
 * Full refresh of the stored indicators: computes every indicator of the catalogue for the
 * refresh periods in one transaction (readers see the old values until it commits) and
 * records the run in `refresh_runs`.
 */
import { sql } from 'drizzle-orm';
import { refreshPeriods, type Period } from '../../indicators/periods';
import { queryRows, type Db } from '../db';
import { refreshRuns } from '../db/schema';
import type { Tx } from '../db';
import {
	APPEAL_INDICATORS,
	APPLICATION_INDICATORS,
	computeAppealIndicators,
	computeApplicationIndicators,
	computeDuplicateIndicator,
	computeOfficeIndicators,
	OFFICE_INDICATORS
} from './activity-indicators';
import { createContext } from './context';
import { computeMedians, MEDIAN_INDICATORS } from './medians';
import {
	computeCombinedPackage,
	computeProgrammeIndicators,
	PROGRAMME_INDICATORS
} from './programme-indicators';
import {
	computeRegistrationCoverage,
	INDICATOR_ID as REGISTRATION_COVERAGE
} from './registration-coverage';
import { addAllProgrammes, rollUp } from './rollup';

/** Indicators summed from villages (or offices' units) up to the nation. */
const ADDITIVE_INDICATORS = [
	...PROGRAMME_INDICATORS,
	'combined_package',
	...APPLICATION_INDICATORS,
	...APPEAL_INDICATORS,
	'possible_duplicates'
];

/** The catalogue indicators the engine computes and stores. */
export const COMPUTED_INDICATORS: readonly string[] = [
	REGISTRATION_COVERAGE,
	...OFFICE_INDICATORS,
	...ADDITIVE_INDICATORS,
	...MEDIAN_INDICATORS
];

/** Computes every indicator for `periods` inside `tx`, reporting each step. */
async function computeAll(tx: Tx, periods: readonly Period[], onProgress: (step: string) => void) {
	const context = await createContext(tx, periods);
	const steps: [string, () => Promise<void>][] = [
		['registration coverage', () => computeRegistrationCoverage(tx, periods)],
		['offices', () => computeOfficeIndicators(context)],
		['eligibility, enrolment and benefits', () => computeProgrammeIndicators(context)],
		['combined packages', () => computeCombinedPackage(context)],
		['applications', () => computeApplicationIndicators(context)],
		['appeals', () => computeAppealIndicators(context)],
		['possible duplicates', () => computeDuplicateIndicator(context)],
		[
			'sums to every level',
			async () => {
				await addAllProgrammes(context, [...PROGRAMME_INDICATORS, ...APPLICATION_INDICATORS]);
				await rollUp(context, OFFICE_INDICATORS);
				await rollUp(context, ADDITIVE_INDICATORS);
			}
		],
		['medians at every level', () => computeMedians(context)]
	];
	for (const [i, [name, run]] of steps.entries()) {
		onProgress(`${i + 1}/${steps.length} ${name}`);
		await run();
	}
}

/** The SSDM pilot opened in June 2014 (domain.md §1): no registry data can be older. */
const SSDM_FIRST_YEAR = 2014;

export interface RefreshOptions {
	/** `YYYY-MM-DD` the refresh is as of; default today (UTC). */
	today?: string;
	/** Called before each step with a short description. */
	onProgress?: (step: string) => void;
}

export interface RefreshResult {
	periods: string[];
	durationMs: number;
}

/** First year with registry data, never before the pilot. */
async function firstDataYear(db: Db): Promise<number> {
	const [row] = await queryRows<{ year: number | null }>(
		db,
		sql`SELECT extract(year FROM min(registered_on))::int AS year FROM households`
	);
	return Math.max(SSDM_FIRST_YEAR, row?.year ?? SSDM_FIRST_YEAR);
}

// Refreshes in one process run one after another: two at once would fight over the same rows.
let queue: Promise<unknown> = Promise.resolve();

/** Recomputes every stored indicator for the years since the first data and the last 12 months. */
export function refreshAll(db: Db, options: RefreshOptions = {}): Promise<RefreshResult> {
	const run = queue.then(() => refreshNow(db, options));
	queue = run.catch(() => undefined);
	return run;
}

async function refreshNow(db: Db, options: RefreshOptions): Promise<RefreshResult> {
	const today = options.today ?? new Date().toISOString().slice(0, 10);
	const startedAt = new Date();
	const periods: Period[] = refreshPeriods(today, await firstDataYear(db));
	const labels = periods.map((p) => p.label);
	const [run] = await db
		.insert(refreshRuns)
		.values({ kind: 'full', startedAt, periods: labels })
		.returning({ id: refreshRuns.id });
	try {
		options.onProgress?.(`${labels.length} periods (${labels.join(', ')})`);
		await db.transaction((tx) => computeAll(tx, periods, options.onProgress ?? (() => {})));
	} catch (error) {
		await db
			.update(refreshRuns)
			.set({ finishedAt: new Date(), error: (error as Error).message })
			.where(sql`id = ${run!.id}`);
		throw error;
	}
	const durationMs = Date.now() - startedAt.getTime();
	await db
		.update(refreshRuns)
		.set({ finishedAt: new Date(), durationMs })
		.where(sql`id = ${run!.id}`);
	return { periods: labels, durationMs };
}
