/**
 * The language switch: a form post that stores the choice in a cookie and returns to the page
 * it came from. A plain form, so it works before (or without) JavaScript.
 */
import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { LANGUAGE_COOKIE, LANGUAGES } from '$lib/i18n';
import type { Actions } from './$types';

/** A year: the choice outlives sessions, like any display preference. */
const COOKIE_MAX_AGE_S = 365 * 24 * 3600;

const CHOICE = z.object({
	lang: z.enum(LANGUAGES),
	// Only a path on this site: an absolute URL here would make the switch an open redirect.
	to: z
		.string()
		.regex(/^\/(?!\/)/, 'to must be a path on this site')
		.default('/')
});

export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const parsed = CHOICE.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { error: parsed.error.issues[0]!.message });
		cookies.set(LANGUAGE_COOKIE, parsed.data.lang, {
			path: '/',
			maxAge: COOKIE_MAX_AGE_S,
			sameSite: 'lax',
			httpOnly: false,
			secure: url.protocol === 'https:'
		});
		redirect(303, parsed.data.to);
	}
};
