/**
 * Access checks for load functions and actions (roles and scopes of `shared/domain.md` §7).
 *
 * `admin` passes every role check: §7 gives it everything `national` has, and `national` sees
 * everything the other roles see. Otherwise a check lists the roles it admits.
 */
import { error, redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import type { Role } from '../db/schema-auth';
import type { AuthUser } from './sessions';

/** Whether the user holds one of the roles (admins hold them all). */
export function hasRole(user: AuthUser | null, ...roles: Role[]): user is AuthUser {
	return user !== null && (user.role === 'admin' || roles.includes(user.role));
}

/**
 * The signed-in user when they hold one of the roles. Otherwise stops the request: anonymous
 * visitors are sent to the login page (coming back here afterwards), signed-in users without
 * the role get a 403.
 */
export function requireRole(locals: App.Locals, ...roles: Role[]): AuthUser {
	const user = locals.user;
	if (!user) redirect(303, loginPath(getRequestEvent().url));
	if (!hasRole(user, ...roles)) error(403, 'Your account does not give access to this page.');
	return user;
}

/**
 * Whether the user may see unsuppressed figures for a unit in this province. Takes any NCDD
 * code (province `17`, district `1701`, … village `17010101`): a unit's province is its first
 * two digits. Anonymous users and partners see the public view only; the nation (`KH`) belongs
 * to no province, so provincial staff see it publicly too.
 */
export function canSeeProvince(user: AuthUser | null, code: string): boolean {
	if (!user) return false;
	if (user.role === 'national' || user.role === 'admin') return true;
	if (user.role !== 'province' || !/^[0-9]{2}/.test(code)) return false;
	return user.provinces.includes(code.slice(0, 2));
}

/** NCDD village codes have 8 digits (domain.md §1). */
const VILLAGE_CODE = /^\d{8}$/;

/**
 * Why the user may not read figures of these units, or null when they may: village figures
 * are internal (§6: public figures stop at commune level), for staff of the village's province.
 */
export function villageAccessProblem(
	user: AuthUser | null,
	codes: readonly string[]
): string | null {
	const hidden = codes.find((code) => VILLAGE_CODE.test(code) && !canSeeProvince(user, code));
	return hidden
		? `village figures are internal (${hidden}): log in with an account for its province`
		: null;
}

/** The login page address that returns to `url` afterwards (form-action query keys dropped). */
export function loginPath(url: URL): string {
	const params = new URLSearchParams([...url.searchParams].filter(([key]) => !key.startsWith('/')));
	const search = params.size > 0 ? `?${params}` : '';
	return `/login?next=${encodeURIComponent(url.pathname + search)}`;
}

/**
 * `next` when it is a path on this site, else `/`: the login form must not become an open
 * redirect to another site (`//evil.example`, `/\evil.example`, `https://…`).
 */
export function safeNextPath(next: string | null | undefined): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	const base = 'http://portal.invalid';
	try {
		const url = new URL(next, base);
		if (url.origin !== base) return '/';
		return url.pathname + url.search + url.hash;
	} catch {
		return '/';
	}
}
