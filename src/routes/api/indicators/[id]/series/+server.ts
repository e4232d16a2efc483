import { json } from '@sveltejs/kit';
import { hasRole, villageAccessProblem } from '$lib/server/auth/guard';
import { indicatorById } from '$lib/indicators/catalogue';
import { ApiError } from '$lib/server/indicators/api';
import { cachedAnswer } from '$lib/server/indicators/response-cache';
import { getIndicatorSeries } from '$lib/server/indicators/series';
import { appDb, sourceFor } from '$lib/server/indicators/source';
import type { RequestHandler } from './$types';

/** One indicator over time for a few units (`units=17,1701`), every computed period of a kind. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (indicatorById(params.id)?.internal && !hasRole(locals.user, 'national')) {
		return json(
			{ error: `${params.id} is internal: log in with a national or admin account` },
			{ status: 403 }
		);
	}
	const codes = (url.searchParams.get('units') ?? '').split(',');
	const problem = villageAccessProblem(locals.user, codes);
	if (problem) return json({ error: problem }, { status: 403 });
	try {
		const source = await sourceFor(appDb, locals.user, codes);
		const answer = await cachedAnswer(source, url, async () => {
			const points = await getIndicatorSeries(source, params.id, url.searchParams);
			return { body: JSON.stringify(points), contentType: 'application/json', rows: points.length };
		});
		return new Response(answer.body, { headers: { 'content-type': answer.contentType } });
	} catch (e) {
		if (e instanceof ApiError) return json({ error: e.message }, { status: e.status });
		throw e;
	}
};
