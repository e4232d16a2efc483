/**
 * Runtime configuration, read once from the environment. Every setting has a default that
 * works on a fresh clone with `../shared` beside it, so `npm run demo` needs no setup.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Absolute path of the repository root (the process is always started from it). */
export const PROJECT_ROOT = process.cwd();

function resolveFromRoot(p: string): string {
	return path.isAbsolute(p) ? p : path.resolve(PROJECT_ROOT, p);
}

/** Postgres connection string; when unset the embedded PGlite database is used. */
export function databaseUrl(): string | undefined {
	const url = process.env.DATABASE_URL?.trim();
	return url ? url : undefined;
}

/** Directory of the embedded PGlite database (used only when DATABASE_URL is unset). */
export function pgliteDir(): string {
	return resolveFromRoot(process.env.PGLITE_DIR ?? 'data/db/pglite');
}

/** Where the reference geodata is read from: GEO_DIR, else `../shared/geo` when it exists. */
export function geoSourceDir(): string {
	if (process.env.GEO_DIR) return resolveFromRoot(process.env.GEO_DIR);
	const shared = path.resolve(PROJECT_ROOT, '../shared/geo');
	return existsSync(shared) ? shared : resolveFromRoot('data/geo-source');
}

/** Where `npm run geo` writes the map layers the web app serves. */
export function geoLayersDir(): string {
	return resolveFromRoot(process.env.GEO_LAYERS_DIR ?? 'data/geo');
}

/** Where `npm run demo:data` writes the demo import files. */
export function demoDataDir(): string {
	return resolveFromRoot(process.env.DEMO_DATA_DIR ?? 'data/demo');
}

/** The drop folder: files placed in `inbox/` are imported, then moved to `processed/` or `failed/`. */
export function dropFolderDir(): string {
	return resolveFromRoot(process.env.IMPORT_DROP_DIR ?? 'data/drop');
}

/** Cron schedule of the drop-folder import (default: every minute). */
export function dropFolderSchedule(): string {
	return process.env.IMPORT_DROP_CRON ?? '* * * * *';
}

/** Cron schedule of the full indicator refresh (default: 02:00 every night). */
export function refreshSchedule(): string {
	return process.env.REFRESH_CRON ?? '0 2 * * *';
}

/**
 * How long (seconds) a full refresh waits, at its end, for sessions reading the stored
 * indicators before it gives up (default 600); see `lockStores`.
 */
export function refreshLockWait(): number {
	const seconds = Number(process.env.REFRESH_LOCK_WAIT ?? 600);
	return Number.isFinite(seconds) && seconds >= 0 ? seconds : 600;
}

/** Where `npm run publish` writes the releases that `/releases/…` and `/downloads` serve. */
export function releasesDir(): string {
	return resolveFromRoot(process.env.RELEASES_DIR ?? 'data/releases');
}

/**
 * How many releases to keep (the newest); unset or 0 keeps every release, so that a release
 * URL cited in a report keeps working. Pruning is for servers short of disk.
 */
export function releasesKeep(): number {
	const keep = Number(process.env.RELEASES_KEEP ?? 0);
	return Number.isInteger(keep) && keep > 0 ? keep : 0;
}
