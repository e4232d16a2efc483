/**
 * Logging in and out: checks the password under the rate limits, opens or ends a session, and
 * audits every attempt. The caller sets or clears the cookie.
 */
import type { Db } from '../db';
import { recordAudit } from './audit';
import { verifyDecoy, verifyPassword } from './passwords';
import type { LoginLimiter } from './rate-limit';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	sessionIdFromToken,
	type AuthUser
} from './sessions';
import { findUserForLogin } from './users';

/** A login attempt as typed into the form. */
export interface LoginAttempt {
	username: string;
	password: string;
	/** The client address, for the per-address limit and the audit log. */
	address: string;
}

/** The outcome of a login attempt. `invalid` covers every wrong-credential case alike. */
export type LoginOutcome =
	| { ok: true; user: AuthUser; token: string; expiresAt: Date }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** Longest username kept in the audit log and the limiter: bounds what a hostile form can store. */
const MAX_LOGGED_USERNAME = 64;

/**
 * Checks a username and password. Unknown usernames, wrong passwords and disabled accounts
 * look the same to the caller and take the same time (a decoy verification), so the form does
 * not reveal which accounts exist; the audit log records the actual reason.
 */
export async function logIn(
	db: Db,
	limiter: LoginLimiter,
	attempt: LoginAttempt,
	now: Date = new Date()
): Promise<LoginOutcome> {
	const username = attempt.username.trim().toLowerCase().slice(0, MAX_LOGGED_USERNAME);
	const context = { actor: null, address: attempt.address };
	const retryAfterSeconds = await limiter.retryAfterSeconds(username, attempt.address);
	if (retryAfterSeconds > 0) {
		await recordAudit(db, context, {
			action: 'login_failed',
			target: username,
			detail: { reason: 'throttled' },
			at: now
		});
		return { ok: false, reason: 'throttled', retryAfterSeconds };
	}

	const user = username ? await findUserForLogin(db, username) : undefined;
	const passwordMatches =
		user && !user.disabled
			? await verifyPassword(user.passwordHash, attempt.password)
			: await verifyDecoy(attempt.password);
	if (!user || user.disabled || !passwordMatches) {
		await limiter.recordFailure(username, attempt.address);
		const reason = !user ? 'unknown_user' : user.disabled ? 'disabled' : 'wrong_password';
		await recordAudit(db, context, {
			action: 'login_failed',
			target: username,
			detail: { reason },
			at: now
		});
		return { ok: false, reason: 'invalid' };
	}

	await limiter.recordSuccess(username);
	const token = generateSessionToken();
	const session = await db.transaction(async (tx) => {
		const created = await createSession(tx, token, user.id, now);
		await recordAudit(
			tx,
			{ actor: user.username, address: attempt.address },
			{ action: 'login', target: user.username, at: now }
		);
		return created;
	});
	return {
		ok: true,
		user: { id: user.id, username: user.username, role: user.role, provinces: user.provinces },
		token,
		expiresAt: session.expiresAt
	};
}

/** Ends the session behind a token and audits the logout. */
export async function logOut(
	db: Db,
	token: string,
	user: AuthUser | null,
	address: string,
	now: Date = new Date()
): Promise<void> {
	await db.transaction(async (tx) => {
		await invalidateSession(tx, sessionIdFromToken(token));
		if (user)
			await recordAudit(
				tx,
				{ actor: user.username, address },
				{ action: 'logout', target: user.username, at: now }
			);
	});
}
