/** Reading the audit log for admins: filtered, newest first, a page at a time or as CSV. */
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Db } from '../db';
import { AUDIT_ACTIONS, auditLog } from '../db/schema-auth';

/** Entries per page of the audit view: enough for a day of a busy office, small to render. */
export const AUDIT_PAGE_SIZE = 100;

/** Rows in one CSV export at most: the export is for an inquiry, not a backup of the table. */
export const AUDIT_EXPORT_LIMIT = 100_000;

/** The filter of the audit view, from its query string. */
export const AUDIT_FILTER = z
	.object({
		action: z.enum(AUDIT_ACTIONS).optional(),
		actor: z.string().trim().max(64).optional(),
		from: z.iso.date().optional(),
		to: z.iso.date().optional(),
		page: z.coerce.number().int().min(1).max(10_000).default(1)
	})
	.strict();

export type AuditFilter = z.infer<typeof AUDIT_FILTER>;

/** One entry as the view and the export show it. */
export interface AuditEntry {
	id: number;
	at: string;
	actor: string | null;
	action: string;
	target: string | null;
	address: string | null;
	detail: Record<string, unknown>;
}

function conditions(filter: AuditFilter): SQL | undefined {
	const parts: SQL[] = [];
	if (filter.action) parts.push(eq(auditLog.action, filter.action));
	if (filter.actor) parts.push(eq(auditLog.actor, filter.actor.toLowerCase()));
	if (filter.from) parts.push(gte(auditLog.at, new Date(`${filter.from}T00:00:00Z`)));
	// `to` is inclusive: everything before the next day.
	if (filter.to) {
		const next = new Date(`${filter.to}T00:00:00Z`);
		next.setUTCDate(next.getUTCDate() + 1);
		parts.push(lt(auditLog.at, next));
	}
	return parts.length ? and(...parts) : undefined;
}

/** Entries matching the filter, newest first; `limit` defaults to a page at the filter's page. */
export async function listAudit(
	db: Db,
	filter: AuditFilter,
	limit = AUDIT_PAGE_SIZE
): Promise<{ entries: AuditEntry[]; more: boolean }> {
	const rows = await db
		.select()
		.from(auditLog)
		.where(conditions(filter))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(limit + 1)
		.offset(limit === AUDIT_PAGE_SIZE ? (filter.page - 1) * AUDIT_PAGE_SIZE : 0);
	return {
		more: rows.length > limit,
		entries: rows.slice(0, limit).map((row) => ({
			id: row.id,
			at: row.at.toISOString(),
			actor: row.actor,
			action: row.action,
			target: row.target,
			address: row.address,
			detail: row.detail
		}))
	};
}

/** The entries as CSV, the detail as JSON in one column. */
export function auditCsv(entries: readonly AuditEntry[]): string {
	return stringify(
		entries.map((e) => [
			e.id,
			e.at,
			e.actor ?? '',
			e.action,
			e.target ?? '',
			e.address ?? '',
			JSON.stringify(e.detail)
		]),
		{ header: true, columns: ['id', 'at', 'actor', 'action', 'target', 'address', 'detail'] }
	);
}
