import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { AUDIT_FILTER, listAudit } from '$lib/server/auth/audit-log';
import { AUDIT_ACTIONS } from '$lib/server/db/schema-auth';
import { getAppDatabase } from '$lib/server/db';
import type { PageServerLoad } from './$types';

/** The audit log for admins (issue #7): filter by action, account and dates. */
export const load: PageServerLoad = async ({ locals, url }) => {
	requireRole(locals, 'admin');
	const parsed = AUDIT_FILTER.safeParse(
		Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''))
	);
	if (!parsed.success) error(400, parsed.error.issues[0]!.message);
	const { db } = await getAppDatabase();
	const { entries, more } = await listAudit(db, parsed.data);
	return { filter: parsed.data, entries, more, actions: AUDIT_ACTIONS };
};
