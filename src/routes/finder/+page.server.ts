import { error } from '@sveltejs/kit';
import { getAppDatabase } from '$lib/server/db';
import { ApiError } from '$lib/server/indicators/api';
import { findLowCoverage } from '$lib/server/indicators/low-coverage';
import type { PageServerLoad } from './$types';

/**
 * Open to everyone: commune figures are public (domain.md §6, §7). Small-cell suppression of
 * the public view is issue #6; until then every role sees the same commune figures.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const { db } = await getAppDatabase();
	try {
		return await findLowCoverage(db, url.searchParams, locals.user);
	} catch (e) {
		if (e instanceof ApiError) error(e.status, e.message);
		throw e;
	}
};
