/**
 * Throwaway databases for integration tests: always an in-memory PGlite, and also a real
 * Postgres database when TEST_DATABASE_ADMIN_URL names a server to create it on
 * (CI sets it to the Postgres on 127.0.0.1:5432). Each is dropped after use.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/lib/server/db';

export type DatabaseKind = 'pglite' | 'postgres';

/** The kinds of database this run can test against. */
export const DATABASE_KINDS: DatabaseKind[] = process.env.TEST_DATABASE_ADMIN_URL
	? ['pglite', 'postgres']
	: ['pglite'];

/** A migrated, empty database and the means to drop it. */
export interface TestDatabase extends Database {
	/** The connection string, for a Postgres database (child processes connect with it). */
	url?: string;
	drop(): Promise<void>;
}

/** Creates a fresh database of the given kind, with the schema migrated. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
	if (kind === 'pglite') {
		const database = await openDatabase({ pgliteDir: 'memory://' });
		return { ...database, drop: () => database.close() };
	}
	const adminUrl = process.env.TEST_DATABASE_ADMIN_URL!;
	const name = `ssdm_test_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const database = await openDatabase({ url: url.toString() });
	return {
		...database,
		url: url.toString(),
		drop: async () => {
			await database.close();
			const client = new pg.Client({ connectionString: adminUrl });
			await client.connect();
			await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await client.end();
		}
	};
}
