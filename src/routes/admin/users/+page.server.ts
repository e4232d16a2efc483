import { fail, type RequestEvent } from '@sveltejs/kit';
import type { AuditContext } from '$lib/server/auth/audit';
import { requireRole } from '$lib/server/auth/guard';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/passwords';
import * as users from '$lib/server/auth/users';
import { ROLES } from '$lib/server/db/schema';
import { getAppDatabase, type Db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const admin = requireRole(locals, 'admin');
	const { db } = await getAppDatabase();
	const [accounts, provinces] = await Promise.all([users.listUsers(db), users.listProvinces(db)]);
	return {
		accounts,
		provinces,
		roles: ROLES,
		self: admin.username,
		minPassword: MIN_PASSWORD_LENGTH
	};
};

type ActionName = 'create' | 'update' | 'resetPassword' | 'disable' | 'enable';

/**
 * Runs one account change as the signed-in admin, turning bad input into `fail()` with the
 * message, the action and the user it was about, so the page shows it beside the right form.
 */
async function change(
	event: RequestEvent,
	action: ActionName,
	run: (db: Db, form: FormData, context: AuditContext) => Promise<string>
) {
	const admin = requireRole(event.locals, 'admin');
	const form = await event.request.formData();
	const userId = form.get('userId') === null ? null : String(form.get('userId'));
	const context: AuditContext = { actor: admin.username, address: event.getClientAddress() };
	const { db } = await getAppDatabase();
	try {
		return { action, userId, ok: true, message: await run(db, form, context) };
	} catch (e) {
		if (!(e instanceof users.AccountInputError)) throw e;
		return fail(e.status, {
			action,
			userId,
			ok: false,
			message: e.message,
			// Typed values come back so a rejected new account need not be typed again
			// (never the password).
			values: {
				username: String(form.get('username') ?? ''),
				role: String(form.get('role') ?? ''),
				provinces: String(form.get('provinces') ?? '')
			}
		});
	}
}

const field = (form: FormData, name: string) => form.get(name) ?? undefined;
const userIdOf = (form: FormData) =>
	users.parseAccountInput(users.userIdSchema, form.get('userId'));

export const actions: Actions = {
	create: (event) =>
		change(event, 'create', async (db, form, context) => {
			const user = await users.createUser(
				db,
				{
					username: field(form, 'username'),
					password: field(form, 'password'),
					role: field(form, 'role'),
					provinces: field(form, 'provinces')
				},
				context
			);
			return `Created ${user.username} (${user.role}).`;
		}),
	update: (event) =>
		change(event, 'update', async (db, form, context) => {
			const user = await users.updateAccess(
				db,
				userIdOf(form),
				{ role: field(form, 'role'), provinces: field(form, 'provinces') },
				context
			);
			return `Saved ${user.username}: ${user.role}${user.provinces.length ? ` (${user.provinces.join(', ')})` : ''}.`;
		}),
	resetPassword: (event) =>
		change(event, 'resetPassword', async (db, form, context) => {
			const userId = userIdOf(form);
			const ended = await users.resetPassword(db, userId, field(form, 'password'), context);
			return `Password reset; ${ended} session${ended === 1 ? '' : 's'} signed out.`;
		}),
	disable: (event) =>
		change(event, 'disable', async (db, form, context) => {
			const user = await users.setDisabled(db, userIdOf(form), true, context);
			return `Disabled ${user.username} and signed them out.`;
		}),
	enable: (event) =>
		change(event, 'enable', async (db, form, context) => {
			const user = await users.setDisabled(db, userIdOf(form), false, context);
			return `Enabled ${user.username}.`;
		})
};
