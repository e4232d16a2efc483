import { fail, redirect } from '@sveltejs/kit';
import type { LoginFailure } from '$lib/i18n/account';
import { safeNextPath } from '$lib/server/auth/guard';
import { logIn } from '$lib/server/auth/login';
import { loginLimiter } from '$lib/server/auth/rate-limit';
import { setSessionCookie } from '$lib/server/auth/sessions';
import { getAppDatabase } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNextPath(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '');
		const password = String(form.get('password') ?? '');
		const { db } = await getAppDatabase();
		const outcome = await logIn(db, loginLimiter, {
			username,
			password,
			address: getClientAddress()
		});
		if (!outcome.ok) {
			// The page words the reason in its language.
			const failure: LoginFailure =
				outcome.reason === 'throttled'
					? { reason: 'throttled', minutes: Math.ceil(outcome.retryAfterSeconds / 60) }
					: { reason: 'wrong', minutes: 0 };
			return fail(outcome.reason === 'throttled' ? 429 : 400, { username, ...failure });
		}
		setSessionCookie(cookies, outcome.token, outcome.expiresAt, url.protocol === 'https:');
		redirect(303, safeNextPath(String(form.get('next') ?? '')));
	}
};
