/** Accounts end to end on a real database: login, sessions, disabling, limits and the audit log. */
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, logOut } from '../../src/lib/server/auth/login';
import { LoginLimiter } from '../../src/lib/server/auth/rate-limit';
import {
	createSession,
	deleteExpiredSessions,
	generateSessionToken,
	SESSION_LIFETIME_MS,
	sessionIdFromToken,
	validateSessionToken
} from '../../src/lib/server/auth/sessions';
import * as users from '../../src/lib/server/auth/users';
import { auditLog, geoUnits, sessions } from '../../src/lib/server/db/schema';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = new Date('2025-03-01T08:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);
const ADMIN = { actor: 'root', address: '10.0.0.1' };
const PASSWORD = 'mekong river 2025';

describe.each(DATABASE_KINDS)('accounts on %s', (kind) => {
	let database: TestDatabase;
	const db = () => database.db;

	/** The audit events about one account, oldest first, without ids and times. */
	const auditOf = async (target: string) =>
		db()
			.select({
				actor: auditLog.actor,
				action: auditLog.action,
				detail: auditLog.detail,
				address: auditLog.address
			})
			.from(auditLog)
			.where(eq(auditLog.target, target))
			.orderBy(asc(auditLog.id));

	const sessionCount = async (userId: number) =>
		(
			await db()
				.select({ n: sql<number>`count(*)::int` })
				.from(sessions)
				.where(eq(sessions.userId, userId))
		)[0]!.n;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('creates accounts, normalising usernames, and refuses a taken one', async () => {
		const user = await users.createUser(
			db(),
			{ username: ' Sokha ', password: PASSWORD, role: 'province', provinces: '17, 05' },
			ADMIN
		);
		expect(user).toMatchObject({
			username: 'sokha',
			role: 'province',
			provinces: ['05', '17'],
			disabled: false
		});
		await expect(
			users.createUser(db(), { username: 'SOKHA', password: PASSWORD, role: 'partner' }, ADMIN)
		).rejects.toThrow('Username sokha is already taken.');
		expect(await auditOf('sokha')).toEqual([
			{
				actor: 'root',
				action: 'user_create',
				detail: { role: 'province', provinces: ['05', '17'] },
				address: '10.0.0.1'
			}
		]);
	});

	it('stores only an Argon2id hash, never the password', async () => {
		const rows = await database.db.execute(
			sql`SELECT password_hash FROM users WHERE username = 'sokha'`
		);
		const hash = (rows as unknown as { rows: { password_hash: string }[] }).rows[0]!.password_hash;
		expect(hash.startsWith('$argon2id$')).toBe(true);
		expect(hash).not.toContain(PASSWORD);
	});

	it('has the database refuse a provincial account without provinces or with a bad code', async () => {
		const insert = (role: string, provinces: string) =>
			database.db.execute(
				sql`INSERT INTO users (username, password_hash, role, provinces)
					VALUES (${`x${Math.random()}`}, 'x', ${role}, ${provinces}::text[])`
			);
		await expect(insert('province', '{}')).rejects.toThrow();
		await expect(insert('province', '{170}')).rejects.toThrow();
		await expect(insert('national', '{17}')).rejects.toThrow();
		await expect(insert('superuser', '{}')).rejects.toThrow();
	});

	it('rejects provinces missing from the gazetteer once one is loaded', async () => {
		await db()
			.insert(geoUnits)
			.values([
				{ code: 'KH', level: 'national', nameEn: 'Cambodia', nameKm: 'កម្ពុជា' },
				{ code: '17', level: 'province', parentCode: 'KH', nameEn: 'Siem Reap', nameKm: 'សៀមរាប' },
				{ code: '05', level: 'province', parentCode: 'KH', nameEn: 'Kampong Speu', nameKm: 'កំពង់ស្ពឺ' }
			]);
		await expect(
			users.createUser(
				db(),
				{ username: 'vibol', password: PASSWORD, role: 'province', provinces: '17 71 99' },
				ADMIN
			)
		).rejects.toThrow('Provinces: not in the gazetteer: 71, 99.');
		expect((await users.listProvinces(db())).map((p) => p.code)).toEqual(['05', '17']);
	});

	it('logs in with the right password, case-insensitively, and opens a 30-day session', async () => {
		const outcome = await logIn(
			db(),
			new LoginLimiter(),
			{ username: 'SOKHA', password: PASSWORD, address: '10.0.0.5' },
			T0
		);
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		expect(outcome.user).toEqual({
			id: outcome.user.id,
			username: 'sokha',
			role: 'province',
			provinces: ['05', '17']
		});
		expect(outcome.expiresAt.toISOString()).toBe('2025-03-31T08:00:00.000Z');
		expect(outcome.token).toMatch(/^[a-z2-7]{32}$/);
		// Only the token's hash is stored.
		const [stored] = await db().select().from(sessions).where(eq(sessions.userId, outcome.user.id));
		expect(stored!.id).toBe(sessionIdFromToken(outcome.token));
		expect(stored!.id).toMatch(/^[0-9a-f]{64}$/);
		expect(stored!.id).not.toBe(outcome.token);

		const validation = await validateSessionToken(db(), outcome.token, at(1));
		expect(validation).toEqual({
			user: outcome.user,
			session: { id: stored!.id, userId: outcome.user.id, expiresAt: outcome.expiresAt },
			renewed: false
		});
	});

	it('rejects a wrong password with a generic outcome and audits the reason', async () => {
		const limiter = new LoginLimiter();
		const wrong = await logIn(
			db(),
			limiter,
			{ username: 'sokha', password: 'not the password', address: '10.0.0.6' },
			T0
		);
		const unknown = await logIn(
			db(),
			limiter,
			{ username: 'nobody', password: PASSWORD, address: '10.0.0.6' },
			T0
		);
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
		const failures = await auditOf('nobody');
		expect(failures).toEqual([
			{
				actor: null,
				action: 'login_failed',
				detail: { reason: 'unknown_user' },
				address: '10.0.0.6'
			}
		]);
		expect((await auditOf('sokha')).filter((e) => e.action === 'login_failed')).toEqual([
			{
				actor: null,
				action: 'login_failed',
				detail: { reason: 'wrong_password' },
				address: '10.0.0.6'
			}
		]);
	});

	it('expires a session after 30 days unused, and deletes it', async () => {
		const [user] = await users.listUsers(db());
		const used = generateSessionToken();
		const session = await createSession(db(), used, user!.id, T0);
		expect(session.expiresAt.getTime() - T0.getTime()).toBe(SESSION_LIFETIME_MS);
		const lastMoment = new Date(session.expiresAt.getTime() - 1);
		expect(await validateSessionToken(db(), used, lastMoment)).not.toBeNull();

		const unused = generateSessionToken();
		await createSession(db(), unused, user!.id, T0);
		expect(await validateSessionToken(db(), unused, at(30))).toBeNull();
		expect(
			await db()
				.select()
				.from(sessions)
				.where(eq(sessions.id, sessionIdFromToken(unused)))
		).toEqual([]);
	});

	it('renews a session used with less than 15 days left, and not before', async () => {
		const [user] = await users.listUsers(db());
		const token = generateSessionToken();
		await createSession(db(), token, user!.id, T0);
		const day14 = await validateSessionToken(db(), token, at(14));
		expect(day14?.renewed).toBe(false);
		expect(day14?.session.expiresAt.toISOString()).toBe('2025-03-31T08:00:00.000Z');
		const day15 = await validateSessionToken(db(), token, at(15));
		expect(day15?.renewed).toBe(true);
		expect(day15?.session.expiresAt.toISOString()).toBe('2025-04-15T08:00:00.000Z');
		// The renewal is stored: the next validation sees the new expiry.
		const day16 = await validateSessionToken(db(), token, at(16));
		expect(day16?.renewed).toBe(false);
		expect(day16?.session.expiresAt.toISOString()).toBe('2025-04-15T08:00:00.000Z');
		expect(await validateSessionToken(db(), token, at(44))).not.toBeNull();
		expect(await validateSessionToken(db(), token, at(46))).not.toBeNull(); // renewed at day 44
	});

	it('ignores malformed and unknown tokens', async () => {
		expect(await validateSessionToken(db(), '', T0)).toBeNull();
		expect(await validateSessionToken(db(), 'not a token', T0)).toBeNull();
		expect(await validateSessionToken(db(), generateSessionToken(), T0)).toBeNull();
	});

	it('ends the session on logout', async () => {
		const outcome = await logIn(
			db(),
			new LoginLimiter(),
			{ username: 'sokha', password: PASSWORD, address: '10.0.0.5' },
			T0
		);
		if (!outcome.ok) throw new Error('login failed');
		expect(await validateSessionToken(db(), outcome.token, at(1))).not.toBeNull();
		await logOut(db(), outcome.token, outcome.user, '10.0.0.5', at(1));
		expect(await validateSessionToken(db(), outcome.token, at(1))).toBeNull();
		const events = (await auditOf('sokha')).map((e) => e.action);
		expect(events.slice(-2)).toEqual(['login', 'logout']);
	});

	it('locks a disabled user out: no login, and open sessions stop working', async () => {
		const created = await users.createUser(
			db(),
			{ username: 'chenda', password: PASSWORD, role: 'national' },
			ADMIN
		);
		const limiter = new LoginLimiter();
		const first = await logIn(
			db(),
			limiter,
			{ username: 'chenda', password: PASSWORD, address: '10.0.0.7' },
			T0
		);
		if (!first.ok) throw new Error('login failed');
		const second = generateSessionToken();
		await createSession(db(), second, created.id, T0);
		expect(await sessionCount(created.id)).toBe(2);

		const disabled = await users.setDisabled(db(), created.id, true, ADMIN);
		expect(disabled.disabled).toBe(true);
		expect(await sessionCount(created.id)).toBe(0);
		expect(await validateSessionToken(db(), first.token, at(1))).toBeNull();
		expect(
			await logIn(
				db(),
				limiter,
				{ username: 'chenda', password: PASSWORD, address: '10.0.0.7' },
				T0
			)
		).toEqual({ ok: false, reason: 'invalid' });

		// A session that escaped the purge (e.g. created concurrently) is refused too.
		const stray = generateSessionToken();
		await createSession(db(), stray, created.id, T0);
		expect(await validateSessionToken(db(), stray, at(1))).toBeNull();

		await users.setDisabled(db(), created.id, false, ADMIN);
		const again = await logIn(
			db(),
			limiter,
			{ username: 'chenda', password: PASSWORD, address: '10.0.0.7' },
			T0
		);
		expect(again.ok).toBe(true);
		expect((await auditOf('chenda')).map((e) => [e.action, e.detail])).toEqual([
			['user_create', { role: 'national', provinces: [] }],
			['login', {}],
			['user_disable', { sessionsEnded: 2 }],
			['login_failed', { reason: 'disabled' }],
			['user_enable', {}],
			['login', {}]
		]);
	});

	it('blocks the 6th attempt for a username, even with the right password', async () => {
		const limiter = new LoginLimiter();
		const attempt = (password: string, address: string) =>
			logIn(db(), limiter, { username: 'sokha', password, address }, T0);
		for (let i = 1; i <= 5; i++)
			expect(await attempt(`wrong guess ${i}`, `192.0.2.${i}`)).toEqual({
				ok: false,
				reason: 'invalid'
			});
		const sixth = await attempt(PASSWORD, '192.0.2.6');
		expect(sixth).toMatchObject({ ok: false, reason: 'throttled' });
		// The window runs 15 minutes from the first failure, a moment ago (the limiter's clock).
		const wait = !sixth.ok && sixth.reason === 'throttled' ? sixth.retryAfterSeconds : 0;
		expect(wait).toBeGreaterThan(880);
		expect(wait).toBeLessThanOrEqual(900);
		const [last] = (await auditOf('sokha')).slice(-1);
		expect(last).toEqual({
			actor: null,
			action: 'login_failed',
			detail: { reason: 'throttled' },
			address: '192.0.2.6'
		});
	});

	it('changes role and provinces, and refuses an admin demoting or disabling themself', async () => {
		const root = await users.createUser(
			db(),
			{ username: 'root', password: PASSWORD, role: 'admin' },
			{ actor: null, address: null, via: 'cli' }
		);
		const [sokha] = (await users.listUsers(db())).filter((u) => u.username === 'sokha');
		const updated = await users.updateAccess(
			db(),
			sokha!.id,
			{ role: 'province', provinces: ['17'] },
			ADMIN
		);
		expect(updated).toMatchObject({ role: 'province', provinces: ['17'] });
		const national = await users.updateAccess(
			db(),
			sokha!.id,
			{ role: 'national', provinces: '17' },
			ADMIN
		);
		expect(national).toMatchObject({ role: 'national', provinces: [] });
		await expect(
			users.updateAccess(db(), sokha!.id, { role: 'province', provinces: [] }, ADMIN)
		).rejects.toThrow('Provinces: a provincial account needs at least one province.');
		await expect(users.updateAccess(db(), root.id, { role: 'national' }, ADMIN)).rejects.toThrow(
			'You cannot disable or demote your own account; ask another admin.'
		);
		await expect(users.setDisabled(db(), root.id, true, ADMIN)).rejects.toThrow(
			'You cannot disable or demote your own account; ask another admin.'
		);
		await expect(users.setDisabled(db(), 999_999, true, ADMIN)).rejects.toMatchObject({
			status: 404
		});
		expect(
			(await auditOf('sokha')).filter((e) => e.action === 'user_update').map((e) => e.detail)
		).toEqual([
			{
				from: { role: 'province', provinces: ['05', '17'] },
				to: { role: 'province', provinces: ['17'] }
			},
			{ from: { role: 'province', provinces: ['17'] }, to: { role: 'national', provinces: [] } }
		]);
		expect(await auditOf('root')).toEqual([
			{
				actor: null,
				action: 'user_create',
				detail: { role: 'admin', provinces: [], via: 'cli' },
				address: null
			}
		]);
	});

	it('resets a password: the old one stops working and every session ends', async () => {
		const [sokha] = (await users.listUsers(db())).filter((u) => u.username === 'sokha');
		const token = generateSessionToken();
		await createSession(db(), token, sokha!.id, T0);
		await expect(users.resetPassword(db(), sokha!.id, 'too short', ADMIN)).rejects.toThrow(
			'Password: at least 10 characters.'
		);
		const open = await sessionCount(sokha!.id);
		const ended = await users.resetPassword(db(), sokha!.id, 'a brand new passphrase', ADMIN);
		expect(ended).toBe(open);
		expect(await sessionCount(sokha!.id)).toBe(0);
		expect(await validateSessionToken(db(), token, at(1))).toBeNull();
		const limiter = new LoginLimiter();
		expect(
			(
				await logIn(
					db(),
					limiter,
					{ username: 'sokha', password: PASSWORD, address: '10.1.0.1' },
					T0
				)
			).ok
		).toBe(false);
		expect(
			(
				await logIn(
					db(),
					limiter,
					{ username: 'sokha', password: 'a brand new passphrase', address: '10.1.0.1' },
					T0
				)
			).ok
		).toBe(true);
	});

	it('deletes expired sessions in housekeeping', async () => {
		const [user] = await users.listUsers(db());
		await createSession(db(), generateSessionToken(), user!.id, at(-40));
		// Every other session so far was opened at T0 or later, so only this one has expired.
		expect(await deleteExpiredSessions(db(), T0)).toBe(1);
		expect(
			await db()
				.select()
				.from(sessions)
				.where(sql`${sessions.expiresAt} <= ${T0.toISOString()}`)
		).toEqual([]);
	});
});
