/**
 * Login sessions, following the Lucia guide (https://lucia-auth.com/sessions/basic): the
 * browser holds a random token; the database holds only its SHA-256 as the session id.
 * Sessions last 30 days and slide forward when used with less than 15 days left, so an active
 * user stays signed in and an idle one is signed out.
 */
import { forgetSession, forgetUserSessions } from './session-cache';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { eq, lte } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions, users, type Role } from '../db/schema-auth';
import type { DbOrTransaction } from './audit';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long a session lasts from its creation or its last renewal. */
export const SESSION_LIFETIME_MS = 30 * DAY_MS;

/** A session used with less than this left is renewed for a full lifetime. */
export const SESSION_RENEWAL_WINDOW_MS = 15 * DAY_MS;

/** Name of the cookie holding the session token. */
export const SESSION_COOKIE = 'ssdm_session';

/** 20 random bytes (160 bits) as lower-case base32: 32 characters of `a-z2-7`. */
const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

/** The signed-in user as the app sees it (`event.locals.user`). */
export interface AuthUser {
	id: number;
	username: string;
	role: Role;
	/** 2-digit province codes; non-empty only for role `province`. */
	provinces: string[];
}

/** A session as stored. */
export interface Session {
	id: string;
	userId: number;
	expiresAt: Date;
}

/** A valid session's user and expiry; `renewed` when this validation extended it. */
export interface SessionValidation {
	user: AuthUser;
	session: Session;
	renewed: boolean;
}

/** A new random session token, to give to the browser and never store. */
export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** The session id stored for a token: its SHA-256 in hex. */
export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Stores a session for the token, expiring a full lifetime after `now`. */
export async function createSession(
	db: DbOrTransaction,
	token: string,
	userId: number,
	now: Date = new Date()
): Promise<Session> {
	const session: Session = {
		id: sessionIdFromToken(token),
		userId,
		expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS)
	};
	await db.insert(sessions).values({ ...session, createdAt: now });
	return session;
}

/**
 * The user behind a token, or null when the token is malformed, unknown, expired, or its user
 * is disabled (expired and disabled users' sessions are deleted on the way). Renews the session
 * when it is used in the last half of its lifetime.
 */
export async function validateSessionToken(
	db: Db,
	token: string,
	now: Date = new Date()
): Promise<SessionValidation | null> {
	if (!TOKEN_PATTERN.test(token)) return null;
	const id = sessionIdFromToken(token);
	const [row] = await db
		.select({
			expiresAt: sessions.expiresAt,
			userId: users.id,
			username: users.username,
			role: users.role,
			provinces: users.provinces,
			disabled: users.disabled
		})
		.from(sessions)
		.innerJoin(users, eq(sessions.userId, users.id))
		.where(eq(sessions.id, id));
	if (!row) return null;
	if (now.getTime() >= row.expiresAt.getTime() || row.disabled) {
		await invalidateSession(db, id);
		return null;
	}
	const session: Session = { id, userId: row.userId, expiresAt: row.expiresAt };
	let renewed = false;
	if (now.getTime() >= row.expiresAt.getTime() - SESSION_RENEWAL_WINDOW_MS) {
		session.expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
		await db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id));
		renewed = true;
	}
	return {
		user: { id: row.userId, username: row.username, role: row.role, provinces: row.provinces },
		session,
		renewed
	};
}

/** Ends one session (logout). */
export async function invalidateSession(db: DbOrTransaction, sessionId: string): Promise<void> {
	forgetSession(sessionId);
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user (disabled account, password reset); returns how many. */
export async function invalidateUserSessions(db: DbOrTransaction, userId: number): Promise<number> {
	forgetUserSessions(userId);
	const deleted = await db
		.delete(sessions)
		.where(eq(sessions.userId, userId))
		.returning({ id: sessions.id });
	return deleted.length;
}

/** Deletes sessions that expired before `now` (housekeeping; validation ignores them anyway). */
export async function deleteExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
	const deleted = await db
		.delete(sessions)
		.where(lte(sessions.expiresAt, now))
		.returning({ id: sessions.id });
	return deleted.length;
}

/**
 * Sets the session cookie: httpOnly (scripts cannot read it), SameSite=Lax (not sent on
 * cross-site form posts), Secure on https, expiring with the session.
 */
export function setSessionCookie(
	cookies: Cookies,
	token: string,
	expiresAt: Date,
	secure: boolean
): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		expires: expiresAt
	});
}

/** Removes the session cookie (with the same attributes, or browsers keep it). */
export function deleteSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
