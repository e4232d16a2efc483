/**
 * `changelog.json`: what changed since the previous release. Definitions (the fingerprints),
 * periods added and removed, and for each level the rows added, removed and changed, found
 * by comparing every value by its key (indicator, period, code, programme, group).
 *
 * Exact and in bounded memory: every dataset file is sorted by that key (`compareKeys`), so
 * the previous and the new CSV of a level are read side by side in one pass, a row at a time
 * (a merge join), whatever their size.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { RELEASE_COLUMNS, RELEASE_LEVELS, type ReleaseLevel } from '../../releases/schema';
import { compareKeys } from './read-values';

/** Counts of one level's comparison. */
export interface LevelChanges {
	rows: number;
	previousRows: number;
	/** Keys only in the new release. */
	added: number;
	/** Keys only in the previous release. */
	removed: number;
	/** Same key, another numerator, denominator, value or suppression. */
	changed: number;
	unchanged: number;
}

/** The whole changelog as written to `changelog.json`. */
export interface ReleaseChangelog {
	release: string;
	/** Null for the first release: everything is new. */
	previous: string | null;
	definitions: {
		fingerprint: string;
		previousFingerprint: string | null;
		changed: boolean;
		/** Public indicators whose definition changed, appeared or disappeared. */
		indicatorsChanged: string[];
		indicatorsAdded: string[];
		indicatorsRemoved: string[];
	};
	periods: { added: string[]; removed: string[] };
	levels: Record<ReleaseLevel, LevelChanges>;
	/** Rows added, removed or changed per indicator, all levels together (only non-zero). */
	changesByIndicator: Record<string, number>;
}

const KEY_COLUMNS = ['indicator', 'period', 'code', 'programme', 'group_by', 'group_value'];
const VALUE_COLUMNS = ['numerator', 'denominator', 'value', 'suppressed'];
const KEY_AT = KEY_COLUMNS.map((name) => RELEASE_COLUMNS.findIndex((c) => c.name === name));
const VALUE_AT = VALUE_COLUMNS.map((name) => RELEASE_COLUMNS.findIndex((c) => c.name === name));
const INDICATOR_AT = KEY_AT[0]!;

function compareRecords(a: string[], b: string[]): number {
	for (const i of KEY_AT) {
		const order = compareKeys(a[i]!, b[i]!);
		if (order !== 0) return order;
	}
	return 0;
}

/** A CSV's records after the header, one at a time (undefined at the end, or with no file). */
function csvRecords(file: string | undefined): () => Promise<string[] | undefined> {
	if (!file) return async () => undefined;
	const records = createReadStream(file)
		.pipe(parse({ from_line: 2 }))
		[Symbol.asyncIterator]();
	return async () => {
		const next = await records.next();
		return next.done ? undefined : (next.value as string[]);
	};
}

/**
 * Compares a level's new CSV with the previous release's (absent for the first release), adding
 * to `byIndicator` the changes per indicator. Fails if a file is out of order, since the
 * counts would then be wrong.
 */
export async function compareLevelFiles(
	previousFile: string | undefined,
	currentFile: string,
	byIndicator: Record<string, number>
): Promise<LevelChanges> {
	const counts: LevelChanges = {
		rows: 0,
		previousRows: 0,
		added: 0,
		removed: 0,
		changed: 0,
		unchanged: 0
	};
	const nextPrevious = csvRecords(previousFile);
	const nextCurrent = csvRecords(currentFile);
	const count = (record: string[]) => {
		const id = record[INDICATOR_AT]!;
		byIndicator[id] = (byIndicator[id] ?? 0) + 1;
	};
	const inOrder = (before: string[] | undefined, after: string[] | undefined, file: string) => {
		if (before && after && compareRecords(before, after) >= 0)
			throw new Error(`${file} is not sorted by its key at ${after.slice(0, 6).join('|')}`);
	};
	let previous = await nextPrevious();
	let current = await nextCurrent();
	while (previous || current) {
		const order = !previous ? 1 : !current ? -1 : compareRecords(previous, current);
		if (order < 0) {
			counts.removed++;
			count(previous!);
		} else if (order > 0) {
			counts.added++;
			count(current!);
		} else if (VALUE_AT.some((i) => previous![i] !== current![i])) {
			counts.changed++;
			count(current!);
		} else {
			counts.unchanged++;
		}
		if (order <= 0) {
			const next = await nextPrevious();
			inOrder(previous, next, previousFile!);
			previous = next;
			counts.previousRows++;
		}
		if (order >= 0) {
			const next = await nextCurrent();
			inOrder(current, next, currentFile);
			current = next;
			counts.rows++;
		}
	}
	return counts;
}

/** What a release is compared by, besides its files. */
export interface ReleaseSummary {
	id: string;
	definitionsFingerprint: string;
	indicatorFingerprints: Record<string, string>;
	periods: string[];
}

/** Builds the changelog of `current` against `previous`, from both releases' CSVs per level. */
export async function buildChangelog(
	current: ReleaseSummary,
	previous: ReleaseSummary | null,
	csvFile: (release: 'current' | 'previous', level: ReleaseLevel) => string
): Promise<ReleaseChangelog> {
	const changesByIndicator: Record<string, number> = {};
	const levels = {} as Record<ReleaseLevel, LevelChanges>;
	for (const level of RELEASE_LEVELS) {
		levels[level] = await compareLevelFiles(
			previous ? csvFile('previous', level) : undefined,
			csvFile('current', level),
			changesByIndicator
		);
	}
	const before = previous?.indicatorFingerprints ?? {};
	const now = current.indicatorFingerprints;
	const previousPeriods = new Set(previous?.periods ?? []);
	const currentPeriods = new Set(current.periods);
	return {
		release: current.id,
		previous: previous?.id ?? null,
		definitions: {
			fingerprint: current.definitionsFingerprint,
			previousFingerprint: previous?.definitionsFingerprint ?? null,
			changed:
				previous !== null && previous.definitionsFingerprint !== current.definitionsFingerprint,
			indicatorsChanged: previous
				? Object.keys(now).filter((id) => id in before && before[id] !== now[id])
				: [],
			indicatorsAdded: previous ? Object.keys(now).filter((id) => !(id in before)) : [],
			indicatorsRemoved: Object.keys(before).filter((id) => !(id in now))
		},
		periods: {
			added: previous ? current.periods.filter((p) => !previousPeriods.has(p)) : [],
			removed: (previous?.periods ?? []).filter((p) => !currentPeriods.has(p))
		},
		levels,
		changesByIndicator
	};
}

/** Whether a changelog records no change at all (the release would repeat the previous one). */
export function isUnchanged(changelog: ReleaseChangelog): boolean {
	return (
		changelog.previous !== null &&
		!changelog.definitions.changed &&
		changelog.periods.added.length === 0 &&
		changelog.periods.removed.length === 0 &&
		Object.values(changelog.levels).every((l) => l.added + l.removed + l.changed === 0)
	);
}
