import { json } from '@sveltejs/kit';
import { ApiError } from '$lib/server/indicators/api';
import { appDb, sourceFor } from '$lib/server/indicators/source';
import type { RequestHandler } from './$types';

/**
 * The periods with figures, newest first (months, quarters, years): the computed ones for
 * national users, the latest release's for everyone else.
 */
export const GET: RequestHandler = async ({ locals }) => {
	try {
		return json(await (await sourceFor(appDb, locals.user, [])).periods());
	} catch (e) {
		if (e instanceof ApiError) return json({ error: e.message }, { status: e.status });
		throw e;
	}
};
