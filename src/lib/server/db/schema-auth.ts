/**
 * Accounts (`shared/domain.md` §7): users with a role and, for provincial staff, the provinces
 * they may see; login sessions; and the audit log of sign-ins and account changes.
 * Re-exported by `schema.ts`, so drizzle-kit and the app see one schema.
 */
import { sql } from 'drizzle-orm';
import {
	bigserial,
	boolean,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	serial,
	text,
	timestamp
} from 'drizzle-orm/pg-core';

/** Roles that need a login (§7); no login means the public view. */
export const ROLES = ['partner', 'province', 'national', 'admin'] as const;

/** A signed-in user's role. */
export type Role = (typeof ROLES)[number];

/** What the audit log records. */
export const AUDIT_ACTIONS = [
	'login',
	'login_failed',
	'logout',
	'user_create',
	'user_update',
	'password_reset',
	'user_disable',
	'user_enable',
	'refresh_start',
	// Imports (each file's batch, or why it failed), downloads of internal data, and the
	// scheduled and command-line jobs (issue #7: "imports, exports of internal data … job runs").
	'import',
	'import_failed',
	'export',
	'job_run',
	'job_failed'
] as const;

/** One kind of audited event. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Portal accounts. Usernames are stored lower-case, so look-ups are case-insensitive. */
export const users = pgTable(
	'users',
	{
		id: serial('id').primaryKey(),
		username: text('username').notNull().unique(),
		/** Argon2id PHC string (`$argon2id$v=19$m=…`); never the password. */
		passwordHash: text('password_hash').notNull(),
		role: text('role', { enum: ROLES }).notNull(),
		/** 2-digit province codes the user may see unsuppressed; only for role `province`. */
		provinces: text('provinces')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		disabled: boolean('disabled').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('users_role_check', sql`${t.role} in ('partner', 'province', 'national', 'admin')`),
		// The application validates this too; the database is the last line against a provincial
		// account that silently sees nothing, or a national one with a meaningless scope.
		check(
			'users_provinces_check',
			sql`(${t.role} = 'province') = (cardinality(${t.provinces}) > 0) and array_to_string(${t.provinces}, ',') ~ '^([0-9]{2}(,[0-9]{2})*)?$'`
		)
	]
);

/**
 * Login sessions (the Lucia pattern, https://lucia-auth.com/sessions/basic). The id is the
 * SHA-256 of the token held by the browser, so a leaked table holds no usable credential.
 */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)]
);

/**
 * Who did what to which account, and from where. Actor and target are usernames as text, not
 * foreign keys, so the log outlives renamed or removed accounts (and keeps failed logins for
 * usernames that never existed).
 */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		/** The signed-in user who acted; null for anonymous attempts and the command line. */
		actor: text('actor'),
		action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
		target: text('target'),
		detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
		/** Client address as the server saw it (behind a proxy, set adapter-node's ADDRESS_HEADER). */
		address: text('address')
	},
	(t) => [index('audit_log_at_idx').on(t.at), index('audit_log_target_idx').on(t.target, t.at)]
);
