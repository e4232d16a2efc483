import { json } from '@sveltejs/kit';
import { hasRole, villageAccessProblem } from '$lib/server/auth/guard';
import { getAppDatabase } from '$lib/server/db';
import { ApiError } from '$lib/server/indicators/api';
import { cachedAnswer } from '$lib/server/indicators/response-cache';
import { getUnitValues } from '$lib/server/indicators/series';
import type { RequestHandler } from './$types';

/** Every indicator for one unit and period (the dashboard's unit panel and funnels). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const problem = villageAccessProblem(locals.user, [params.code]);
	if (problem) return json({ error: problem }, { status: 403 });
	const { db } = await getAppDatabase();
	try {
		const withInternal = hasRole(locals.user, 'national');
		// Internal indicators are in national users' answers only: part of the cache key.
		const key = new URL(url);
		if (withInternal) key.searchParams.set('~internal', '1');
		const answer = await cachedAnswer(db, key, async () => {
			const profile = await getUnitValues(db, params.code, url.searchParams, withInternal);
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
