import { json } from '@sveltejs/kit';
import { hasRole, villageAccessProblem } from '$lib/server/auth/guard';
import { getAppDatabase } from '$lib/server/db';
import { ApiError } from '$lib/server/indicators/api';
import { getUnitValues } from '$lib/server/indicators/series';
import type { RequestHandler } from './$types';

/** Every indicator for one unit and period (the dashboard's unit panel and funnels). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const problem = villageAccessProblem(locals.user, [params.code]);
	if (problem) return json({ error: problem }, { status: 403 });
	const { db } = await getAppDatabase();
	try {
		const withInternal = hasRole(locals.user, 'national');
		return json(await getUnitValues(db, params.code, url.searchParams, withInternal));
	} catch (e) {
		if (e instanceof ApiError) return json({ error: e.message }, { status: e.status });
		throw e;
	}
};
