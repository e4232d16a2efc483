import { getAppDatabase } from '$lib/server/db';
import { getRolloutView } from '$lib/server/indicators/rollout-view';
import type { PageServerLoad } from './$types';

/** Public: every figure is an aggregate over the nation or a province, never a person. */
export const load: PageServerLoad = async () => {
	const { db } = await getAppDatabase();
	return { rollout: await getRolloutView(db) };
};
