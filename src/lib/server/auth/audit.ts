/**
 * The audit log (table `audit_log`): sign-ins, account changes, imports, exports of internal
 * data and job runs. Details carry counts, file names and ids, never a registry member's data.
 */
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

/** The context of work done by the system itself: a scheduled job, the command line. */
export function systemContext(via: string): AuditContext {
	return { actor: null, address: null, via };
}

/**
 * Runs a job and records its run (or failure) in the audit log, with its duration and what
 * `describe` says of its result; a run `describe` calls idle (`null`: a drop-folder scan that
 * found no file, every minute) is not recorded. A failure is recorded and rethrown.
 */
export async function auditedJob<T>(
	db: DbOrTransaction,
	context: AuditContext,
	job: string,
	run: () => Promise<T>,
	describe: (result: T) => Record<string, unknown> | null = () => ({})
): Promise<T> {
	const started = performance.now();
	const duration = () => Math.round(performance.now() - started);
	let result: T;
	try {
		result = await run();
	} catch (error) {
		await recordAudit(db, context, {
			action: 'job_failed',
			target: job,
			detail: {
				duration_ms: duration(),
				error: error instanceof Error ? error.message : String(error)
			}
		});
		throw error;
	}
	const detail = describe(result);
	if (detail) {
		await recordAudit(db, context, {
			action: 'job_run',
			target: job,
			detail: { duration_ms: duration(), ...detail }
		});
	}
	return result;
}
