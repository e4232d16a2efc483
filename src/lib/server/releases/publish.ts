/**
 * Publishing a release (issue #6): every public indicator's stored values, through disclosure
 * control, written as one dataset per level in four formats, with `datapackage.json` and
 * `changelog.json`, then made visible atomically (see `store.ts`) and named `latest`.
 *
 * A release that would change nothing (same definitions, periods and values as the latest) is
 * not published: nightly runs without new data add no copies, and `latest` keeps its id.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import {
	datasetFileName,
	RELEASE_COLUMNS,
	RELEASE_LEVELS,
	OFFICES_FILE,
	UNITS_FILE,
	type ReleaseLevel,
	type ReleaseProgramme
} from '../../releases/schema';
import { releasesDir, releasesKeep } from '../config';
import type { Db, DbOrTx } from '../db';
import { afterRefreshes } from '../indicators/refresh';
import { buildChangelog, isUnchanged, type ReleaseChangelog } from './changelog';
import {
	attributionLine,
	buildDataPackage,
	definitionsFingerprint,
	describeFile,
	DISCLOSURE_NOTE,
	indicatorFingerprints,
	RELEASE_LICENSE,
	type ReleaseDataPackage
} from './datapackage';
import { PUBLIC_DISCLOSURE, rowsToWrite, type ReleaseDisclosure } from './disclosure';
import { readReleaseFrame, readTable } from './read-values';
import {
	CHANGELOG_FILE,
	commitRelease,
	compareReleaseIds,
	DATAPACKAGE_FILE,
	latestReleaseId,
	listReleaseIds,
	nextReleaseId,
	pointLatestAt,
	pruneReleases,
	readReleaseJson,
	removeAbandonedTemporaries,
	temporaryReleaseDir
} from './store';
import {
	readOffices,
	readReleaseProgrammes,
	readUnitRows,
	writeReferenceFiles
} from './reference-files';
import { LevelDataset, type AboutRows } from './writers';

/** Progress of a publish, for the job's output. */
export interface PublishProgress {
	step: string;
	/** Rows written so far, all levels together. */
	rows: number;
}

export interface PublishOptions {
	/** How cells are suppressed (default: the public rules of `disclosure.ts`; tests swap it). */
	disclosure?: ReleaseDisclosure;
	/** Where releases live (default `RELEASES_DIR`). */
	dir?: string;
	/** The date the figures are as of, `YYYY-MM-DD` (default today, UTC): the id's date. */
	asOf?: string;
	/** Clock for `created` (tests). */
	now?: () => Date;
	/** Releases to keep (default `RELEASES_KEEP`; 0 keeps all). */
	keep?: number;
	/** Publish even when nothing changed since the latest release. */
	force?: boolean;
	onProgress?: (progress: PublishProgress) => void;
}

export interface PublishResult {
	/** The new release, or null when nothing changed (see `unchangedFrom`). */
	release: string | null;
	/** The latest release before this run. */
	previous: string | null;
	/** Set when no release was made because `latest` already has these figures. */
	unchangedFrom?: string;
	rows: Record<ReleaseLevel, number>;
	/** Stored values outside the published grid (a programme or group the API cannot serve). */
	unexpected: number;
	changelog: ReleaseChangelog;
	pruned: string[];
	durationMs: number;
}

/** Whether the database is Postgres (which can give one snapshot to many queries). */
function isPostgres(db: Db): boolean {
	return (db as unknown as { $client?: unknown }).$client instanceof pg.Pool;
}

/**
 * Reads the whole release from one consistent state of the store. Postgres: one read-only,
 * repeatable-read transaction (a refresh committing meanwhile, from another process, is not
 * seen). PGlite has one connection and one process: a transaction would stall every page for
 * the whole publish, and the refresh queue already keeps refreshes out.
 */
function inOneSnapshot<T>(db: Db, work: (reader: DbOrTx) => Promise<T>): Promise<T> {
	return afterRefreshes(() =>
		isPostgres(db)
			? db.transaction((tx) => work(tx), {
					isolationLevel: 'repeatable read',
					accessMode: 'read only'
				})
			: work(db)
	);
}

/** Publishes a release of the stored indicators into the releases directory. */
export async function publishRelease(db: Db, options: PublishOptions = {}): Promise<PublishResult> {
	const started = Date.now();
	const disclosure = options.disclosure ?? PUBLIC_DISCLOSURE;
	const dir = options.dir ?? releasesDir();
	const now = options.now ?? (() => new Date());
	const created = now();
	const asOf = options.asOf ?? created.toISOString().slice(0, 10);
	await mkdir(dir, { recursive: true });
	await removeAbandonedTemporaries(dir);
	const previous = (await latestReleaseId(dir)) ?? null;
	const previousPackage = previous
		? await readReleaseJson<ReleaseDataPackage>(dir, previous, DATAPACKAGE_FILE)
		: null;
	const id = nextReleaseId(await listReleaseIds(dir), asOf);
	const temporary = temporaryReleaseDir(dir);
	await mkdir(temporary);
	const datasets: Partial<Record<ReleaseLevel, LevelDataset>> = {};
	try {
		let written = 0;
		const report = (step: string) => options.onProgress?.({ step, rows: written });
		const about: AboutRows = [
			['release', id],
			['as of', asOf],
			['licence', `${RELEASE_LICENSE.title} (${RELEASE_LICENSE.name}) ${RELEASE_LICENSE.path}`],
			['attribution', attributionLine(id)],
			['disclosure control', DISCLOSURE_NOTE],
			[],
			['column', 'type', 'description'],
			...RELEASE_COLUMNS.map((c) => [c.name, c.type, c.description])
		];
		for (const level of RELEASE_LEVELS)
			datasets[level] = await LevelDataset.open(temporary, level, id, about);
		const opened = datasets as Record<ReleaseLevel, LevelDataset>;

		const { frame, unexpected, units, offices, programmes } = await inOneSnapshot(
			db,
			async (reader) => {
				const frame = await readReleaseFrame(reader);
				const units = await readUnitRows(reader, frame);
				const offices = await readOffices(reader);
				const programmes = await readReleaseProgrammes(reader);
				let unexpected = 0;
				for (const indicator of frame.indicators) {
					for (const periods of disclosure.periodTables(indicator, frame.periods)) {
						const table = await readTable(reader, frame, indicator, periods);
						unexpected += table.unexpected;
						const suppressed = disclosure.suppressTable(indicator, table);
						for (const [level, rows] of rowsToWrite(table, suppressed)) {
							await opened[level].write(rows);
							written += rows.length;
						}
						report(`${indicator.id} ${describePeriods(periods)}`);
					}
				}
				return { frame, unexpected, units, offices, programmes };
			}
		);
		await writeReferenceFiles(temporary, units, offices);
		for (const level of RELEASE_LEVELS) await opened[level].close();
		const rows = Object.fromEntries(
			RELEASE_LEVELS.map((level) => [level, opened[level].rows])
		) as Record<ReleaseLevel, number>;

		report('comparing with the previous release');
		const indicators = frame.indicators.map((i) => i.id);
		// The definitions of the running code: the ones the stored values were computed with.
		const summary = {
			id,
			periods: frame.periods,
			definitionsFingerprint: definitionsFingerprint(),
			indicatorFingerprints: indicatorFingerprints()
		};
		const changelog = await buildChangelog(
			summary,
			previousPackage
				? {
						id: previousPackage.id,
						periods: previousPackage.periods,
						definitionsFingerprint: previousPackage.definitionsFingerprint,
						indicatorFingerprints: previousPackage.indicatorFingerprints
					}
				: null,
			(release, level) =>
				path.join(
					release === 'current' ? temporary : path.join(dir, previous!),
					datasetFileName(level, 'csv')
				)
		);
		const result = { previous, rows, unexpected, changelog, pruned: [] as string[] };
		const sameReference =
			previousPackage !== null &&
			(await sameReferenceFiles(previousPackage, temporary, programmes));
		if (previous && isUnchanged(changelog) && sameReference && !options.force) {
			await rm(temporary, { recursive: true, force: true });
			return {
				...result,
				release: null,
				unchangedFrom: previous,
				durationMs: Date.now() - started
			};
		}

		report('writing datapackage.json');
		await writeFile(
			path.join(temporary, CHANGELOG_FILE),
			`${JSON.stringify(changelog, null, 2)}\n`
		);
		const descriptor = await buildDataPackage({
			id,
			asOf,
			created,
			periods: frame.periods,
			indicators,
			programmes,
			previous,
			rows,
			units: units.length,
			offices: offices.length,
			dir: temporary
		});
		await writeFile(
			path.join(temporary, DATAPACKAGE_FILE),
			`${JSON.stringify(descriptor, null, 2)}\n`
		);
		await commitRelease(dir, temporary, id);
		// Another publisher may have pointed latest at a newer release meanwhile: keep that one.
		const latest = await latestReleaseId(dir);
		if (!latest || compareReleaseIds(id, latest) > 0) await pointLatestAt(dir, id);
		const pruned = await pruneReleases(dir, options.keep ?? releasesKeep());
		return { ...result, release: id, pruned, durationMs: Date.now() - started };
	} catch (error) {
		// Its files are closed first: removing the directory would not close them.
		await Promise.allSettled(Object.values(datasets).map((dataset) => dataset.discard()));
		await rm(temporary, { recursive: true, force: true });
		throw error;
	}
}

/**
 * Whether the new release's units, offices and programmes equal the previous release's: a
 * renamed unit or a new office changes what the public pages show even when no figure
 * changed (and a release from before these files existed lacks them).
 */
async function sameReferenceFiles(
	previous: ReleaseDataPackage,
	dir: string,
	programmes: readonly ReleaseProgramme[]
): Promise<boolean> {
	if (JSON.stringify(previous.programmes) !== JSON.stringify(programmes)) return false;
	for (const file of [UNITS_FILE, OFFICES_FILE]) {
		const before = previous.resources.find((r) => r.path === file)?.hash;
		if (before !== (await describeFile(path.join(dir, file))).hash) return false;
	}
	return true;
}

function describePeriods(periods: readonly string[]): string {
	return periods.length === 1 ? periods[0]! : `${periods.length} periods`;
}

/** One line about a publish, for logs: what was published (or why not) and how long it took. */
export function describePublish(result: PublishResult, dir: string): string {
	const rows = RELEASE_LEVELS.map((l) => `${l} ${result.rows[l].toLocaleString('en')}`).join(', ');
	const seconds = (result.durationMs / 1000).toFixed(1);
	if (!result.release)
		return `publish: no new release, the figures equal ${result.unchangedFrom}'s (${rows} rows; ${seconds} s)`;
	const pruned = result.pruned.length ? `; removed ${result.pruned.join(', ')}` : '';
	const unexpected = result.unexpected
		? `; WARNING ${result.unexpected} stored values outside the published grid were left out`
		: '';
	return `publish: release ${result.release} in ${path.join(dir, result.release)} (${rows} rows) in ${seconds} s${pruned}${unexpected}`;
}
