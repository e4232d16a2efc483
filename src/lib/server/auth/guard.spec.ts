import { isHttpError, isRedirect } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import type { Role } from '../db/schema-auth';
import { canSeeProvince, hasRole, loginPath, requireRole, safeNextPath } from './guard';
import type { AuthUser } from './sessions';

// The guard reads the request's URL for the login redirect; here there is no request.
vi.mock('$app/server', () => ({
	getRequestEvent: () => ({ url: new URL('http://portal.test/admin/users?q=sok&/create') })
}));

const user = (role: Role, provinces: string[] = []): AuthUser => ({
	id: 1,
	username: role,
	role,
	provinces
});

/** What `requireRole` does: `ok`, a redirect target, or an HTTP error status. */
function outcome(u: AuthUser | null, ...roles: Role[]): string {
	try {
		requireRole({ user: u, lang: 'en' }, ...roles);
		return 'ok';
	} catch (e) {
		if (isRedirect(e)) return `${e.status} ${e.location}`;
		if (isHttpError(e)) return String(e.status);
		throw e;
	}
}

describe('requireRole', () => {
	it('sends anonymous visitors to the login page, coming back without the action key', () => {
		expect(outcome(null, 'national')).toBe('303 /login?next=%2Fadmin%2Fusers%3Fq%3Dsok');
	});

	it('admits each role to what it is listed for, and refuses the others with 403', () => {
		const table = (['partner', 'province', 'national', 'admin'] as const).map((role) => [
			role,
			outcome(user(role, role === 'province' ? ['17'] : []), 'national'),
			outcome(user(role, role === 'province' ? ['17'] : []), 'partner', 'province'),
			outcome(user(role, role === 'province' ? ['17'] : []), 'admin')
		]);
		expect(table).toEqual([
			['partner', '403', 'ok', '403'],
			['province', '403', 'ok', '403'],
			['national', 'ok', '403', '403'],
			['admin', 'ok', 'ok', 'ok']
		]);
	});

	it('returns the user', () => {
		const admin = user('admin');
		expect(requireRole({ user: admin, lang: 'en' }, 'admin')).toBe(admin);
	});

	it('hasRole is false for the public', () => {
		expect(hasRole(null, 'partner')).toBe(false);
		expect(hasRole(user('partner'), 'partner')).toBe(true);
	});
});

describe('canSeeProvince', () => {
	const siemReapAndKampot = user('province', ['17', '07']);

	it('lets provincial staff see units of their provinces at every level', () => {
		expect(
			['17', '1701', '170101', '17010101', '07', '0701'].map((c) =>
				canSeeProvince(siemReapAndKampot, c)
			)
		).toEqual([true, true, true, true, true, true]);
	});

	it('keeps provincial staff to the public view elsewhere and at national level', () => {
		expect(['01', '1801', '70', 'KH', ''].map((c) => canSeeProvince(siemReapAndKampot, c))).toEqual(
			[false, false, false, false, false]
		);
	});

	it('gives national and admin everything, partners and the public nothing', () => {
		expect(canSeeProvince(user('national'), '05')).toBe(true);
		expect(canSeeProvince(user('admin'), '0505')).toBe(true);
		expect(canSeeProvince(user('partner'), '05')).toBe(false);
		expect(canSeeProvince(null, '05')).toBe(false);
	});
});

describe('login redirects', () => {
	it('builds the login path for a page', () => {
		expect(loginPath(new URL('http://portal.test/'))).toBe('/login?next=%2F');
		expect(loginPath(new URL('http://portal.test/?level=district&code=17'))).toBe(
			'/login?next=%2F%3Flevel%3Ddistrict%26code%3D17'
		);
	});

	it('follows `next` only to a path on this site', () => {
		expect(
			[
				'/admin/users',
				'/?level=commune&code=1701#map',
				null,
				'',
				'admin',
				'//evil.example/x',
				'/\\evil.example',
				'/\t/evil.example',
				'https://evil.example/',
				'javascript:alert(1)'
			].map(safeNextPath)
		).toEqual([
			'/admin/users',
			'/?level=commune&code=1701#map',
			'/',
			'/',
			'/',
			'/',
			'/',
			'/',
			'/',
			'/'
		]);
	});
});
