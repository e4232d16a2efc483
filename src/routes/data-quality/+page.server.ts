import { requireRole } from '$lib/server/auth/guard';
import { getAppDatabase } from '$lib/server/db';
import { listBenefitsBeforeEnrolment } from '$lib/server/registry/benefit-checks';
import { listPossibleDuplicatePairs } from '$lib/server/registry/members';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'national');
	const { db } = await getAppDatabase();
	return {
		pairs: await listPossibleDuplicatePairs(db),
		earlyBenefits: await listBenefitsBeforeEnrolment(db)
	};
};
