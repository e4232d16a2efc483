import { describe, expect, it } from 'vitest';
import {
	forgetSession,
	forgetUserSessions,
	recentValidation,
	rememberValidation,
	SESSION_CACHE_MS
} from './session-cache';
import type { SessionValidation } from './sessions';

const validation = (id: string, userId: number, renewed = false): SessionValidation => ({
	user: { id: userId, username: `u${userId}`, role: 'national', provinces: [] },
	session: { id, userId, expiresAt: new Date(10_000_000) },
	renewed
});

describe('session cache', () => {
	it('reuses a validation for SESSION_CACHE_MS, not after', () => {
		rememberValidation(validation('a', 1), 1000);
		expect(recentValidation('a', 1000 + SESSION_CACHE_MS - 1)?.user.id).toBe(1);
		expect(recentValidation('a', 1000 + SESSION_CACHE_MS)).toBeNull();
	});

	it('never outlives the session, and never keeps a renewal', () => {
		rememberValidation(
			{ ...validation('b', 2), session: { id: 'b', userId: 2, expiresAt: new Date(1500) } },
			1000
		);
		expect(recentValidation('b', 1499)).not.toBeNull();
		expect(recentValidation('b', 1500)).toBeNull();
		rememberValidation(validation('c', 3, true), 1000);
		expect(recentValidation('c', 1001)).toBeNull();
	});

	it('forgets a logged-out session and every session of a disabled user at once', () => {
		rememberValidation(validation('d', 4), 1000);
		rememberValidation(validation('e', 5), 1000);
		rememberValidation(validation('f', 5), 1000);
		forgetSession('d');
		forgetUserSessions(5);
		expect([
			recentValidation('d', 1001),
			recentValidation('e', 1001),
			recentValidation('f', 1001)
		]).toEqual([null, null, null]);
	});
});
