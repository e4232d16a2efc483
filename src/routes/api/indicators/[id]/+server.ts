import { json } from '@sveltejs/kit';
import { getAppDatabase } from '$lib/server/db';
import { ApiError, getIndicatorRows } from '$lib/server/indicators/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const { db } = await getAppDatabase();
	try {
		return json(await getIndicatorRows(db, params.id, url.searchParams));
	} catch (e) {
		if (e instanceof ApiError) return json({ error: e.message }, { status: e.status });
		throw e;
	}
};
