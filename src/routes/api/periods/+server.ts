import { json } from '@sveltejs/kit';
import { getAppDatabase } from '$lib/server/db';
import { computedPeriods } from '$lib/server/indicators/query';
import type { RequestHandler } from './$types';

/** The periods with computed indicator values, newest first (months, quarters, years). */
export const GET: RequestHandler = async () => {
	const { db } = await getAppDatabase();
	return json(await computedPeriods(db));
};
