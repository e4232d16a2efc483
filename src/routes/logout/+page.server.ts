import { redirect } from '@sveltejs/kit';
import { logOut } from '$lib/server/auth/login';
import { deleteSessionCookie, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { getAppDatabase } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/');
	return {};
};

export const actions: Actions = {
	default: async ({ cookies, locals, url, getClientAddress }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) {
			const { db } = await getAppDatabase();
			await logOut(db, token, locals.user, getClientAddress());
		}
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/');
	}
};
