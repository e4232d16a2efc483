/**
 * A cache of the indicator API's answers. Stored values change only when a refresh finishes
 * (domain.md §5: computed by `refresh`, never on request), so an answer can be reused until the
 * next refresh; the cache is keyed by the request's URL and the source's generation: for the
 * store the newest finished refresh, for public figures the release. That refresh is looked
 * up at most once per GENERATION_CHECK_MS, so a refresh run by another process
 * (`npm run refresh`, `npm run jobs`) shows within a second.
 *
 * Answers depend on who asks only through the source (store or release, part of the key):
 * each route checks access before it reads the cache.
 * The cache is per process and bounded by MAX_CACHED_BYTES (least recently used out first).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';
import type { IndicatorSource } from './source';

/** How stale the refresh generation may be: a second. */
const GENERATION_CHECK_MS = 1000;

/** Room for the answers: a province's villages are ~200 KB; most answers are a few KB. */
export const MAX_CACHED_BYTES = 64 * 1024 * 1024;

let generation: { value: string; checkedAt: number; pending?: Promise<string> } | undefined;

/** Identifies the stored values: the newest finished refresh (its id and end). */
export async function currentGeneration(db: Db): Promise<string> {
	const now = Date.now();
	if (generation && now - generation.checkedAt < GENERATION_CHECK_MS) return generation.value;
	if (generation?.pending) return generation.pending;
	const pending = queryRows<{ generation: string }>(
		db,
		sql`SELECT coalesce(max(id), 0) || ':' || coalesce(max(finished_at)::text, '') AS generation
			FROM refresh_runs WHERE finished_at IS NOT NULL`
	).then(([row]) => row?.generation ?? '');
	generation = { value: generation?.value ?? '', checkedAt: generation?.checkedAt ?? 0, pending };
	try {
		const value = await pending;
		generation = { value, checkedAt: Date.now() };
		return value;
	} catch (error) {
		generation = undefined;
		throw error;
	}
}

/** A cached answer: its body and content type. */
export interface CachedAnswer {
	body: string;
	contentType: string;
	/** Rows in the answer (for the audit of exports). */
	rows: number;
}

const answers = new Map<string, CachedAnswer>();
let cachedBytes = 0;

function remember(key: string, answer: CachedAnswer) {
	answers.set(key, answer);
	cachedBytes += answer.body.length;
	for (const [oldKey, old] of answers) {
		if (cachedBytes <= MAX_CACHED_BYTES) break;
		answers.delete(oldKey);
		cachedBytes -= old.body.length;
	}
}

/**
 * The answer for `url` computed by `compute`, or the one computed earlier for the same URL and
 * the same stored values. Errors are not cached.
 */
export async function cachedAnswer(
	source: IndicatorSource,
	url: URL,
	compute: () => Promise<CachedAnswer>
): Promise<CachedAnswer> {
	// The date is in the key: without `period` the API answers for the latest complete month.
	const today = new Date().toISOString().slice(0, 10);
	const key = `${await source.generation()}|${today}|${url.pathname}?${url.searchParams}`;
	const hit = answers.get(key);
	if (hit) {
		// Most recently used last, so eviction takes the oldest.
		answers.delete(key);
		answers.set(key, hit);
		return hit;
	}
	const answer = await compute();
	remember(key, answer);
	return answer;
}

/** Empties the cache (tests). */
export function clearAnswerCache(): void {
	answers.clear();
	cachedBytes = 0;
	generation = undefined;
}
