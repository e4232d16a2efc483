import type { LayoutServerLoad } from './$types';

/** The display language, and the signed-in user for the header (fields picked, so nothing more reaches the browser). */
export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		lang: locals.lang,
		user: user
			? { id: user.id, username: user.username, role: user.role, provinces: user.provinces }
			: null
	};
};
