/**
 * Puts the signed-in user (or null) on `event.locals.user` for every request, from the session
 * cookie. SvelteKit's CSRF check (form posts must come from this origin) stays on: it is the
 * default and is not configured away in svelte.config.js.
 */
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { compressResponse } from '$lib/server/compress';
import { log } from '$lib/server/log';
import { handleServerError } from '$lib/server/request-errors';
import { isLanguage, LANGUAGE_COOKIE } from '$lib/i18n';
import { startScheduler } from '$lib/server/jobs/scheduler';
import { appDatabaseOpened, getAppDatabase } from '$lib/server/db';
import {
	deleteSessionCookie,
	SESSION_COOKIE,
	setSessionCookie,
	sessionIdFromToken,
	validateSessionToken
} from '$lib/server/auth/sessions';
import { recentValidation, rememberValidation } from '$lib/server/auth/session-cache';

/**
 * With RUN_JOBS=in-process the server also runs the scheduled jobs (drop folder, nightly
 * refresh). The embedded PGlite database admits one process, so the demo runs them here;
 * with Postgres, run `npm run jobs` as its own process instead.
 */
export const init: ServerInit = async () => {
	if (process.env.RUN_JOBS !== 'in-process') return;
	const stop = startScheduler(await getAppDatabase(), (message) =>
		log.info({ job: true }, message)
	);
	process.once('sveltekit:shutdown', stop);
};

// adapter-node emits this on SIGINT/SIGTERM once in-flight requests are done: close the pool
// (or the embedded database) so the process exits promptly and PGlite flushes to disk.
process.once('sveltekit:shutdown', async () => {
	if (appDatabaseOpened()) await (await getAppDatabase()).close();
});

/** Headers every response carries; the Content-Security-Policy is set in svelte.config.js. */
const SECURITY_HEADERS = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
	'cross-origin-opener-policy': 'same-origin'
};

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	const lang = event.cookies.get(LANGUAGE_COOKIE);
	event.locals.lang = isLanguage(lang) ? lang : 'en';
	const token = event.cookies.get(SESSION_COOKIE);
	// Anonymous requests (most public traffic) never touch the database here.
	if (token) {
		const secure = event.url.protocol === 'https:';
		const { db } = await getAppDatabase();
		const cached = recentValidation(sessionIdFromToken(token));
		const validation = cached ?? (await validateSessionToken(db, token));
		if (validation && !cached) rememberValidation(validation);
		if (!validation) {
			deleteSessionCookie(event.cookies, secure);
		} else {
			event.locals.user = validation.user;
			if (validation.renewed)
				setSessionCookie(event.cookies, token, validation.session.expiresAt, secure);
		}
	}
	// app.html carries `lang="%lang%"`, so screen readers and fonts know the page's language.
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.lang)
	});
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
	if (event.url.protocol === 'https:') {
		response.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
	}
	// adapter-node compresses only the prebuilt static files: pages and JSON are compressed here.
	return compressResponse(event.request, response);
};

export const handleError: HandleServerError = handleServerError(log);
