/**
 * The full refresh's streamed counts (`streamed-counts.ts`, Postgres only) where the registry
 * breaks what the importer keeps: enrolments (and their benefits) filed under a village their
 * household is not in. Their units are set aside and counted where they live, and the combined
 * packages, which need every enrolment of a household together, are counted in SQL instead:
 * every stored value is the same as with the enrolments in their household's village.
 */
import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/lib/server/db';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { refreshAll } from '../../src/lib/server/indicators/refresh';
import { FIXTURE_FILES, FIXTURE_TODAY, writeDir } from './indicator-fixture';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

describe.skipIf(!DATABASE_KINDS.includes('postgres'))('streamed counts', () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase('postgres');
		const dir = writeDir(FIXTURE_FILES);
		try {
			await importPath(database.db, dir);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
	afterAll(() => database.drop());

	const stored = async () => ({
		values: await queryRows<Record<string, unknown>>(
			database.db,
			sql`SELECT * FROM indicator_values
				ORDER BY indicator_id, period, geo_code, programme, group_by, group_value`
		),
		programmes: await queryRows(
			database.db,
			sql`SELECT * FROM programme_values ORDER BY period, geo_code, programme, group_by, group_value`
		)
	});

	it('count enrolments filed under another village where their households live', async () => {
		await refreshAll(database.db, { today: FIXTURE_TODAY, all: true });
		const expected = await stored();
		// Household H1 (village 17010101) has three programmes: HEF (E1), CT (E5) and OAA (E7,
		// person P1). E5 and E7 are filed under village 01020101, with their benefits.
		for (const table of ['enrolments', 'benefits'])
			await database.db.execute(sql`UPDATE ${sql.identifier(table)} SET village_code = '01020101'
				WHERE enrolment_id IN ('E5', 'E7')`);
		await refreshAll(database.db, { today: FIXTURE_TODAY, all: true });
		const actual = await stored();
		// The fixture's H1 is in a combined package from 2024-02 (HEF and CT, then OAA).
		expect(
			expected.values.filter(
				(v) => v.indicator_id === 'combined_package' && v.geo_code === '17010101'
			).length
		).toBeGreaterThan(0);
		expect(actual).toEqual(expected);
	});
});
