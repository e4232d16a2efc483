/** The drop folder moves each file only after its import committed, and never imports twice. */
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	utimesSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/lib/server/auth/audit-log';
import { queryRows } from '../../src/lib/server/db';
import { processDropFolder } from '../../src/lib/server/ingest/drop-folder';
import { createTestDatabase, type TestDatabase } from './test-database';

const GAZETTEER = `province_code,district_code,commune_code,village_code
17,1701,170101,17010101
`;
const HOUSEHOLDS = `household_id,village_code,registered_on
H1,17010101,2024-01-10
H2,17019999,2024-01-11
`;

const NOT_AN_IMPORT_FILE =
	"notes.txt: not an import file: its name must end with a feed's name and .csv or .xlsx, such as households.csv or 2025-03_households.xlsx (feeds: gazetteer, population, offices, programmes, households, members, applications, enrolments, benefits, appeals)";

describe('drop folder', () => {
	let database: TestDatabase;
	let dir: string;
	const inbox = () => path.join(dir, 'inbox');
	const put = (name: string, content: string, mtime: Date) => {
		const file = path.join(inbox(), name);
		writeFileSync(file, content);
		utimesSync(file, mtime, mtime);
	};
	const settled = new Date('2026-01-15T10:00:00Z');
	const now = () => new Date('2026-01-15T10:01:00Z');

	beforeAll(async () => {
		database = await createTestDatabase('pglite');
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-drop-'));
		mkdirSync(inbox(), { recursive: true });
	});
	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('imports settled files in dependency order and moves them with their reports', async () => {
		put('households.csv', HOUSEHOLDS, settled);
		put('gazetteer.csv', GAZETTEER, settled);
		put('notes.txt', 'not data', settled);
		// Written 5 s before "now": it may still be being copied, so it waits.
		put('members.csv', 'person_id,household_id,sex,birth_date\n', new Date(now().getTime() - 5000));

		const outcomes = await processDropFolder(database.db, dir, { now });
		expect(outcomes.map((o) => [o.file, o.status])).toEqual([
			['gazetteer.csv', 'imported'],
			['households.csv', 'imported'],
			['members.csv', 'waiting'],
			['notes.txt', 'failed']
		]);
		expect(readdirSync(inbox())).toEqual(['members.csv']);
		const stamp = '2026-01-15T10-01-00-000Z';
		expect(readdirSync(path.join(dir, 'processed')).sort()).toEqual([
			`${stamp}_gazetteer.csv`,
			`${stamp}_gazetteer.csv.report.json`,
			`${stamp}_households.csv`,
			`${stamp}_households.csv.rejected.csv`,
			`${stamp}_households.csv.report.json`
		]);
		expect(
			readFileSync(path.join(dir, 'processed', `${stamp}_households.csv.rejected.csv`), 'utf8')
		).toBe(
			'household_id,village_code,registered_on,error_column,error\nH2,17019999,2024-01-11,village_code,unknown village 17019999\n'
		);
		const report = JSON.parse(
			readFileSync(path.join(dir, 'processed', `${stamp}_households.csv.report.json`), 'utf8')
		);
		expect([report.read, report.inserted, report.rejected, report.importedBy]).toEqual([
			2,
			1,
			1,
			undefined
		]);
		expect(
			JSON.parse(readFileSync(path.join(dir, 'failed', `${stamp}_notes.txt.report.json`), 'utf8'))
		).toEqual({ error: NOT_AN_IMPORT_FILE });
		// Refused in the audit log, as a refused upload is.
		const refused = await listAudit(database.db, { action: 'import_failed', page: 1 });
		expect(refused.entries.map((e) => [e.target, e.detail.via, e.detail.error])).toEqual([
			['notes.txt', 'drop folder', NOT_AN_IMPORT_FILE]
		]);
	});

	it('moves a file whose import already committed without importing it again', async () => {
		rmSync(path.join(inbox(), 'members.csv'));
		// As after a crash between the commit and the move: the same bytes are back in the inbox.
		put('households.csv', HOUSEHOLDS, settled);
		const batchesBefore = (
			await queryRows<{ n: number }>(
				database.db,
				sql`SELECT count(*)::int AS n FROM import_batches`
			)
		)[0]!.n;
		const later = () => new Date('2026-01-15T10:02:00Z');
		const outcomes = await processDropFolder(database.db, dir, { now: later });
		expect(outcomes).toEqual([{ file: 'households.csv', status: 'already_imported', batchId: 2 }]);
		expect(existsSync(path.join(dir, 'processed', '2026-01-15T10-02-00-000Z_households.csv'))).toBe(
			true
		);
		const batchesAfter = (
			await queryRows<{ n: number }>(
				database.db,
				sql`SELECT count(*)::int AS n FROM import_batches`
			)
		)[0]!.n;
		expect(batchesAfter).toBe(batchesBefore);
	});

	it('moves a file with a bad header to failed/ with the reason, importing nothing', async () => {
		put('appeals.csv', 'appeal_id,lodged_on\nA1,2025-01-01\n', settled);
		const outcomes = await processDropFolder(database.db, dir, {
			now: () => new Date('2026-01-15T10:03:00Z')
		});
		expect(outcomes.find((o) => o.file === 'appeals.csv')).toEqual({
			file: 'appeals.csv',
			status: 'failed',
			error:
				'appeals.csv: missing required columns village_code, channel, category, status for the appeals feed'
		});
		expect(existsSync(path.join(dir, 'failed', '2026-01-15T10-03-00-000Z_appeals.csv'))).toBe(true);
	});
});
