/**
 * The releases as the downloads page lists them: read from each release's `datapackage.json`
 * and `changelog.json` in the releases directory, never from the database (domain.md §8).
 */
import path from 'node:path';
import {
	RELEASE_FORMATS,
	RELEASE_LEVELS,
	releaseFileUrl,
	UNITS_FILE,
	type ReleaseFormat,
	type ReleaseLevel
} from '../../releases/schema';
import type { ReleaseChangelog } from './changelog';
import type { ReleaseDataPackage, ReleaseResource } from './datapackage';
import {
	CHANGELOG_FILE,
	DATAPACKAGE_FILE,
	latestReleaseId,
	listReleaseIds,
	readReleaseJson
} from './store';

/** One file of a dataset, as a download link. */
export interface DownloadFile {
	format: ReleaseFormat;
	/** The file name in the release (`commune.csv`). */
	name: string;
	url: string;
	bytes: number;
	hash: string;
}

/** What the page shows of one release. */
export interface ReleaseListing {
	id: string;
	asOf: string;
	created: string;
	latest: boolean;
	definitionsFingerprint: string;
	periods: { count: number; first: string; last: string };
	datasets: { level: ReleaseLevel; rows: number; files: DownloadFile[] }[];
	datapackageUrl: string;
	/** `units.csv` (releases before it existed have none). */
	unitsUrl: string | null;
	changelogUrl: string;
	changes: {
		previous: string | null;
		definitionsChanged: boolean;
		indicatorsChanged: string[];
		periodsAdded: string[];
		periodsRemoved: string[];
		/** Rows added, removed and changed per level. */
		levels: { level: ReleaseLevel; added: number; removed: number; changed: number }[];
	};
}

// A release never changes once published, so its listing is read once per process. Keyed by
// the directory too, so tests with their own directories never share entries.
const cache = new Map<string, Promise<Omit<ReleaseListing, 'latest'>>>();

async function readListing(dir: string, id: string): Promise<Omit<ReleaseListing, 'latest'>> {
	const descriptor = await readReleaseJson<ReleaseDataPackage>(dir, id, DATAPACKAGE_FILE);
	const changelog = await readReleaseJson<ReleaseChangelog>(dir, id, CHANGELOG_FILE);
	const sorted = [...descriptor.periods].sort();
	return {
		id,
		asOf: descriptor.asOf,
		created: descriptor.created,
		definitionsFingerprint: descriptor.definitionsFingerprint,
		periods: { count: sorted.length, first: sorted[0] ?? '', last: sorted.at(-1) ?? '' },
		datasets: RELEASE_LEVELS.map((level) => {
			const resources = descriptor.resources.filter(
				(r): r is ReleaseResource => 'level' in r && r.level === level
			);
			return {
				level,
				rows: resources[0]?.rows ?? 0,
				files: RELEASE_FORMATS.flatMap((format) => {
					const resource = resources.find((r) => r.format === format);
					return resource
						? [
								{
									format,
									name: resource.path,
									url: releaseFileUrl(id, resource.path),
									bytes: resource.bytes,
									hash: resource.hash
								}
							]
						: [];
				})
			};
		}),
		datapackageUrl: releaseFileUrl(id, DATAPACKAGE_FILE),
		unitsUrl: descriptor.resources.some((r) => r.name === 'units')
			? releaseFileUrl(id, UNITS_FILE)
			: null,
		changelogUrl: releaseFileUrl(id, CHANGELOG_FILE),
		changes: {
			previous: changelog.previous,
			definitionsChanged: changelog.definitions.changed,
			indicatorsChanged: [
				...changelog.definitions.indicatorsChanged,
				...changelog.definitions.indicatorsAdded,
				...changelog.definitions.indicatorsRemoved
			],
			periodsAdded: changelog.periods.added,
			periodsRemoved: changelog.periods.removed,
			levels: RELEASE_LEVELS.map((level) => ({
				level,
				added: changelog.levels[level].added,
				removed: changelog.levels[level].removed,
				changed: changelog.levels[level].changed
			}))
		}
	};
}

/** Every release, newest first, with the one `latest` names marked. */
export async function listReleases(dir: string): Promise<ReleaseListing[]> {
	const latest = await latestReleaseId(dir);
	const ids = (await listReleaseIds(dir)).reverse();
	const listings: ReleaseListing[] = [];
	for (const id of ids) {
		const key = path.join(dir, id);
		let pending = cache.get(key);
		if (!pending) {
			pending = readListing(dir, id);
			cache.set(key, pending);
			pending.catch(() => cache.delete(key));
		}
		try {
			listings.push({ ...(await pending), latest: id === latest });
		} catch {
			// Removed since it was listed (pruned): leave it out.
		}
	}
	return listings;
}
