/**
 * Recently validated sessions, so a burst of requests from one signed-in user (a dashboard
 * asks for a dozen figures at once; the API bench sends thousands a second) does not look the
 * same session up in Postgres every time.
 *
 * A validation is reused for at most SESSION_CACHE_MS. Logout, a password reset or disabling an
 * account forget the sessions concerned at once in this process; another app instance notices
 * within SESSION_CACHE_MS, the price of not asking the database on every request. Sessions due
 * for renewal are never cached, so the sliding expiry still moves.
 */
import type { SessionValidation } from './sessions';

/** How long a validation is trusted without asking the database again. */
export const SESSION_CACHE_MS = 2000;

/** Sessions kept at most: a bound, so a flood of distinct tokens cannot grow the map. */
const MAX_SESSIONS = 10_000;

const validated = new Map<string, { validation: SessionValidation; until: number }>();

/** A validation of this session made less than SESSION_CACHE_MS ago, if any. */
export function recentValidation(sessionId: string, now = Date.now()): SessionValidation | null {
	const entry = validated.get(sessionId);
	if (!entry) return null;
	if (now >= entry.until) {
		validated.delete(sessionId);
		return null;
	}
	return entry.validation;
}

/** Remembers a validation (not one that renewed the session, nor past the session's expiry). */
export function rememberValidation(validation: SessionValidation, now = Date.now()): void {
	if (validation.renewed) return;
	const until = Math.min(now + SESSION_CACHE_MS, validation.session.expiresAt.getTime());
	if (validated.size >= MAX_SESSIONS) validated.clear();
	validated.set(validation.session.id, { validation, until });
}

/** Forgets one session (logout). */
export function forgetSession(sessionId: string): void {
	validated.delete(sessionId);
}

/** Forgets every session of a user (password reset, disabled account). */
export function forgetUserSessions(userId: number): void {
	for (const [id, entry] of validated) {
		if (entry.validation.user.id === userId) validated.delete(id);
	}
}
