/**
 * Property: whatever rows a file holds — valid, malformed, hostile — the importer does not
 * crash, accounts for every row (read = inserted + updated + unchanged + rejected), writes
 * exactly the rows it reports, and writes nothing when it refuses the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/lib/server/db';
import { importFile, ImportFileError } from '../../src/lib/server/ingest/import-file';
import { createTestDatabase, type TestDatabase } from './test-database';

const GAZETTEER = `province_code,district_code,commune_code,village_code
17,1701,170101,17010101
17,1701,170101,17010102
`;

const COLUMNS = ['household_id', 'village_code', 'registered_on', 'idpoor_level', 'office_code'];

/** Cells that are sometimes right and often wrong in the ways real spreadsheets are. */
const cell = {
	household_id: fc.oneof(fc.constantFrom('H1', 'H2', 'H3', 'H4', ''), fc.string({ maxLength: 6 })),
	village_code: fc.oneof(
		fc.constantFrom('17010101', '17010102', '17019999', '170101', '1701010', ''),
		fc.string({ maxLength: 9 })
	),
	registered_on: fc.oneof(
		fc.constantFrom('2024-01-10', '2024-02-29', '2023-02-29', '2099-01-01', '10/01/2024', ''),
		fc.string({ maxLength: 10 })
	),
	idpoor_level: fc.oneof(fc.constantFrom('1', '2', '', '3', 'yes'), fc.string({ maxLength: 3 })),
	office_code: fc.oneof(fc.constantFrom('', '', 'CF-NOPE'), fc.string({ maxLength: 5 }))
};

const row = fc.tuple(
	cell.household_id,
	cell.village_code,
	cell.registered_on,
	cell.idpoor_level,
	cell.office_code
);

/** Sometimes the header is shuffled, loses a column or gains an unknown one. */
const header = fc.oneof(
	{ weight: 4, arbitrary: fc.constant(COLUMNS) },
	{ weight: 1, arbitrary: fc.shuffledSubarray(COLUMNS, { minLength: 1, maxLength: 5 }) },
	{ weight: 1, arbitrary: fc.constant([...COLUMNS, 'remarks']) }
);

describe('importer property', () => {
	let database: TestDatabase;
	let dir: string;
	const households = async () =>
		(
			await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM households`)
		)[0]!.n;

	beforeAll(async () => {
		database = await createTestDatabase('pglite');
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-property-'));
		writeFileSync(path.join(dir, 'gazetteer.csv'), GAZETTEER);
		await importFile(database.db, path.join(dir, 'gazetteer.csv'));
	});
	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('accounts for every row and writes exactly what it reports', async () => {
		let run = 0;
		await fc.assert(
			fc.asyncProperty(header, fc.array(row, { maxLength: 25 }), async (columns, rows) => {
				run += 1;
				const file = path.join(dir, `run${run}_households.csv`);
				const cells = rows.map((r) => columns.map((c) => r[COLUMNS.indexOf(c)] ?? 'extra'));
				writeFileSync(file, stringify([columns, ...cells]));
				const before = await households();
				let summary;
				try {
					summary = await importFile(database.db, file, { today: '2026-01-15' });
				} catch (error) {
					// Only a header without a required column may refuse the file, and then it
					// writes nothing.
					expect(error).toBeInstanceOf(ImportFileError);
					expect(COLUMNS.slice(0, 3).some((c) => !columns.includes(c))).toBe(true);
					expect(await households()).toBe(before);
					return;
				}
				// csv-parse skips lines that are entirely empty (a one-column file's blank cells).
				const nonEmpty = cells.filter((c) => c.some((v) => v !== '') || c.length > 1).length;
				expect(summary.read).toBe(nonEmpty);
				expect(summary.inserted + summary.updated + summary.unchanged + summary.rejected).toBe(
					summary.read
				);
				expect(summary.rejections).toHaveLength(summary.rejected);
				for (const r of summary.rejections) {
					expect(r.error.length).toBeGreaterThan(0);
					expect(columns).toContain(r.column);
				}
				expect(await households()).toBe(before + summary.inserted);
			}),
			{ numRuns: 60, seed: 20261125 }
		);
	});
});
