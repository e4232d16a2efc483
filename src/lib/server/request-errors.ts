/**
 * What the server does with an error no page or endpoint expected (`handleError` in
 * `hooks.server.ts`): a failure of the server (status 500 and above) is logged with a
 * reference, which the error pages show (`routes/+error.svelte`, `src/error.html`), so that
 * an administrator can find the log line a user reports; its text never reaches the browser
 * (it may name tables, hosts or records).
 * A request for a page that does not exist (404) is routine: logged at `debug` only.
 */
import { randomUUID } from 'node:crypto';
import type { HandleServerError } from '@sveltejs/kit';
import type { Logger } from 'pino';

export function handleServerError(log: Logger): HandleServerError {
	return ({ error, event, status, message }) => {
		const request = { status, method: event.request.method, path: event.url.pathname };
		if (status < 500) {
			log.debug(request, message);
			return { message };
		}
		const id = randomUUID();
		log.error({ ...request, route: event.route.id, id, err: error }, 'request failed');
		// The message carries the reference too: the page drawn when the portal fails before any
		// of its pages can be (`src/error.html`) shows the message only.
		return { message: `Internal Error (reference ${id})`, id };
	};
}
