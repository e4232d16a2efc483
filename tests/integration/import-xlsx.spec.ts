/** An XLSX workbook (first sheet) imports exactly like the same rows as CSV. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/lib/server/db';
import { importFile, type ImportSummary } from '../../src/lib/server/ingest/import-file';
import { createTestDatabase, type TestDatabase } from './test-database';

const GAZETTEER = `province_code,province_en,province_km,district_code,district_en,district_km,commune_code,commune_en,commune_km,village_code,village_en,village_km
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170101,Char Chhuk,ចារឈូក,17010101,Char Chhuk,ចារឈូក
`;
const HEADER = ['Household_ID', 'village_code', 'registered_on', 'idpoor_level', 'comment'];
const ROWS = [
	['H1', '17010101', '2024-01-10', '1', 'ok'],
	['H2', '17010101', '2024-02-30', '', 'not a real date'],
	['H3', '1701010', '2024-03-01', '', 'wrong level'],
	['H1', '17010101', '2024-03-02', '', 'duplicate'],
	['H4', '17010101', '2024-04-04', '2', 'ok']
];

function comparable(summary: ImportSummary) {
	const { read, inserted, updated, unchanged, rejected, warnings, rejections } = summary;
	return { read, inserted, updated, unchanged, rejected, warnings, rejections };
}

describe('XLSX import', () => {
	let csvDb: TestDatabase;
	let xlsxDb: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		[csvDb, xlsxDb] = await Promise.all([
			createTestDatabase('pglite'),
			createTestDatabase('pglite')
		]);
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-xlsx-'));
		writeFileSync(path.join(dir, 'gazetteer.csv'), GAZETTEER);
		for (const db of [csvDb, xlsxDb]) await importFile(db.db, path.join(dir, 'gazetteer.csv'));
	});
	afterAll(async () => {
		await Promise.all([csvDb?.drop(), xlsxDb?.drop()]);
		rmSync(dir, { recursive: true, force: true });
	});

	it('gives the same summary, rejections and rows as the same CSV', async () => {
		const csvFile = path.join(dir, 'households.csv');
		writeFileSync(csvFile, [HEADER, ...ROWS].map((r) => r.join(',')).join('\n') + '\n');

		const workbook = new ExcelJS.Workbook();
		const sheet = workbook.addWorksheet('households');
		sheet.addRow(HEADER);
		for (const row of ROWS) {
			// A spreadsheet holds real dates as dates; the impossible one stays text.
			const date = row[2] === '2024-02-30' ? row[2] : new Date(`${row[2]}T00:00:00Z`);
			sheet.addRow([row[0], row[1], date, row[3] === '' ? null : Number(row[3]), row[4]]);
		}
		sheet.getColumn(3).numFmt = 'yyyy-mm-dd';
		workbook.addWorksheet('notes').addRow(['this sheet is ignored']);
		const xlsxFile = path.join(dir, 'households.xlsx');
		await workbook.xlsx.writeFile(xlsxFile);

		const fromCsv = await importFile(csvDb.db, csvFile, { today: '2026-01-15' });
		const fromXlsx = await importFile(xlsxDb.db, xlsxFile, { today: '2026-01-15' });
		expect(comparable(fromXlsx)).toEqual(comparable(fromCsv));
		expect([fromXlsx.read, fromXlsx.inserted, fromXlsx.rejected]).toEqual([5, 2, 3]);
		expect(fromXlsx.rejections.map((r) => [r.rowNumber, r.column])).toEqual([
			[2, 'registered_on'],
			[3, 'village_code'],
			[4, 'household_id']
		]);

		const households = `SELECT household_id, village_code, registered_on::text, idpoor_level FROM households ORDER BY 1`;
		const [a, b] = await Promise.all(
			[csvDb, xlsxDb].map((db) => queryRows(db.db, sql.raw(households)))
		);
		expect(b).toEqual(a);
		expect(a).toEqual([
			{
				household_id: 'H1',
				village_code: '17010101',
				registered_on: '2024-01-10',
				idpoor_level: 1
			},
			{ household_id: 'H4', village_code: '17010101', registered_on: '2024-04-04', idpoor_level: 2 }
		]);
	});
});
