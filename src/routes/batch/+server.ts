/**
 * Several GETs of the portal's own API in one round trip: `GET /batch?url=/api/…&url=/api/…`
 * answers `[{ status, statusText, body }]` in the order asked, each the API's own answer (its
 * JSON body, or null when it is not JSON). The map page asks for its unit panel this way: seven
 * requests on a 150 ms mobile round trip queue behind each other (six connections per host)
 * and behind the next drill-down's map data.
 *
 * Each URL is fetched through SvelteKit's `event.fetch`, so it runs the API's own handler with
 * the caller's cookies: the same answer, permissions and disclosure rules as asking directly.
 * Only same-origin `/api/` paths are accepted.
 */
import { json } from '@sveltejs/kit';
import type { BatchAnswer } from '$lib/batch';
import type { RequestHandler } from './$types';

/** More than the page asks for at once (the panel: seven), few enough to stay cheap. */
const MAX_BATCH_URLS = 12;

export const GET: RequestHandler = async ({ url, fetch }) => {
	const urls = url.searchParams.getAll('url');
	if (urls.length === 0 || urls.length > MAX_BATCH_URLS) {
		return json({ error: `Give between 1 and ${MAX_BATCH_URLS} url parameters.` }, { status: 400 });
	}
	for (const target of urls) {
		const parsed = new URL(target, url.origin);
		if (parsed.origin !== url.origin || !parsed.pathname.startsWith('/api/')) {
			return json(
				{ error: `Only this site's /api/ paths can be batched: ${target}` },
				{ status: 400 }
			);
		}
	}
	const answers = await Promise.all(
		urls.map(async (target): Promise<BatchAnswer> => {
			const response = await fetch(target);
			let body: unknown = null;
			try {
				body = await response.json();
			} catch {
				// Not JSON (or empty): the status says what there is to say.
			}
			return { status: response.status, statusText: response.statusText, body };
		})
	);
	// Per user (the answers follow the caller's permissions), and as fresh as the API's.
	return json(answers, { headers: { 'cache-control': 'private, no-store' } });
};
