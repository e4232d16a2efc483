/** The audit log of sign-ins and account changes (table `audit_log`). */
import type { DbOrTx } from '../db';
import { auditLog, type AuditAction } from '../db/schema-auth';

/** A database or an open transaction, so an event commits together with the change it records. */
export type DbOrTransaction = DbOrTx;

/** Who is acting and from where, passed down from the request (or the command line). */
export interface AuditContext {
	/** The signed-in user's username; null when anonymous or on the command line. */
	actor: string | null;
	/** The client address; null on the command line. */
	address: string | null;
	/** How the change was made when not through the web app (e.g. `cli`). */
	via?: string;
}

/** One event to record. */
export interface AuditEvent {
	action: AuditAction;
	/** The account acted on (a username), if any. */
	target?: string | null;
	detail?: Record<string, unknown>;
	/** Event time; defaults to the database's clock. Tests inject it. */
	at?: Date;
}

/** Appends one event to the audit log. */
export async function recordAudit(
	db: DbOrTransaction,
	context: AuditContext,
	event: AuditEvent
): Promise<void> {
	const detail = { ...event.detail, ...(context.via ? { via: context.via } : {}) };
	await db.insert(auditLog).values({
		action: event.action,
		actor: context.actor,
		address: context.address,
		target: event.target ?? null,
		detail,
		...(event.at ? { at: event.at } : {})
	});
}
