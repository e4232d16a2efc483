/**
 * Portal accounts: create, change role and provinces, reset password, disable and enable, list.
 * Input is validated with zod; each change commits together with its audit event.
 */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { geoUnits } from '../db/schema';
import { ROLES, users, type Role } from '../db/schema-auth';
import { recordAudit, type AuditContext } from './audit';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords';
import { invalidateUserSessions } from './sessions';

/** Input the caller got wrong (shown to the admin as is); `status` is the HTTP status to use. */
export class AccountInputError extends Error {
	constructor(
		message: string,
		readonly status: 400 | 404 = 400
	) {
		super(message);
		this.name = 'AccountInputError';
	}
}

/** An account as listed to admins: everything but the password hash. */
export interface UserSummary {
	id: number;
	username: string;
	role: Role;
	provinces: string[];
	disabled: boolean;
	createdAt: Date;
	updatedAt: Date;
}

/** Lower-case letters, digits, `.`, `_` and `-`; 3 to 64 characters; stored lower-case. */
export const usernameSchema = z
	.string()
	.trim()
	.toLowerCase()
	.regex(
		/^[a-z0-9][a-z0-9._-]{2,63}$/,
		'Username: 3 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit'
	);

/** Length only: composition rules make passwords worse, not stronger (NIST SP 800-63B). */
export const passwordSchema = z
	.string()
	.min(MIN_PASSWORD_LENGTH, `Password: at least ${MIN_PASSWORD_LENGTH} characters`)
	.max(MAX_PASSWORD_LENGTH, `Password: at most ${MAX_PASSWORD_LENGTH} characters`);

/** A province's NCDD code: exactly 2 digits, leading zero kept (`01` is Banteay Meanchey). */
export const provinceCodeSchema = z
	.string()
	.regex(/^[0-9]{2}$/, 'Provinces: each must be a 2-digit province code such as 01 or 17');

/** Province codes as a list, or as the text of a form field (`17, 05` or `17 05`). */
const provinceListSchema = z.preprocess(
	(value) => (typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : value),
	z.array(provinceCodeSchema)
);

/**
 * A role with its provinces: a provincial account needs at least one province; the others see
 * the whole country or the public view, so any provinces given for them are dropped.
 */
export const accessSchema = z
	.object({
		role: z.enum(ROLES, `Role: one of ${ROLES.join(', ')}`),
		provinces: provinceListSchema.default([])
	})
	.refine((access) => access.role !== 'province' || access.provinces.length > 0, {
		message: 'Provinces: a provincial account needs at least one province',
		path: ['provinces']
	})
	.transform(({ role, provinces }) => ({
		role,
		provinces: role === 'province' ? [...new Set(provinces)].sort() : []
	}));

/** A new account. */
export const newUserSchema = z
	.object({ username: usernameSchema, password: passwordSchema })
	.and(accessSchema);

/** A user id from a form field. */
export const userIdSchema = z.coerce
	.number('Unknown user')
	.int('Unknown user')
	.positive('Unknown user');

/** A role and its provinces, validated. */
export type Access = z.output<typeof accessSchema>;

/** Parses input with a schema, or throws an `AccountInputError` listing every problem. */
export function parseAccountInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (!result.success) {
		const messages = [...new Set(result.error.issues.map((issue) => issue.message))];
		throw new AccountInputError(messages.join('. ') + '.');
	}
	return result.data;
}

const summaryColumns = {
	id: users.id,
	username: users.username,
	role: users.role,
	provinces: users.provinces,
	disabled: users.disabled,
	createdAt: users.createdAt,
	updatedAt: users.updatedAt
};

/** Every account, by username. */
export async function listUsers(db: Db): Promise<UserSummary[]> {
	return db.select(summaryColumns).from(users).orderBy(asc(users.username));
}

/** One account by id. */
export async function findUser(db: Db, userId: number): Promise<UserSummary | undefined> {
	const [user] = await db.select(summaryColumns).from(users).where(eq(users.id, userId));
	return user;
}

/** One account by username (case-insensitive), with its password hash, for logging in. */
export async function findUserForLogin(
	db: Db,
	username: string
): Promise<(UserSummary & { passwordHash: string }) | undefined> {
	const [user] = await db
		.select({ ...summaryColumns, passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.username, username.trim().toLowerCase()));
	return user;
}

/** A province a provincial account can be scoped to. */
export interface ProvinceChoice {
	code: string;
	nameEn: string;
	nameKm: string;
}

/** The gazetteer's provinces, by code; empty before the gazetteer is imported. */
export async function listProvinces(db: Db): Promise<ProvinceChoice[]> {
	return db
		.select({ code: geoUnits.code, nameEn: geoUnits.nameEn, nameKm: geoUnits.nameKm })
		.from(geoUnits)
		.where(eq(geoUnits.level, 'province'))
		.orderBy(asc(geoUnits.code));
}

/**
 * Rejects province codes missing from the gazetteer, when one is loaded: a typo such as `71`
 * for `17` would otherwise give an account that sees nothing. A fresh database without a
 * gazetteer accepts any well-formed code, so the first admin can be set up before the import.
 */
async function assertProvincesExist(db: Db, provinces: string[]): Promise<void> {
	if (provinces.length === 0) return;
	const rows = await listProvinces(db);
	if (rows.length === 0) return;
	const known = new Set(rows.map((row) => row.code));
	const missing = provinces.filter((code) => !known.has(code));
	if (missing.length > 0)
		throw new AccountInputError(`Provinces: not in the gazetteer: ${missing.join(', ')}.`);
}

/** Creates an account; a taken username is an input error. */
export async function createUser(
	db: Db,
	input: unknown,
	context: AuditContext
): Promise<UserSummary> {
	const { username, password, role, provinces } = parseAccountInput(newUserSchema, input);
	await assertProvincesExist(db, provinces);
	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx) => {
		const [user] = await tx
			.insert(users)
			.values({ username, passwordHash, role, provinces })
			.onConflictDoNothing({ target: users.username })
			.returning(summaryColumns);
		if (!user) throw new AccountInputError(`Username ${username} is already taken.`);
		await recordAudit(tx, context, {
			action: 'user_create',
			target: username,
			detail: { role, provinces }
		});
		return user;
	});
}

/** Loads an account for a change, refusing changes that would lock the acting admin out. */
async function userToChange(
	db: Db,
	userId: number,
	context: AuditContext,
	change: { role?: Role; disabled?: boolean }
): Promise<UserSummary> {
	const user = await findUser(db, userId);
	if (!user) throw new AccountInputError('No such user.', 404);
	// The only way to leave the portal without an admin is for an admin to demote or disable
	// themself; another admin can always do it for them.
	if (
		user.username === context.actor &&
		(change.disabled || (change.role && change.role !== 'admin'))
	)
		throw new AccountInputError(
			'You cannot disable or demote your own account; ask another admin.'
		);
	return user;
}

/** Changes an account's role and provinces. */
export async function updateAccess(
	db: Db,
	userId: number,
	input: unknown,
	context: AuditContext
): Promise<UserSummary> {
	const access = parseAccountInput(accessSchema, input);
	const before = await userToChange(db, userId, context, { role: access.role });
	await assertProvincesExist(db, access.provinces);
	return db.transaction(async (tx) => {
		const [user] = await tx
			.update(users)
			.set({ ...access, updatedAt: new Date() })
			.where(eq(users.id, userId))
			.returning(summaryColumns);
		await recordAudit(tx, context, {
			action: 'user_update',
			target: before.username,
			detail: {
				from: { role: before.role, provinces: before.provinces },
				to: access
			}
		});
		return user!;
	});
}

/** Sets a new password and signs the account out everywhere; returns the sessions ended. */
export async function resetPassword(
	db: Db,
	userId: number,
	password: unknown,
	context: AuditContext
): Promise<number> {
	const newPassword = parseAccountInput(passwordSchema, password);
	const user = await userToChange(db, userId, context, {});
	const passwordHash = await hashPassword(newPassword);
	return db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
		const ended = await invalidateUserSessions(tx, userId);
		await recordAudit(tx, context, {
			action: 'password_reset',
			target: user.username,
			detail: { sessionsEnded: ended }
		});
		return ended;
	});
}

/** Disables (and signs out everywhere) or re-enables an account. */
export async function setDisabled(
	db: Db,
	userId: number,
	disabled: boolean,
	context: AuditContext
): Promise<UserSummary> {
	const before = await userToChange(db, userId, context, { disabled });
	return db.transaction(async (tx) => {
		const [user] = await tx
			.update(users)
			.set({ disabled, updatedAt: new Date() })
			.where(eq(users.id, userId))
			.returning(summaryColumns);
		const ended = disabled ? await invalidateUserSessions(tx, userId) : 0;
		await recordAudit(tx, context, {
			action: disabled ? 'user_disable' : 'user_enable',
			target: before.username,
			detail: disabled ? { sessionsEnded: ended } : {}
		});
		return user!;
	});
}
