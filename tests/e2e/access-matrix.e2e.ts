/**
 * Every route with every role (domain.md §7): who gets the page, who is sent to log in, who is
 * refused. Requests go straight to the server, as someone editing URLs would send them.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';

type Who = 'public' | 'partner' | 'province' | 'national' | 'admin';
const WHO: Who[] = ['public', 'partner', 'province', 'national', 'admin'];

const base = () => inject('baseUrl');
const cookies: Partial<Record<Who, string>> = {};

async function logIn(username: string, password: string): Promise<string> {
	const response = await fetch(new URL('/login', base()), {
		method: 'POST',
		redirect: 'manual',
		// accept: text/html makes it a plain form post, answered with a redirect (fetch's
		// default `*/*` is treated as an enhanced form and answered with JSON).
		headers: {
			origin: base(),
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ username, password, next: '/' })
	});
	expect(response.status, `log in as ${username}`).toBe(303);
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('ssdm_session='));
	expect(cookie, `session cookie for ${username}`).toBeDefined();
	return cookie!.split(';')[0]!;
}

async function request(who: Who, method: 'GET' | 'POST', path: string) {
	const headers: Record<string, string> = { origin: base(), accept: 'text/html' };
	if (cookies[who]) headers.cookie = cookies[who]!;
	const init: RequestInit = { method, redirect: 'manual', headers };
	if (method === 'POST') {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		init.body = new URLSearchParams({ username: '' });
	}
	const response = await fetch(new URL(path, base()), init);
	await response.arrayBuffer();
	return response.status;
}

// Expected status for [public, partner, province, national, admin]. 303 = sent to log in.
const MATRIX: [method: 'GET' | 'POST', path: string, expected: number[]][] = [
	['GET', '/', [200, 200, 200, 200, 200]],
	['GET', '/?level=commune&code=1701', [200, 200, 200, 200, 200]],
	['GET', '/indicators', [200, 200, 200, 200, 200]],
	// Signed-in users are sent on from the login page.
	['GET', '/login', [200, 303, 303, 303, 303]],
	['GET', '/api/indicators', [200, 200, 200, 200, 200]],
	[
		'GET',
		'/api/indicators/registration_coverage?level=district&parent=17',
		[200, 200, 200, 200, 200]
	],
	// Village figures are internal (§6): staff of the province, national and admin only.
	[
		'GET',
		'/api/indicators/registration_coverage?level=village&parent=1701',
		[403, 403, 200, 200, 200]
	],
	[
		'GET',
		'/api/indicators/registration_coverage?level=village&parent=0102',
		[403, 403, 403, 200, 200]
	],
	['GET', '/api/indicators/registration_coverage?level=village', [403, 403, 403, 200, 200]],
	['GET', '/api/geo/units/1701', [200, 200, 200, 200, 200]],
	['GET', '/api/indicators/take_up/series?units=KH,17', [200, 200, 200, 200, 200]],
	// A village's series is internal like its values: the province's staff only.
	[
		'GET',
		'/api/indicators/registration_coverage/series?units=17,17010101',
		[403, 403, 200, 200, 200]
	],
	['GET', '/api/indicators/registration_coverage/series?units=01020101', [403, 403, 403, 200, 200]],
	['GET', '/api/indicators/possible_duplicates/series?units=KH', [403, 403, 403, 200, 200]],
	['GET', '/api/units/17/values', [200, 200, 200, 200, 200]],
	['GET', '/api/units/17010101/values', [403, 403, 200, 200, 200]],
	['GET', '/api/units/01020101/values', [403, 403, 403, 200, 200]],
	['GET', '/api/programmes', [200, 200, 200, 200, 200]],
	['GET', '/api/periods', [200, 200, 200, 200, 200]],
	// The language switch is open to all; a post without a language is refused with a reason.
	['GET', '/language', [200, 200, 200, 200, 200]],
	['POST', '/language', [400, 400, 400, 400, 400]],
	['GET', '/geo/district?parent=17', [200, 200, 200, 200, 200]],
	['GET', '/api/health', [200, 200, 200, 200, 200]],
	// The latest release is public (earlier ones: downloads.e2e.ts); unknown files are 404.
	['GET', '/downloads', [200, 200, 200, 200, 200]],
	['GET', '/releases/latest/datapackage.json', [200, 200, 200, 200, 200]],
	['GET', '/releases/latest/passwords.csv', [404, 404, 404, 404, 404]],
	['GET', '/data-quality', [303, 403, 403, 200, 200]],
	['GET', '/refresh', [303, 403, 403, 200, 200]],
	['POST', '/refresh?/full', [303, 403, 403, 403, 200]],
	// Possible duplicates are an internal indicator (§5).
	['GET', '/api/indicators/possible_duplicates?level=province', [403, 403, 403, 200, 200]],
	['GET', '/admin/users', [303, 403, 403, 403, 200]],
	['GET', '/admin/imports', [303, 403, 403, 403, 200]],
	['GET', '/admin/imports/1/rejected.csv', [303, 403, 403, 403, 200]],
	['GET', '/admin/imports/jobs/no-such-job', [303, 403, 403, 403, 404]],
	// Form actions with an empty form: admins get the validation error, others never get that far.
	['POST', '/admin/imports?/upload', [303, 403, 403, 403, 400]],
	['POST', '/admin/users?/create', [303, 403, 403, 403, 400]]
];

describe('access by role', () => {
	beforeAll(async () => {
		const accounts = inject('accounts');
		const admin = inject('admin');
		cookies.partner = await logIn(accounts.partner.username, accounts.partner.password);
		cookies.province = await logIn(accounts.province.username, accounts.province.password);
		cookies.national = await logIn(accounts.national.username, accounts.national.password);
		cookies.admin = await logIn(admin.username, admin.password);
	});

	it.each(MATRIX)('%s %s', async (method, path, expected) => {
		const actual: number[] = [];
		for (const who of WHO) actual.push(await request(who, method, path));
		expect(Object.fromEntries(WHO.map((w, i) => [w, actual[i]]))).toEqual(
			Object.fromEntries(WHO.map((w, i) => [w, expected[i]]))
		);
	});

	it('refuses a cross-site form post even with an admin session', async () => {
		const response = await fetch(new URL('/admin/users?/create', base()), {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: 'https://attacker.example',
				accept: 'text/html',
				cookie: cookies.admin!,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ username: 'intruder' })
		});
		expect(response.status).toBe(403);
	});
});
