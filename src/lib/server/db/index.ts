/**
 * The one connection factory: real Postgres through `pg` when DATABASE_URL is set, otherwise
 * an embedded PGlite database on disk. Both run the same committed drizzle migrations.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { PROJECT_ROOT, databaseUrl, pgliteDir } from '../config';
import { log } from '../log';
import * as schema from './schema';

/** A drizzle database over either driver. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open transaction of a Db (what `db.transaction(async (tx) => …)` passes). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A database or an open transaction, for code that runs inside or outside one. */
export type DbOrTx = Db | Tx;

/** An open database with the means to close it. */
export interface Database {
	db: Db;
	kind: 'postgres' | 'pglite';
	close(): Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, 'drizzle');

/** Where to connect: a Postgres URL, or a PGlite directory (`memory://` for a throwaway one). */
export type DatabaseTarget = { url: string } | { pgliteDir: string };

/** Resolves the target from the environment (DATABASE_URL, else PGLITE_DIR). */
export function targetFromEnv(): DatabaseTarget {
	const url = databaseUrl();
	return url ? { url } : { pgliteDir: pgliteDir() };
}

/** Opens a database and brings its schema up to date with the committed migrations. */
export async function openDatabase(target: DatabaseTarget = targetFromEnv()): Promise<Database> {
	if ('url' in target) {
		// Pool size: the app serves many light requests; imports hold one client per file.
		const pool = new pg.Pool({ connectionString: target.url, max: 10 });
		// An idle connection the server ends (a restart, a dropped database) is replaced on the
		// next checkout; without a listener its error would end the process.
		pool.on('error', (error) => log.warn({ err: error }, 'database: idle connection lost'));
		// A connection lost while checked out (a transaction between two statements, when
		// Postgres restarts or kills it) emits 'error' on the client, which the pool does not
		// listen to then: unheard, it would end the whole process. The statement under way fails
		// with its own error; the pool discards the dead client when it is released.
		pool.on('connect', (client) =>
			client.on('error', (error) =>
				log.warn({ err: error }, 'database: connection lost while in use')
			)
		);
		const db = drizzlePg(pool, { schema }) as unknown as Db;
		await migratePg(drizzlePg(pool), { migrationsFolder: MIGRATIONS_FOLDER });
		return { db, kind: 'postgres', close: () => pool.end() };
	}
	if (!target.pgliteDir.startsWith('memory://')) mkdirSync(target.pgliteDir, { recursive: true });
	const client = new PGlite(target.pgliteDir);
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
	return { db, kind: 'pglite', close: () => client.close() };
}

/**
 * The `pg` connection under a node-postgres transaction, for what drizzle does not offer
 * (COPY FROM STDIN); undefined on PGlite. Reads drizzle's session, an internal it keeps
 * stable across its node-postgres releases.
 */
export function postgresClient(tx: Tx): pg.ClientBase | undefined {
	const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
	return client instanceof pg.Client ? client : undefined;
}

/** Runs a raw SQL query and returns its rows (both drivers return `{ rows }`). */
export async function queryRows<T>(
	db: Db | Parameters<Parameters<Db['transaction']>[0]>[0],
	query: SQL
): Promise<T[]> {
	const result = (await db.execute(query)) as unknown as { rows: T[] };
	return result.rows;
}

let appDatabase: Promise<Database> | undefined;

/** Whether the web app has opened its database (so shutdown knows whether to close it). */
export function appDatabaseOpened(): boolean {
	return appDatabase !== undefined;
}

/**
 * The web app's database, opened once per process on first use. A connection pool is shared
 * process state by design; it holds no per-user data.
 */
export function getAppDatabase(): Promise<Database> {
	appDatabase ??= openDatabase().catch((error) => {
		appDatabase = undefined; // let the next request try again (e.g. Postgres was restarting)
		throw error;
	});
	return appDatabase;
}

/** Whether the app's database answers a trivial query, and how fast (for the health check). */
export async function checkDatabase(): Promise<
	{ ok: true; kind: Database['kind']; ms: number } | { ok: false; error: string }
> {
	const started = performance.now();
	try {
		const database = await getAppDatabase();
		await database.db.execute(sql`SELECT 1`);
		return { ok: true, kind: database.kind, ms: Math.round(performance.now() - started) };
	} catch (error) {
		// The reason may name hosts or users: it goes to the server log, not to the caller.
		log.error({ err: error }, 'health check: database unreachable');
		return { ok: false, error: 'database unreachable' };
	}
}
