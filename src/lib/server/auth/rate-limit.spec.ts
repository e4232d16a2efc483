import { describe, expect, it } from 'vitest';
import { LOGIN_LIMITS, LoginLimiter } from './rate-limit';

describe('login rate limit', () => {
	it('uses 5 per username and 20 per address in 15 minutes', () => {
		expect(LOGIN_LIMITS).toEqual({ perUsername: 5, perAddress: 20, windowSeconds: 900 });
	});

	it('allows 5 failures for a username and blocks the 6th attempt for the window', async () => {
		const limiter = new LoginLimiter();
		for (let attempt = 1; attempt <= 5; attempt++) {
			expect(await limiter.retryAfterSeconds('sokha', '10.0.0.1')).toBe(0);
			await limiter.recordFailure('sokha', '10.0.0.1');
		}
		const wait = await limiter.retryAfterSeconds('sokha', '10.0.0.2');
		expect(wait).toBeGreaterThan(890);
		expect(wait).toBeLessThanOrEqual(900);
		// Other usernames from the same address are unaffected (5 of its 20 used).
		expect(await limiter.retryAfterSeconds('dara', '10.0.0.1')).toBe(0);
	});

	it('blocks an address after 20 failures across usernames', async () => {
		const limiter = new LoginLimiter();
		for (let i = 0; i < 20; i++) await limiter.recordFailure(`user${i}`, '10.0.0.9');
		expect(await limiter.retryAfterSeconds('someone-new', '10.0.0.9')).toBeGreaterThan(0);
		expect(await limiter.retryAfterSeconds('someone-new', '10.0.0.10')).toBe(0);
	});

	it('forgets a username’s failures after a successful login, but not the address’s', async () => {
		const limiter = new LoginLimiter({ perUsername: 2, perAddress: 3, windowSeconds: 900 });
		await limiter.recordFailure('sokha', '10.0.0.1');
		await limiter.recordFailure('sokha', '10.0.0.1');
		expect(await limiter.retryAfterSeconds('sokha', '10.0.0.2')).toBeGreaterThan(0);
		await limiter.recordSuccess('sokha');
		expect(await limiter.retryAfterSeconds('sokha', '10.0.0.2')).toBe(0);
		await limiter.recordFailure('sokha', '10.0.0.1');
		expect(await limiter.retryAfterSeconds('dara', '10.0.0.1')).toBeGreaterThan(0);
	});

	it('keeps counting past the limit without throwing', async () => {
		const limiter = new LoginLimiter({ perUsername: 1, perAddress: 100, windowSeconds: 900 });
		await limiter.recordFailure('sokha', '10.0.0.1');
		await limiter.recordFailure('sokha', '10.0.0.1');
		expect(await limiter.retryAfterSeconds('sokha', '10.0.0.1')).toBeGreaterThan(0);
	});
});
