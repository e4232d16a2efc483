import { json } from '@sveltejs/kit';
import { hasRole, villageAccessProblem } from '$lib/server/auth/guard';
import { ApiError } from '$lib/server/indicators/api';
import { cachedAnswer } from '$lib/server/indicators/response-cache';
import { getUnitValues } from '$lib/server/indicators/series';
import { appDb, sourceFor } from '$lib/server/indicators/source';
import type { RequestHandler } from './$types';

/** Every indicator for one unit and period (the dashboard's unit panel and funnels). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const problem = villageAccessProblem(locals.user, [params.code]);
	if (problem) return json({ error: problem }, { status: 403 });
	try {
		const withInternal = hasRole(locals.user, 'national');
		// Internal indicators are in national users' answers only: part of the cache key.
		const key = new URL(url);
		if (withInternal) key.searchParams.set('~internal', '1');
		const source = await sourceFor(appDb, locals.user, [params.code]);
		const answer = await cachedAnswer(source, key, async () => {
			const profile = await getUnitValues(source, params.code, url.searchParams, withInternal);
			return {
				body: JSON.stringify(profile),
				contentType: 'application/json',
				rows: profile.values.length
			};
		});
		return new Response(answer.body, { headers: { 'content-type': answer.contentType } });
	} catch (e) {
		if (e instanceof ApiError) return json({ error: e.message }, { status: e.status });
		throw e;
	}
};
