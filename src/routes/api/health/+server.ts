import { json } from '@sveltejs/kit';
import { checkDatabase } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Liveness and database reachability, for load balancers and monitoring. */
export const GET: RequestHandler = async () => {
	const database = await checkDatabase();
	return json(
		{ status: database.ok ? 'ok' : 'degraded', database },
		{ status: database.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
