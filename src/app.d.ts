// See https://svelte.dev/docs/kit/types#app.d.ts
import type { AuthUser } from '$lib/server/auth/sessions';
import type { Language } from '$lib/i18n';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** A server failure's reference in the server's log (see `request-errors.ts`). */
			id?: string;
		}
		interface Locals {
			/** The signed-in user, set by `hooks.server.ts`; null for the public. */
			user: AuthUser | null;
			/** The display language, from the `lang` cookie (English by default). */
			lang: Language;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
