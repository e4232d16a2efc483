import { json } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/auth/audit';
import { requireRole } from '$lib/server/auth/guard';
import { AUDIT_EXPORT_LIMIT, AUDIT_FILTER, auditCsv, listAudit } from '$lib/server/auth/audit-log';
import { getAppDatabase } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** The filtered audit log as CSV (at most AUDIT_EXPORT_LIMIT entries); the export is audited. */
export const GET: RequestHandler = async ({ locals, url, getClientAddress }) => {
	const admin = requireRole(locals, 'admin');
	const parsed = AUDIT_FILTER.safeParse(
		Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''))
	);
	if (!parsed.success) return json({ error: parsed.error.issues[0]!.message }, { status: 400 });
	const { db } = await getAppDatabase();
	const { entries } = await listAudit(db, parsed.data, AUDIT_EXPORT_LIMIT);
	await recordAudit(
		db,
		{ actor: admin.username, address: getClientAddress() },
		{ action: 'export', target: 'audit log', detail: { rows: entries.length, filter: parsed.data } }
	);
	return new Response(auditCsv(entries), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="audit-log.csv"',
			'cache-control': 'private, no-store'
		}
	});
};
