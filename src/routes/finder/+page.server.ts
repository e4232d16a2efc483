import { error } from '@sveltejs/kit';
import { ApiError } from '$lib/server/indicators/api';
import { findLowCoverage } from '$lib/server/indicators/low-coverage';
import { appDb } from '$lib/server/indicators/source';
import type { PageServerLoad } from './$types';

/**
 * Open to everyone: commune figures are public (domain.md §6, §7), read from the latest
 * release (suppressed) unless the user may see the province's figures unsuppressed.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		return await findLowCoverage(appDb, url.searchParams, locals.user);
	} catch (e) {
		if (e instanceof ApiError) error(e.status, e.message);
		throw e;
	}
};
