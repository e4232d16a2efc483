/**
 * Refreshing the stored indicators, in one transaction per run (readers see the old values
 * until it commits), recorded in `refresh_runs` with its progress:
 *
 * - a **full** refresh recomputes every indicator for the recent periods (the last 12 complete
 *   months, their complete quarters and the current year) and any older year not computed yet;
 *   older years are otherwise computed once, and again only when an import touches them (or
 *   with `all`);
 * - an **incremental** refresh, after an import, recomputes only the communes the import
 *   touched (and every unit above them) for the computed periods that end on or after the
 *   earliest date it touched. It gives the same values as a full refresh.
 */
import { sql } from 'drizzle-orm';
import {
	BEFORE_EVERY_PERIOD,
	parsePeriod,
	refreshPeriods,
	type Period
} from '../../indicators/periods';
import { refreshLockWait } from '../config';
import { queryRows, type Db, type Tx } from '../db';
import { refreshRuns } from '../db/schema';
import {
	APPEAL_INDICATORS,
	APPLICATION_INDICATORS,
	computeAppealIndicators,
	computeApplicationIndicators,
	computeDuplicateIndicator,
	computeOfficeIndicators,
	OFFICE_INDICATORS
} from './activity-indicators';
import {
	communeVillages,
	createContext,
	insertRows,
	MAIN_STORES,
	ownStore,
	rowsOf,
	SIDE_STORES,
	type ComputeContext
} from './context';
import {
	computeMedians,
	MEDIAN_INDICATORS,
	receiveMedians,
	storeScopedMedians,
	type MedianIndicator
} from './medians';
import {
	computeEligibleCounts,
	computeProgrammeIndicators,
	computeUnitCounts,
	PROGRAMME_INDICATORS
} from './programme-indicators';
import { streamProgrammeCounts } from './streamed-counts';
import { canRunSideLane, startSideLane, type SideLane } from './side-lane';
import { computedPeriods } from './query';
import {
	computeRegistrationCoverage,
	INDICATOR_ID as REGISTRATION_COVERAGE
} from './registration-coverage';
import { dropNextStore, nextStore, prepareNextStores, STORES, swapNextStores } from './partitions';
import { addAllProgrammeCounts, rollUp } from './rollup';
import { mergeTouch, type Touch } from '../ingest/touched';

/**
 * Indicators summed from villages (or offices' units) up to the nation in `indicator_values`
 * (the programme indicators are summed as counts in `programme_values`).
 */
const ADDITIVE_INDICATORS = [
	'combined_package',
	...APPLICATION_INDICATORS,
	...APPEAL_INDICATORS,
	'possible_duplicates'
];

/** The catalogue indicators the engine computes and stores. */
export const COMPUTED_INDICATORS: readonly string[] = [
	REGISTRATION_COVERAGE,
	...OFFICE_INDICATORS,
	...PROGRAMME_INDICATORS,
	...ADDITIVE_INDICATORS,
	...MEDIAN_INDICATORS
];

/** What an incremental refresh recomputes: some communes, and the medians an import can change. */
interface Scope {
	communes: readonly string[];
	/** The median indicators the import can change (see `Touch`); the others keep their values. */
	medians: readonly MedianIndicator[];
}

/** A step of a refresh: its description for the progress, and its work. */
type Step = [string, () => Promise<void>];

/** The indicators counted from the registry's activity into `ix_base`, one step each. */
const ACTIVITY_STEPS: [string, (context: ComputeContext) => Promise<void>][] = [
	['applications', computeApplicationIndicators],
	['appeals', computeAppealIndicators],
	['possible duplicates', computeDuplicateIndicator]
];

/**
 * The office indicators, at every level: their own units' counts summed up (offices sit above
 * villages). Computed before any other indicator's rows are in `ix_base`, so the roll-up reads
 * only theirs.
 */
async function officeIndicators(context: ComputeContext) {
	await computeOfficeIndicators(context);
	await context.tx.execute(sql`ANALYZE ix_base`);
	await rollUp(context, OFFICE_INDICATORS);
}

/** The other indicators of `ix_base` summed to every level (see `rollup.ts`). */
async function sumIndicators(context: ComputeContext) {
	await context.tx.execute(sql`ANALYZE ix_base`);
	await rollUp(context, ADDITIVE_INDICATORS);
}

/** The programme counts of `ix_programme_base` summed to every level. */
async function sumProgrammeCounts(context: ComputeContext) {
	await addAllProgrammeCounts(context);
	await context.tx.execute(sql`ANALYZE ix_programme_base`);
	await rollUp(context, 'programme_values');
}

/** The medians' step (see `medians.ts`). */
const MEDIANS = 'medians at every level';

/**
 * The side lane of a full refresh on Postgres (see `side-lane.ts`): registration coverage, the
 * activity's indicators and the offices', every indicator of `ix_base` summed to every level,
 * and the medians, written into the new partitions of `indicator_values`, which it readies for
 * the swap (analysed, with their keys' indexes: half the swap's work at national scale, done
 * beside the refresh's instead of after it) and commits. Meanwhile the refresh counts the
 * programmes' eligible, enrolled and paid units and the combined packages at every level as
 * the registry streams into this process (`streamed-counts.ts`), readies the new partitions of
 * `programme_values`, and then, the lane committed, adds its own rows to those of
 * `indicator_values` and swaps every new partition in.
 *
 * The lane commits before the refresh does: the new partitions it leaves, if the refresh then
 * fails, are dropped (`dropStagedStores`, or by the next full refresh's lane: see
 * `createContext`), and two full refreshes do not run at once (`FULL_REFRESH_LOCK`). The
 * medians' counts (`median_days`) are committed with it too; a refresh that fails after it
 * leaves counts newer than the stored medians, which is harmless: they are the records' counts
 * as of then, each province's and the nation's the sum of their districts', which is all an
 * incremental refresh needs of them (it recounts its districts and moves their provinces' and
 * the nation's counts by the change); the medians it stores come from them and the records
 * (tested in `store-partitions.spec.ts`). (A lane kept open until the refresh commits would
 * hold locks on the stores, which the swap takes alone.)
 */
const SIDE_LANE = {
	name: `registration coverage, ${ACTIVITY_STEPS.map(([name]) => name).join(', ')}, offices and the other indicators summed to every level, ${MEDIANS}`,
	work: async (context: ComputeContext) => {
		await computeRegistrationCoverage(context);
		await officeIndicators(context);
		for (const [, run] of ACTIVITY_STEPS) await run(context);
		await sumIndicators(context);
		await computeMedians(context);
		await prepareNextStores(context.tx, SIDE_STORES, context.periods);
	}
};

/** What an incremental refresh's side lane hands over: its eligible counts, its medians if any. */
interface ScopedHandOver {
	/** The rows of its `ix_programme_base` (see `rowsOf`). */
	eligible: string;
	medians?: { indicators: readonly MedianIndicator[]; rows: string };
}

/**
 * The side lane of an incremental refresh on Postgres (see `side-lane.ts`): the programmes'
 * eligible units are counted, and the medians computed if the import can change them (see
 * `computeMedians`), from the registry on a second connection while the refresh counts the
 * enrolled and paid units and the rest, and handed over to it as rows (a few thousand each),
 * which it sums and stores with its own. The medians' counts of the districts in scope
 * (`median_days`) are committed with the lane: if the refresh then fails, they are the records'
 * counts as of then, each province's and the nation's the sum of their districts', as the next
 * refresh needs them (see `SIDE_LANE`).
 */
async function scopedLane(lane: Tx, periods: readonly Period[], scope: Scope) {
	const context = await createContext(lane, periods, scope.communes, { lane: 'side' });
	await computeEligibleCounts(context);
	const handOver: ScopedHandOver = { eligible: await rowsOf(lane, 'ix_programme_base') };
	if (scope.medians.length === 0) return handOver;
	const indicators = await computeMedians(context, scope.medians);
	return { ...handOver, medians: { indicators, rows: await rowsOf(lane, 'ix_median_values') } };
}

/** What an incremental refresh's side lane computes, for its progress. */
const scopedLaneName = (scope: Scope) =>
	scope.medians.length > 0 ? `eligibility, ${MEDIANS}` : 'eligibility';

/** The step summing every additive indicator and the programme counts to every level. */
const sums = (context: ComputeContext): Step => [
	'sums to every level',
	async () => {
		await sumIndicators(context);
		await sumProgrammeCounts(context);
	}
];

/** The medians' step, in the refresh's own transaction (see `computeMedians`). */
const mediansStep = (context: ComputeContext, scope?: Scope): Step => [
	MEDIANS,
	async () => {
		if (!scope) await computeMedians(context);
		else if (scope.medians.length > 0)
			await storeScopedMedians(context, await computeMedians(context, scope.medians));
	}
];

/**
 * The step taking what an incremental refresh's side lane hands over (`scopedLane`): its
 * eligible counts into `ix_programme_base`, its medians into the store.
 */
const handedOver = (
	lane: SideLane<ScopedHandOver>,
	context: ComputeContext,
	scope: Scope
): Step => [
	`${scopedLaneName(scope)}, from the second connection`,
	async () => {
		const { eligible, medians } = await lane.committed();
		await insertRows(context.tx, 'ix_programme_base', eligible);
		if (!medians) return;
		await receiveMedians(context.tx, medians.rows);
		await storeScopedMedians(context, medians.indicators);
	}
];

/**
 * Held by a full refresh with a side lane until it ends (a transaction's advisory lock): the new
 * partitions its lane commits are then its own (another full refresh waits for it), and no
 * other drops them (`dropStagedStores`).
 */
const FULL_REFRESH_LOCK = 4_717_001;

/**
 * Drops the new partitions a full refresh's side lane committed, once the refresh failed,
 * unless another full refresh has started since (its lane then drops them itself, see
 * `createContext`).
 */
async function dropStagedStores(db: Db) {
	await db.transaction(async (tx) => {
		const [free] = await queryRows<{ locked: boolean }>(
			tx,
			sql`SELECT pg_try_advisory_xact_lock(${FULL_REFRESH_LOCK}) AS locked`
		);
		if (free?.locked) for (const store of SIDE_STORES) await dropNextStore(tx, store);
	});
}

/**
 * Computes every indicator for `periods` (only `scope`'s, if given) inside `tx`; on Postgres a
 * full refresh does part of it on a second connection of `db` meanwhile (`SIDE_LANE`), and an
 * incremental one its medians (`mediansLane`).
 */
async function computeAll(
	db: Db,
	tx: Tx,
	periods: readonly Period[],
	onProgress: (step: string) => void,
	scope?: Scope,
	/** Starts the registry's vacuum on another connection (see `runRefresh`). */
	startVacuum?: () => void
) {
	const withSide = !scope && canRunSideLane(tx);
	// Before the lane starts: the new partitions it commits are then this refresh's alone.
	if (withSide) await tx.execute(sql`SELECT pg_advisory_xact_lock(${FULL_REFRESH_LOCK})`);
	const side = withSide
		? startSideLane(db, async (lane) =>
				SIDE_LANE.work(await createContext(lane, periods, undefined, { lane: 'side' }))
			)
		: undefined;
	const scopedSide =
		scope && canRunSideLane(tx)
			? startSideLane(db, (lane) => scopedLane(lane, periods, scope))
			: undefined;
	const lane = side ?? scopedSide;
	try {
		const context = await createContext(tx, periods, scope?.communes, {
			lane: side ? 'refresh' : undefined
		});
		// A full refresh wrote new partitions of the stores: they take the old ones' places, once
		// the stores' readers let it (see `lockStores`).
		const swap: Step = [
			'new values in place of the old',
			async () => {
				if (context.scoped) return;
				if (!side) await prepareNextStores(tx, STORES, periods);
				await swapNextStores(tx, periods, refreshLockWait());
			}
		];
		const steps: Step[] = side
			? [
					[
						`eligibility, enrolment, benefits and combined packages at every level (${SIDE_LANE.name} on a second connection meanwhile)`,
						() => streamProgrammeCounts(db, context)
					],
					[
						'new programme counts analysed and indexed',
						async () => {
							// Its statements use one core or two at times (the keys' sorts): the vacuum,
							// mostly reading, goes on meanwhile.
							startVacuum?.();
							await prepareNextStores(tx, MAIN_STORES, periods);
						}
					],
					[
						`${SIDE_LANE.name}, from the second connection`,
						async () => {
							await side.committed();
							// The lane's new partitions, committed, take the refresh's own rows too.
							for (const store of SIDE_STORES)
								await tx.execute(sql`INSERT INTO ${sql.identifier(nextStore(store))}
									SELECT * FROM ${sql.identifier(ownStore(store))}`);
						}
					],
					swap
				]
			: [
					['registration coverage', () => computeRegistrationCoverage(context)],
					// Offices change only with the offices feed, which refreshes everything: an
					// incremental refresh keeps their indicators.
					['offices', async () => (context.scoped ? undefined : officeIndicators(context))],
					scopedSide
						? [
								`enrolment and benefits, combined packages (${scopedLaneName(scope!)} on a second connection meanwhile)`,
								() => computeUnitCounts(context)
							]
						: [
								'eligibility, enrolment, benefits and combined packages',
								() => computeProgrammeIndicators(context)
							],
					...ACTIVITY_STEPS.map(([name, run]): Step => [name, () => run(context)]),
					// What the side lane hands over is summed with the rest.
					...(scopedSide
						? [handedOver(scopedSide, context, scope!), sums(context)]
						: [sums(context), mediansStep(context, scope)]),
					swap
				];
		const runSteps = async () => {
			for (const [i, [name, run]] of steps.entries()) {
				onProgress(`${i + 1}/${steps.length} ${name}`);
				await run();
			}
		};
		await (lane ? lane.alongside(tx, runSteps) : runSteps());
	} catch (error) {
		await lane?.cancel();
		throw error;
	}
}

/** The SSDM pilot opened in June 2014 (domain.md §1): no registry data can be older. */
const SSDM_FIRST_YEAR = 2014;

export interface RefreshOptions {
	/** `YYYY-MM-DD` the refresh is as of; default today (UTC). */
	today?: string;
	/** Recompute every period, older years included. */
	all?: boolean;
	/** Only the recent periods (12 months, their quarters, the current year); older years wait. */
	recentOnly?: boolean;
	/** Called before each step with a short description. */
	onProgress?: (step: string) => void;
}

export interface RefreshResult {
	kind: 'full' | 'incremental';
	periods: string[];
	durationMs: number;
}

/** How a refresh after an import runs. */
export interface AfterImportOptions extends Pick<RefreshOptions, 'onProgress'> {
	/** When it runs in full instead (default `FULL_AFTER_IMPORT`). */
	fullAbove?: typeof FULL_AFTER_IMPORT;
}

/** What imports changed, for an incremental refresh. */
export interface ImportTouch {
	/** The communes whose villages hold changed rows (before or after the change); all if absent. */
	communes?: string[];
	/** The earliest date of a changed row (`YYYY-MM-DD`). */
	since: string;
	/** The median indicators a changed row can change (default all); the others keep their values. */
	medians?: readonly MedianIndicator[];
}

/** The refresh running in this process, for the status page. */
export interface RefreshState {
	id: number;
	kind: 'full' | 'incremental';
	startedAt: Date;
	step: string;
}

let running: RefreshState | undefined;

/** The refresh this process is running now, if any. */
export function runningRefresh(): RefreshState | undefined {
	return running;
}

/**
 * First year with registry data (of the households in `communes`, if given), never before
 * the pilot.
 */
async function firstDataYear(db: Db, communes?: readonly string[]): Promise<number> {
	const within = communes ? sql`WHERE village_code IN (${communeVillages(communes)})` : sql``;
	const [row] = await queryRows<{ year: number | null }>(
		db,
		sql`SELECT extract(year FROM min(registered_on))::int AS year FROM households ${within}`
	);
	return Math.max(SSDM_FIRST_YEAR, row?.year ?? SSDM_FIRST_YEAR);
}

// Refreshes in one process run one after another: two at once would fight over the same rows.
let queue: Promise<unknown> = Promise.resolve();

/** Work in the refresh queue: a refresh, or a release being published (`afterRefreshes`). */
export interface QueuedWork {
	kind: 'full' | 'incremental' | 'release';
	/** When it was queued. */
	since: Date;
}
/** What the queue runs now, and what waits in it, in order. */
let current: QueuedWork | undefined;
const waiting: QueuedWork[] = [];

function enqueue<T>(kind: QueuedWork['kind'], work: () => Promise<T>): Promise<T> {
	const item: QueuedWork = { kind, since: new Date() };
	waiting.push(item);
	const run = queue.then(async () => {
		waiting.splice(waiting.indexOf(item), 1);
		current = item;
		try {
			return await work();
		} finally {
			current = undefined;
		}
	});
	queue = run.catch(() => undefined);
	return run;
}

/**
 * This process's refresh queue: the work it runs now and the work waiting (for the refresh
 * page, which shows a refresh waiting behind a release being published).
 */
export function refreshQueue(): { current?: QueuedWork; waiting: QueuedWork[] } {
	return { current, waiting: [...waiting] };
}

/**
 * Runs `work`, publishing a release, in this process's refresh queue: after the refreshes
 * queued before it, and before any queued after. On the embedded database (one process, no
 * snapshot across queries) no refresh then commits half-way through a release.
 */
export function afterRefreshes<T>(work: () => Promise<T>): Promise<T> {
	return enqueue('release', work);
}

/**
 * Full refresh: the recent periods, and the older years not computed yet (with `all`: every
 * period, and every period computed before).
 */
export function refreshAll(db: Db, options: RefreshOptions = {}): Promise<RefreshResult> {
	return enqueue('full', async () => {
		const today = options.today ?? new Date().toISOString().slice(0, 10);
		const recent = refreshPeriods(today, await firstDataYear(db));
		const computed = new Set(await computedPeriods(db));
		const firstMonth = recent.find((p) => p.kind === 'month')!.start;
		const periods = recent.filter(
			(p) => options.all || p.end >= firstMonth || (!computed.has(p.label) && !options.recentOnly)
		);
		// Everything means also the periods computed before and no longer in the list (a year
		// before the registry's first, once its households moved on), so none is left stale.
		if (options.all) {
			const listed = new Set(periods.map((p) => p.label));
			for (const label of computed) if (!listed.has(label)) periods.push(parsePeriod(label)!);
		}
		return runRefresh(db, 'full', periods, { onProgress: options.onProgress });
	});
}

/**
 * When an incremental refresh would cost more than a full one of the same periods: its cost
 * grows with the communes it recomputes (at national scale, for 28 periods, 20.5 s for 26
 * communes and 97 s for 97, against 477 s for the full refresh of those periods: even at about
 * 480 of the 1,652 communes), so an import touching more than a quarter of the communes that
 * hold households, and more than 100 of them (below that an incremental refresh is quick
 * whatever the share), is followed by a full refresh of the periods it touched.
 */
export const FULL_AFTER_IMPORT = { share: 0.25, minCommunes: 100 };

/** Whether recomputing `communes` alone costs more than recomputing every commune. */
async function touchesTooMany(
	db: Db,
	communes: readonly string[],
	limits: typeof FULL_AFTER_IMPORT
): Promise<boolean> {
	if (communes.length <= limits.minCommunes) return false;
	const [row] = await queryRows<{ n: number }>(
		db,
		sql`SELECT count(DISTINCT g.commune_code)::int AS n FROM geo_units g
			WHERE g.level = 'village'
				AND EXISTS (SELECT 1 FROM households h WHERE h.village_code = g.code)`
	);
	return communes.length > limits.share * (row?.n ?? 0);
}

/**
 * Incremental refresh after an import that changed `touch` (a full refresh of the periods it
 * touched when it touched too many communes, see `FULL_AFTER_IMPORT`).
 */
export function refreshTouched(
	db: Db,
	touch: ImportTouch,
	options: AfterImportOptions = {}
): Promise<RefreshResult> {
	return enqueue('incremental', async () => {
		const computed = (await computedPeriods(db)).map((label) => parsePeriod(label)!);
		const periods = computed
			.filter((p) => p.end >= touch.since)
			.sort((a, b) => a.label.localeCompare(b.label));
		const inFull =
			touch.communes !== undefined &&
			periods.length > 0 &&
			(await touchesTooMany(db, touch.communes, options.fullAbove ?? FULL_AFTER_IMPORT));
		const scope =
			touch.communes && !inFull
				? { communes: touch.communes, medians: touch.medians ?? MEDIAN_INDICATORS }
				: undefined;
		const result = await runRefresh(db, inFull ? 'full' : 'incremental', periods, {
			onProgress: options.onProgress,
			scope,
			touchedCommunes: inFull ? touch.communes?.length : undefined
		});
		// Rows older than any computed year (a household registered earlier) open new years,
		// which no commune has yet: those are computed everywhere. Only the touched communes'
		// households can be such rows (the others' years wait for a full refresh, as they did).
		const years = computed.filter((p) => p.kind === 'year').map((p) => Number(p.label));
		if (years.length === 0 || touch.since >= `${Math.min(...years)}-01-01`) return result;
		const newYears: Period[] = [];
		for (let year = await firstDataYear(db, touch.communes); year < Math.min(...years); year++)
			newYears.push(parsePeriod(String(year))!);
		if (newYears.length === 0) return result;
		const added = await runRefresh(db, 'full', newYears, {
			onProgress: options.onProgress,
			touchedCommunes: touch.communes?.length
		});
		return {
			...result,
			periods: [...added.periods, ...result.periods],
			durationMs: result.durationMs + added.durationMs
		};
	});
}

/**
 * The incremental refresh after imports: their touches together (nothing when no file
 * changed anything; every commune when a reference feed changed). Only computed periods are
 * recomputed, so before the first full refresh it does nothing.
 */
export function refreshAfterImport(
	db: Db,
	touches: readonly (Touch | undefined)[],
	options: AfterImportOptions = {}
): Promise<RefreshResult | undefined> {
	let merged: Touch | undefined;
	for (const touch of touches) if (touch) merged = mergeTouch(merged, touch);
	if (!merged) return Promise.resolve(undefined);
	return refreshTouched(db, merged === 'all' ? { since: BEFORE_EVERY_PERIOD } : merged, options);
}

/**
 * The registry tables an incremental refresh reads from indexes alone (see `createContext`),
 * vacuumed with each full refresh (see `runRefresh`): an index-only scan still reads the table
 * page of every row on a page not marked all-visible, and only VACUUM marks them. Autovacuum
 * does it too where it runs (it may be off); after a night without imports it has little to do.
 */
const VACUUMED = ['households', 'members', 'enrolments', 'benefits'];

/** How a refresh runs: its progress, its scope (incremental), the communes imports touched. */
interface RunOptions {
	onProgress?: (step: string) => void;
	scope?: Scope;
	/**
	 * A full refresh after imports: how many communes they touched (recorded in `refresh_runs`;
	 * an incremental one records the communes themselves).
	 */
	touchedCommunes?: number;
}

async function runRefresh(
	db: Db,
	kind: RefreshResult['kind'],
	periods: Period[],
	{ onProgress, scope, touchedCommunes }: RunOptions
): Promise<RefreshResult> {
	const labels = periods.map((p) => p.label);
	// Nothing computed yet (an import before the first full refresh): nothing to record.
	if (periods.length === 0) return { kind, periods: [], durationMs: 0 };
	const startedAt = new Date();
	const [run] = await db
		.insert(refreshRuns)
		.values({
			kind,
			startedAt,
			periods: labels,
			communes: scope ? [...scope.communes] : null,
			touchedCommunes
		})
		.returning({ id: refreshRuns.id });
	const id = run!.id;
	running = { id, kind, startedAt, step: 'starting' };
	const report = (step: string) => {
		running = { id, kind, startedAt, step };
		onProgress?.(step);
		// Other processes (the status page of the app when jobs run apart) read it here; on
		// PGlite it lands when the transaction ends, which is harmless.
		db.update(refreshRuns)
			.set({ progress: step })
			.where(sql`id = ${id}`)
			.catch(() => undefined);
	};
	// After a full refresh, the registry tables are vacuumed (see `VACUUMED`); on Postgres it
	// starts while the refresh readies its new partitions, on a connection of its own (the rows
	// it can mark visible to all are those of before the refresh, as after it). Its error, if
	// any, is the refresh's once the refresh has committed.
	let vacuum: Promise<unknown> | undefined;
	const startVacuum = () => {
		vacuum ??= db.execute(sql`VACUUM ${sql.raw(VACUUMED.join(', '))}`).then(
			() => undefined,
			(error: unknown) => error
		);
	};
	try {
		report(`${labels.length} periods (${labels.join(', ')})`);
		await db.transaction((tx) => computeAll(db, tx, periods, report, scope, startVacuum));
		if (kind === 'full') {
			report('visibility maps of the registry tables (VACUUM)');
			startVacuum();
			const error = await vacuum;
			if (error) throw error;
		}
	} catch (error) {
		// A vacuum under way ends first (its connection goes back to the pool).
		await vacuum;
		// What the side lane committed for it (the next full refresh drops it otherwise).
		if (kind === 'full') await dropStagedStores(db).catch(() => undefined);
		await db
			.update(refreshRuns)
			.set({ finishedAt: new Date(), progress: null, error: (error as Error).message })
			.where(sql`id = ${id}`);
		throw error;
	} finally {
		running = undefined;
	}
	const durationMs = Date.now() - startedAt.getTime();
	await db
		.update(refreshRuns)
		.set({ finishedAt: new Date(), durationMs, progress: null })
		.where(sql`id = ${id}`);
	return { kind, periods: labels, durationMs };
}
