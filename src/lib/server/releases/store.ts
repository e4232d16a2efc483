/**
 * The releases directory on disk (`RELEASES_DIR`): one directory per release, named by its id,
 * holding the files of `$lib/releases/schema`, and `latest.json`, the pointer to the newest.
 *
 * Atomicity: a release is written into a hidden temporary directory (`.tmp-…`, never a valid
 * release id, so never listed or served), every file and the directory are fsynced, and only
 * then is it renamed to its id; `latest.json` is replaced the same way (write, fsync, rename).
 * A reader therefore sees a release whole or not at all, and `latest` always names a whole one.
 * Nothing here touches the database: the web app serves public traffic from these files
 * (domain.md §8).
 */
import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
	datasetFileName,
	LATEST,
	RELEASE_FORMATS,
	RELEASE_ID,
	OFFICES_FILE,
	RELEASE_LEVELS,
	UNITS_FILE
} from '../../releases/schema';

/** The Frictionless Data Package descriptor of a release. */
export const DATAPACKAGE_FILE = 'datapackage.json';
/** What changed since the previous release. */
export const CHANGELOG_FILE = 'changelog.json';
/** The pointer to the newest release, in the releases directory. */
export const LATEST_POINTER_FILE = `${LATEST}.json`;

/** Every file a release holds: the datasets, units and offices, then the descriptor and the changelog. */
export const RELEASE_FILES: readonly string[] = [
	...RELEASE_LEVELS.flatMap((level) => RELEASE_FORMATS.map((f) => datasetFileName(level, f))),
	UNITS_FILE,
	OFFICES_FILE,
	DATAPACKAGE_FILE,
	CHANGELOG_FILE
];

/** Whether a string is a release id (`2026-11-25.1`). */
export function isReleaseId(value: string): boolean {
	return RELEASE_ID.test(value);
}

/** Orders release ids in time: by date, then by the day's counter (so `.10` after `.9`). */
export function compareReleaseIds(a: string, b: string): number {
	const [dateA, counterA] = a.split('.') as [string, string];
	const [dateB, counterB] = b.split('.') as [string, string];
	return dateA.localeCompare(dateB) || Number(counterA) - Number(counterB);
}

/** The id after `existing` for a release as of `asOf` (`YYYY-MM-DD`): the day's next counter. */
export function nextReleaseId(existing: readonly string[], asOf: string): string {
	const counters = existing
		.filter((id) => id.startsWith(`${asOf}.`))
		.map((id) => Number(id.slice(asOf.length + 1)));
	return `${asOf}.${Math.max(0, ...counters) + 1}`;
}

/** The releases in the directory, oldest first (an absent directory has none). */
export async function listReleaseIds(dir: string): Promise<string[]> {
	let entries: string[];
	try {
		entries = await readdir(dir);
	} catch (error) {
		if (isMissing(error)) return [];
		throw error;
	}
	return entries.filter(isReleaseId).sort(compareReleaseIds);
}

/** The release `latest` points at, or undefined before the first release. */
export async function latestReleaseId(dir: string): Promise<string | undefined> {
	try {
		const pointer = JSON.parse(await readFile(path.join(dir, LATEST_POINTER_FILE), 'utf8')) as {
			release?: unknown;
		};
		return typeof pointer.release === 'string' && isReleaseId(pointer.release)
			? pointer.release
			: undefined;
	} catch (error) {
		if (isMissing(error)) return undefined;
		throw error;
	}
}

/** A release's own JSON file (`datapackage.json`, `changelog.json`), parsed. */
export async function readReleaseJson<T>(dir: string, release: string, file: string): Promise<T> {
	return JSON.parse(await readFile(path.join(dir, release, file), 'utf8')) as T;
}

/** Flushes a file or directory to disk (a rename is durable only once its directory is). */
export async function fsyncPath(target: string): Promise<void> {
	const handle = await open(target, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * Makes a finished temporary directory the release `id`: fsyncs its files and itself, renames
 * it, and fsyncs the releases directory. Fails (leaving nothing half-done) if `id` exists.
 */
export async function commitRelease(dir: string, temporary: string, id: string): Promise<void> {
	for (const file of await readdir(temporary)) await fsyncPath(path.join(temporary, file));
	await fsyncPath(temporary);
	// rename(2) refuses to replace a non-empty directory: two publishers never merge releases.
	await rename(temporary, path.join(dir, id));
	await fsyncPath(dir);
}

/** Points `latest` at `id`, atomically (readers see the old pointer or the new one). */
export async function pointLatestAt(dir: string, id: string): Promise<void> {
	const temporary = path.join(dir, `.${LATEST_POINTER_FILE}.${process.pid}.tmp`);
	await writeFile(temporary, `${JSON.stringify({ release: id })}\n`);
	await fsyncPath(temporary);
	await rename(temporary, path.join(dir, LATEST_POINTER_FILE));
	await fsyncPath(dir);
}

/** Removes all but the newest `keep` releases (never the one `latest` names); returns them. */
export async function pruneReleases(dir: string, keep: number): Promise<string[]> {
	if (keep <= 0) return [];
	const latest = await latestReleaseId(dir);
	const ids = await listReleaseIds(dir);
	const removed = ids.slice(0, Math.max(0, ids.length - keep)).filter((id) => id !== latest);
	for (const id of removed) await rm(path.join(dir, id), { recursive: true, force: true });
	return removed;
}

/** A publisher's temporary directory for a release (hidden, and never a release id). */
export function temporaryReleaseDir(dir: string): string {
	return path.join(dir, `.tmp-${process.pid}-${Date.now().toString(36)}`);
}

/**
 * Removes temporary directories a publisher left when it died. Only those older than `minAgeMs`:
 * another process may be publishing right now (a publish takes minutes, not hours).
 */
export async function removeAbandonedTemporaries(dir: string, minAgeMs = 6 * 3600_000) {
	for (const entry of await readdir(dir)) {
		if (!entry.startsWith('.tmp-')) continue;
		const { mtimeMs } = await stat(path.join(dir, entry));
		if (Date.now() - mtimeMs >= minAgeMs)
			await rm(path.join(dir, entry), { recursive: true, force: true });
	}
}

function isMissing(error: unknown): boolean {
	return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
