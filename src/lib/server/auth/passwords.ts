/**
 * Password hashing with Argon2id at the OWASP minimum configuration
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id):
 * 19 MiB of memory, 2 iterations, 1 degree of parallelism. One hash takes tens of
 * milliseconds and 19 MiB, which one ordinary server can afford per login.
 */
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

/** Shortest accepted password; length beats composition rules (NIST SP 800-63B §3.1.1.2). */
export const MIN_PASSWORD_LENGTH = 10;

/** Longest accepted password: bounds the hashing work a hostile form post can ask for. */
export const MAX_PASSWORD_LENGTH = 256;

/** `Algorithm.Argon2id`: the package's enum is `const`, which isolated modules cannot read. */
const ARGON2ID = 2 as Algorithm;

const ARGON2_OPTIONS: Options = {
	algorithm: ARGON2ID,
	memoryCost: 19_456, // KiB = 19 MiB
	timeCost: 2,
	parallelism: 1,
	outputLen: 32
};

/** Hashes a password into a PHC string that carries its own salt and parameters. */
export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

/** Whether the password matches the stored hash; a malformed hash never matches. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

let decoyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, for usernames that do not exist or cannot log
 * in, so response times do not tell an attacker which usernames are real. The decoy hash is
 * computed once per process from a random string; it holds nothing about any user.
 */
export async function verifyDecoy(password: string): Promise<false> {
	decoyHash ??= hashPassword(crypto.randomUUID());
	await verifyPassword(await decoyHash, password);
	return false;
}
