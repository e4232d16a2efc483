import { describe, expect, it } from 'vitest';
import { hashPassword, verifyDecoy, verifyPassword } from './passwords';

describe('password hashing', () => {
	it('hashes with Argon2id at the OWASP parameters (19 MiB, 2 passes, 1 lane)', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
	});

	it('verifies the right password and rejects a wrong one', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
		expect(await verifyPassword(hash, '')).toBe(false);
	});

	it('salts every hash, so equal passwords give different hashes', async () => {
		const [a, b] = await Promise.all([
			hashPassword('same password'),
			hashPassword('same password')
		]);
		expect(a).not.toBe(b);
		expect(await verifyPassword(b, 'same password')).toBe(true);
	});

	it('treats a malformed stored hash as no match rather than an error', async () => {
		expect(await verifyPassword('not-a-phc-string', 'anything at all')).toBe(false);
	});

	it('never accepts a password through the decoy', async () => {
		expect(await verifyDecoy('whatever the password')).toBe(false);
	});
});
