/**
 * Brute-force protection for the login form, with rate-limiter-flexible's in-memory limiter
 * (https://github.com/animir/node-rate-limiter-flexible/wiki/Overall-example#login-endpoint-protection).
 *
 * Limits: 5 failed logins per username and 20 per client address, each in a 15-minute window
 * from the first failure. The username limit stops guessing one account's password from many
 * addresses; the address limit stops one client trying many usernames. The price of the
 * username limit is that anyone can lock an account out for 15 minutes by failing on purpose;
 * that is acceptable for a staff portal, and the window is short.
 *
 * In memory means: counters live in this process, are lost on restart, and are not shared
 * between processes. That is right for the single adapter-node instance this portal runs as;
 * with several instances behind a load balancer, swap `RateLimiterMemory` for
 * `RateLimiterPostgres` (same API) so they share the counts.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Limits of one login limiter. */
export interface LoginLimits {
	/** Failed logins allowed per username in the window. */
	perUsername: number;
	/** Failed logins allowed per client address in the window. */
	perAddress: number;
	/** Window length, in seconds, from the first failure. */
	windowSeconds: number;
}

/** The limits the app uses. */
export const LOGIN_LIMITS: LoginLimits = { perUsername: 5, perAddress: 20, windowSeconds: 15 * 60 };

/** Counts failed logins per username and per address and says when to refuse new attempts. */
export class LoginLimiter {
	readonly #byUsername: RateLimiterMemory;
	readonly #byAddress: RateLimiterMemory;
	readonly #limits: LoginLimits;

	constructor(limits: LoginLimits = LOGIN_LIMITS) {
		this.#limits = limits;
		this.#byUsername = new RateLimiterMemory({
			keyPrefix: 'login_fail_username',
			points: limits.perUsername,
			duration: limits.windowSeconds
		});
		this.#byAddress = new RateLimiterMemory({
			keyPrefix: 'login_fail_address',
			points: limits.perAddress,
			duration: limits.windowSeconds
		});
	}

	/** Seconds until this username and address may try again; 0 when they may try now. */
	async retryAfterSeconds(username: string, address: string): Promise<number> {
		const [byUsername, byAddress] = await Promise.all([
			this.#byUsername.get(username),
			this.#byAddress.get(address)
		]);
		let waitMs = 0;
		if (byUsername && byUsername.consumedPoints >= this.#limits.perUsername)
			waitMs = Math.max(waitMs, byUsername.msBeforeNext);
		if (byAddress && byAddress.consumedPoints >= this.#limits.perAddress)
			waitMs = Math.max(waitMs, byAddress.msBeforeNext);
		return Math.ceil(waitMs / 1000);
	}

	/** Counts one failed login against the username and the address. */
	async recordFailure(username: string, address: string): Promise<void> {
		await Promise.all([
			consumeIgnoringLimit(this.#byUsername, username),
			consumeIgnoringLimit(this.#byAddress, address)
		]);
	}

	/**
	 * Forgets the username's failures after a successful login. The address keeps its count: a
	 * client that guesses many usernames does not get a fresh budget by owning one account.
	 */
	async recordSuccess(username: string): Promise<void> {
		await this.#byUsername.delete(username);
	}
}

/** Consumes a point; a key already over its limit rejects with a `RateLimiterRes`, which is fine. */
async function consumeIgnoringLimit(limiter: RateLimiterMemory, key: string): Promise<void> {
	try {
		await limiter.consume(key);
	} catch (e) {
		if (!(e instanceof RateLimiterRes)) throw e;
	}
}

/**
 * The web app's limiter, one per process. Module-level on purpose, like the connection pool:
 * it must outlive requests to count across them, and it holds counters only, no user data.
 */
export const loginLimiter = new LoginLimiter();
