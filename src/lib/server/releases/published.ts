/**
 * The latest release, read back for the public pages and API (issue #6): what a visitor without
 * an account sees comes from the published, suppressed files, never from the registry
 * database (domain.md §6, §8). The same cells as the downloads, by construction.
 *
 * - `datapackage.json` gives the periods and programmes, `units.csv` the units;
 * - values are read from a level's Parquet file one (indicator, period) slice at a time; the
 *   rows are sorted by indicator and period and every row group carries min/max statistics,
 *   so hyparquet reads only the row groups that hold the slice;
 * - a cell the release left out (suppressed under a suppressed parent) reads as suppressed.
 *
 * A release never changes once published, so its slices are cached (least recently used out
 * first, bounded by MAX_CACHED_CELLS); the `latest` pointer is re-read at most once per
 * LATEST_CHECK_MS, so a new release shows within a second.
 */
import path from 'node:path';
import {
	asyncBufferFromFile,
	parquetMetadataAsync,
	parquetQuery,
	type FileMetaData
} from 'hyparquet';
import { parsePeriod } from '../../indicators/periods';
import type { OfficeOpening } from '../../indicators/rollout';
import {
	datasetFileName,
	type ReleaseLevel,
	type ReleaseProgramme,
	type ReleaseUnitRow
} from '../../releases/schema';
import { releasesDir } from '../config';
import type { GeoUnitDetail, GeoUnitSummary } from '../registry/geo-units';
import type { ReleaseDataPackage } from './datapackage';
import { NATION_CODE } from './read-values';
import { DATAPACKAGE_FILE, latestReleaseId, readReleaseJson } from './store';
import { readOfficesFile, readUnitsFile } from './reference-files';

/** One published cell: null numerator, denominator and value when suppressed. */
export interface PublishedCell {
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	suppressed: boolean;
}

/** The cell of a unit the release left out: suppressed (schema.ts, RELEASE_COLUMNS). */
export const LEFT_OUT: PublishedCell = Object.freeze({
	numerator: null,
	denominator: null,
	value: null,
	suppressed: true
});

/** Cells of one (level, indicator, period), keyed by `cellKey`. */
export type Slice = Map<string, PublishedCell>;

/** The key of a cell inside a slice. */
export function cellKey(code: string, programme: string, groupBy: string, groupValue: string) {
	return `${code}|${programme}|${groupBy}|${groupValue}`;
}

/** Cells kept in memory across releases' slices (a commune slice is at most a few 100k). */
export const MAX_CACHED_CELLS = 3_000_000;

/** How stale the `latest` pointer may be. */
const LATEST_CHECK_MS = 1000;

const SLICE_COLUMNS = [
	'code',
	'programme',
	'group_by',
	'group_value',
	'numerator',
	'denominator',
	'value',
	'suppressed'
];

/** A published release, opened for reading. */
export class PublishedRelease {
	/** Periods newest first (months, quarters, years), as the API lists them. */
	readonly periods: string[];
	readonly programmes: ReleaseProgramme[];
	private readonly units = new Map<string, ReleaseUnitRow>();
	private readonly metadata = new Map<ReleaseLevel, Promise<FileMetaData>>();
	private officeList?: Promise<OfficeOpening[]>;

	private constructor(
		readonly id: string,
		readonly dir: string,
		descriptor: ReleaseDataPackage,
		units: readonly ReleaseUnitRow[]
	) {
		this.periods = [...descriptor.periods].sort(newestFirst);
		this.programmes = descriptor.programmes;
		for (const unit of units) this.units.set(unit.code, unit);
	}

	/** Opens a release of the directory (its descriptor and units). */
	static async open(releases: string, id: string): Promise<PublishedRelease> {
		const descriptor = await readReleaseJson<ReleaseDataPackage>(releases, id, DATAPACKAGE_FILE);
		if (!descriptor.programmes) {
			throw new Error(`release ${id} predates units.csv: publish a new release (npm run publish)`);
		}
		const dir = path.join(releases, id);
		return new PublishedRelease(id, dir, descriptor, await readUnitsFile(dir));
	}

	/** A unit by code, with its ancestors (as the database's `findUnit` gives it). */
	findUnit(code: string): GeoUnitDetail | undefined {
		const unit = this.units.get(code);
		if (!unit) return undefined;
		const ancestors = [NATION_CODE, unit.province_code, unit.district_code]
			.filter((c) => c && c !== code)
			.map((c) => this.units.get(c))
			.filter((u): u is ReleaseUnitRow => u !== undefined && u.level !== unit.level)
			.map(summary);
		return { ...summary(unit), parent_code: ancestors.at(-1)?.code ?? null, ancestors };
	}

	/** The offices of `offices.csv` (read on first use). */
	offices(): Promise<OfficeOpening[]> {
		this.officeList ??= readOfficesFile(this.dir);
		return this.officeList;
	}

	/** The unit row of `units.csv`. */
	unit(code: string): ReleaseUnitRow | undefined {
		return this.units.get(code);
	}

	/**
	 * Units of a level, by code, optionally inside a province or district (by its code; the
	 * nation's `KH` is everything). Nothing is inside a commune: villages are not published.
	 */
	unitsAt(level: ReleaseLevel, insideCode?: string): ReleaseUnitRow[] {
		const within = this.units.get(insideCode ?? NATION_CODE)?.level ?? 'commune';
		const rows: ReleaseUnitRow[] = [];
		for (const unit of this.units.values()) {
			if (unit.level !== level) continue;
			if (within === 'province' && unit.province_code !== insideCode) continue;
			if (within === 'district' && unit.district_code !== insideCode) continue;
			if (within === 'commune') continue;
			rows.push(unit);
		}
		return rows;
	}

	/** The cells of one indicator and period at a level. */
	slice(level: ReleaseLevel, indicator: string, period: string): Promise<Slice> {
		const key = `${this.dir}|${level}|${indicator}|${period}`;
		const cached = slices.get(key);
		if (cached) {
			slices.delete(key);
			slices.set(key, cached);
			return cached.cells;
		}
		const entry: CachedSlice = { cells: this.readSlice(level, indicator, period), size: 0 };
		slices.set(key, entry);
		entry.cells.then(
			(cells) => {
				entry.size = cells.size;
				cachedCells += cells.size;
				evict();
			},
			() => slices.delete(key)
		);
		return entry.cells;
	}

	/** One cell (or LEFT_OUT). */
	async cell(
		level: ReleaseLevel,
		indicator: string,
		period: string,
		code: string,
		programme: string,
		groupBy = '',
		groupValue = ''
	): Promise<PublishedCell> {
		const cells = await this.slice(level, indicator, period);
		return cells.get(cellKey(code, programme, groupBy, groupValue)) ?? LEFT_OUT;
	}

	private async readSlice(level: ReleaseLevel, indicator: string, period: string): Promise<Slice> {
		const file = await asyncBufferFromFile(path.join(this.dir, datasetFileName(level, 'parquet')));
		let metadata = this.metadata.get(level);
		if (!metadata) {
			metadata = parquetMetadataAsync(file);
			this.metadata.set(level, metadata);
		}
		const rows = (await parquetQuery({
			file,
			metadata: await metadata,
			columns: SLICE_COLUMNS,
			filter: { indicator: { $eq: indicator }, period: { $eq: period } }
		})) as unknown as SliceRow[];
		const cells: Slice = new Map();
		for (const row of rows) {
			cells.set(cellKey(row.code, row.programme, row.group_by, row.group_value), {
				numerator: row.numerator ?? null,
				denominator: row.denominator ?? null,
				value: row.value ?? null,
				suppressed: row.suppressed
			});
		}
		return cells;
	}
}

interface SliceRow {
	code: string;
	programme: string;
	group_by: string;
	group_value: string;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	suppressed: boolean;
}

interface CachedSlice {
	cells: Promise<Slice>;
	size: number;
}

const slices = new Map<string, CachedSlice>();
let cachedCells = 0;

function evict() {
	for (const [key, entry] of slices) {
		if (cachedCells <= MAX_CACHED_CELLS) break;
		slices.delete(key);
		cachedCells -= entry.size;
	}
}

function summary(unit: ReleaseUnitRow): GeoUnitSummary {
	return { code: unit.code, level: unit.level, name_en: unit.name_en, name_km: unit.name_km };
}

/** Newest end first; at the same end a month before its quarter before its year. */
function newestFirst(a: string, b: string): number {
	const [pa, pb] = [parsePeriod(a)!, parsePeriod(b)!];
	const kinds = ['month', 'quarter', 'year'];
	return pb.end.localeCompare(pa.end) || kinds.indexOf(pa.kind) - kinds.indexOf(pb.kind);
}

let latest:
	| { dir: string; checkedAt: number; id: string | undefined; release?: Promise<PublishedRelease> }
	| undefined;

/**
 * The latest release of the releases directory, or undefined before the first publish. The
 * pointer is re-read at most once a second; a release is opened once.
 */
export async function latestPublished(dir = releasesDir()): Promise<PublishedRelease | undefined> {
	const now = Date.now();
	if (!latest || latest.dir !== dir || now - latest.checkedAt >= LATEST_CHECK_MS) {
		const id = await latestReleaseId(dir);
		const same = latest && latest.dir === dir && latest.id === id;
		latest = {
			dir,
			checkedAt: now,
			id,
			release: same ? latest!.release : id ? PublishedRelease.open(dir, id) : undefined
		};
		const opened = latest;
		opened.release?.catch(() => {
			if (latest === opened) latest = undefined;
		});
	}
	return latest.release;
}

/** Forgets the opened release and cached slices (tests). */
export function forgetPublished(): void {
	latest = undefined;
	slices.clear();
	cachedCells = 0;
}
