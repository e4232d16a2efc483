import { error } from '@sveltejs/kit';
import { ApiError } from '$lib/server/indicators/api';
import { getRolloutView } from '$lib/server/indicators/rollout-view';
import { appDb, sourceFor } from '$lib/server/indicators/source';
import type { PageServerLoad } from './$types';

/**
 * Public: every figure is an aggregate over the nation or a province, never a person; read
 * from the latest release unless the user may see the whole country unsuppressed.
 */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		return { rollout: await getRolloutView(await sourceFor(appDb, locals.user, [])) };
	} catch (e) {
		if (e instanceof ApiError) error(e.status, e.message);
		throw e;
	}
};
