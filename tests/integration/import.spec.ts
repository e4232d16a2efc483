/** The importer end to end on a real database: upserts, rejections, idempotency, atomicity. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/lib/server/db';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { importFile, ImportFileError } from '../../src/lib/server/ingest/import-file';
import { batchRejections } from '../../src/lib/server/ingest/history';
import { rejectionsCsv } from '../../src/lib/server/ingest/rejections-csv';
import { listPossibleDuplicatePairs } from '../../src/lib/server/registry/members';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const GAZETTEER = `Province_Code,province_en,province_km,district_code,district_en,district_km,commune_code,commune_en,commune_km,village_code,village_en,village_km
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170101,Char Chhuk,ចារឈូក,17010101,Char Chhuk,ចារឈូក
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170101,Char Chhuk,ចារឈូក,17010102,Doun Peaeng,ដូនពែង
05,Kampong Speu,កំពង់ស្ពឺ,0505,Phnum Sruoch,ភ្នំស្រួច,050511,Veang Chas,វាំងចាស់,05051001,Trapeang,ត្រពាំង
`;

const HOUSEHOLDS = `registered_on,household_id,village_code,idpoor_level,office_code,note
2024-01-10,H1,17010101,1,,first
2024-02-11,H2,17010102,,,
2024-02-30,H3,17010101,,,bad date
2024-03-01,H4,17099999,,,unknown village
2024-03-02,H1,17010101,,,duplicate
`;

const MEMBERS = `person_id,household_id,sex,birth_date,full_name,national_id,disability,relationship
P1,H1,F,1980-01-01,Sok Dara,123456789012,no,head
P2,H1,M,2015-06-30,Chan Vibol,,no,child
P3,H9,F,1990-01-01,Keo Srey,,no,head
`;

describe.each(DATABASE_KINDS)('importer on %s', (kind) => {
	let database: TestDatabase;
	let dir: string;
	const write = (name: string, content: string) => {
		const file = path.join(dir, name);
		writeFileSync(file, content);
		return file;
	};
	const count = async (table: string) =>
		(
			await queryRows<{ n: number }>(
				database.db,
				sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`
			)
		)[0]!.n;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-import-'));
	});
	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('imports a directory in dependency order and reports each rejected row', async () => {
		write('members.csv', MEMBERS);
		write('households.csv', HOUSEHOLDS);
		write('gazetteer.csv', GAZETTEER);
		const outcomes = await importPath(database.db, dir, { today: '2026-01-15' });
		const summaries = outcomes.map((o) => (o.ok ? o.summary : undefined));
		expect(
			summaries.map((s) => [s?.file, s?.read, s?.inserted, s?.updated, s?.unchanged, s?.rejected])
		).toEqual([
			['gazetteer.csv', 3, 3, 0, 0, 0],
			['households.csv', 5, 2, 0, 0, 3],
			['members.csv', 3, 2, 0, 0, 1]
		]);
		expect(summaries[0]!.warnings).toEqual([
			'row 3: village_code 05051001 is listed under commune_code 050511 although its code does not start with it (kept as listed)'
		]);
		expect(summaries[1]!.warnings).toEqual(['unknown column ignored: note']);
		expect(summaries[1]!.rejections).toEqual([
			{
				rowNumber: 3,
				column: 'registered_on',
				error: '2024-02-30 is not a real date',
				row: {
					registered_on: '2024-02-30',
					household_id: 'H3',
					village_code: '17010101',
					idpoor_level: '',
					office_code: '',
					note: 'bad date'
				}
			},
			{
				rowNumber: 4,
				column: 'village_code',
				error: 'unknown village 17099999',
				row: {
					registered_on: '2024-03-01',
					household_id: 'H4',
					village_code: '17099999',
					idpoor_level: '',
					office_code: '',
					note: 'unknown village'
				}
			},
			{
				rowNumber: 5,
				column: 'household_id',
				error: 'duplicate household_id in the file (first seen on row 1)',
				row: {
					registered_on: '2024-03-02',
					household_id: 'H1',
					village_code: '17010101',
					idpoor_level: '',
					office_code: '',
					note: 'duplicate'
				}
			}
		]);
		expect(summaries[2]!.rejections.map((r) => [r.rowNumber, r.column, r.error])).toEqual([
			[3, 'household_id', 'unknown household H9']
		]);
		// The gazetteer fans out: nation, 2 provinces, 2 districts, 2 communes, 3 villages.
		expect(await count('geo_units')).toBe(10);
		expect(await count('households')).toBe(2);
		// Rejected rows are kept with the batch for download.
		const stored = await queryRows<{ row_number: number; error: string }>(
			database.db,
			sql`SELECT r.row_number, r.error FROM import_rejections r JOIN import_batches b ON b.id = r.batch_id
				WHERE b.feed = 'households' ORDER BY r.row_number`
		);
		expect(stored.map((r) => r.row_number)).toEqual([3, 4, 5]);
		// Downloaded later, they keep the file's own column order (a jsonb object would not).
		const csv = rejectionsCsv(await batchRejections(database.db, summaries[1]!.batchId!));
		expect(csv.split('\n')[0]).toBe(
			'registered_on,household_id,village_code,idpoor_level,office_code,note,error_column,error'
		);
	});

	it('re-importing the same file changes nothing; a corrected row is updated', async () => {
		const file = path.join(dir, 'households.csv');
		const again = await importFile(database.db, file, { today: '2026-01-15' });
		expect([again.read, again.inserted, again.updated, again.unchanged, again.rejected]).toEqual([
			5, 0, 0, 2, 3
		]);
		const corrected = write(
			'fix_households.csv',
			`household_id,village_code,registered_on,idpoor_level
H2,17010102,2024-02-11,2
H3,17010101,2024-02-28,
`
		);
		const fixed = await importFile(database.db, corrected, { today: '2026-01-15' });
		expect([fixed.read, fixed.inserted, fixed.updated, fixed.unchanged, fixed.rejected]).toEqual([
			2, 1, 1, 0, 0
		]);
		const [h2] = await queryRows<{ idpoor_level: number }>(
			database.db,
			sql`SELECT idpoor_level FROM households WHERE household_id = 'H2'`
		);
		expect(h2!.idpoor_level).toBe(2);
	});

	it('a dry run validates and reports but writes nothing', async () => {
		const file = write(
			'dry_households.csv',
			`household_id,village_code,registered_on\nH5,17010101,2024-05-05\n`
		);
		const batchesBefore = await count('import_batches');
		const summary = await importFile(database.db, file, { dryRun: true, today: '2026-01-15' });
		expect([summary.read, summary.inserted, summary.batchId]).toEqual([1, 1, undefined]);
		expect(await count('households')).toBe(3);
		expect(await count('import_batches')).toBe(batchesBefore);
	});

	it('rejects a file missing a required column, naming it, and leaves the database as it was', async () => {
		const file = write('households.csv', `household_id,registered_on\nH6,2024-05-05\n`);
		await expect(importFile(database.db, file)).rejects.toEqual(
			new ImportFileError(
				'households.csv',
				'missing required column village_code for the households feed'
			)
		);
		const unnamed = write('registry.csv', `household_id\n`);
		await expect(importFile(database.db, unnamed)).rejects.toThrow(
			'registry.csv: cannot tell which feed this is: name the file after its feed'
		);
		expect(await count('households')).toBe(3);
	});

	it('flags possible duplicates across households, and unflags them when corrected', async () => {
		const flagged = async () =>
			(
				await queryRows<{ person_id: string }>(
					database.db,
					sql`SELECT person_id FROM members WHERE possible_duplicate ORDER BY person_id`
				)
			).map((r) => r.person_id);
		// P4 shares P1's national ID from another household; P5 is P2's name (spelt with other
		// spacing and case), birth date and sex in another household; P6 shares P1's ID but
		// lives in P1's own household, which is not a duplicate across households.
		const file = write(
			'dup_members.csv',
			`person_id,household_id,sex,birth_date,full_name,national_id
P4,H2,M,1970-02-02,Other Person,123456789012
P5,H2,M,2015-06-30,"  chan   VIBOL ",
P6,H1,F,1999-09-09,Third Person,123456789012
`
		);
		const summary = await importFile(database.db, file, { today: '2026-01-15' });
		expect([summary.inserted, summary.duplicatesFlagged]).toEqual([3, 5]);
		expect(await flagged()).toEqual(['P1', 'P2', 'P4', 'P5', 'P6']);
		const pairs = await listPossibleDuplicatePairs(database.db);
		expect(pairs.map((p) => [p.reason, p.first.person_id, p.second.person_id])).toEqual([
			['national_id', 'P1', 'P4'],
			['name_birth_sex', 'P2', 'P5'],
			['national_id', 'P4', 'P6']
		]);
		expect(pairs[0]!.first).toEqual({
			person_id: 'P1',
			household_id: 'H1',
			village_code: '17010101'
		});

		const fix = write(
			'fix_members.csv',
			// P4 loses its keys; P2 gains an ID of its own but still shares its name with P5.
			`person_id,household_id,sex,birth_date,full_name,national_id
P4,H2,M,1970-02-02,,
P2,H1,M,2015-06-30,Chan Vibol,555555555555
`
		);
		const fixed = await importFile(database.db, fix, { today: '2026-01-15' });
		expect([fixed.updated, fixed.duplicatesFlagged]).toEqual([2, 3]);
		expect(await flagged()).toEqual(['P2', 'P5']);
	});

	it('writes nothing of a file whose transaction fails half-way', async () => {
		const file = write(
			'late_households.csv',
			`household_id,village_code,registered_on\nH7,17010101,2024-05-05\nH8,17010101,2024-05-06\n`
		);
		let calls = 0;
		const failing = importFile(database.db, file, {
			today: '2026-01-15',
			onProgress: () => {
				calls += 1;
				throw new Error('power cut');
			}
		});
		await expect(failing).rejects.toThrow('power cut');
		expect(calls).toBe(1);
		expect(await count('households')).toBe(3);
		const rerun = await importFile(database.db, file, { today: '2026-01-15' });
		expect(rerun.inserted).toBe(2);
	});

	it("keeps each member's, application's, enrolment's and benefit's village with its household's, and marks persons who changed household", async () => {
		const imported = async (name: string, content: string) =>
			importFile(database.db, write(name, content), { today: '2026-01-15' });
		const households = 'household_id,village_code,registered_on\n';
		await imported(
			'v_households.csv',
			`${households}HV1,17010101,2024-01-10\nHV2,17010102,2024-02-11\nHV3,17010101,2024-02-12\n`
		);
		await imported(
			'v_members.csv',
			'person_id,household_id,sex,birth_date\nPV1,HV1,F,1980-01-01\nPV2,HV1,M,2015-06-30\n'
		);
		await imported(
			'v_programmes.csv',
			'programme_code,name_en,kind,unit,target\nVP,Test,employment,person,all\n'
		);
		// Each test row of `table` (its key starting with `prefix`) with its village: `EV1 17010101`.
		const villagesOf = async (table: string, key: string, prefix: string) =>
			(
				await queryRows<{ key: string; village_code: string }>(
					database.db,
					sql`SELECT ${sql.identifier(key)} AS key, village_code FROM ${sql.identifier(table)}
						WHERE ${sql.identifier(key)} LIKE ${`${prefix}%`} ORDER BY 1`
				)
			).map((r) => `${r.key} ${r.village_code}`);
		const enrolments = () => villagesOf('enrolments', 'enrolment_id', 'EV');
		const members = () => villagesOf('members', 'person_id', 'PV');
		const benefits = () => villagesOf('benefits', 'benefit_id', 'BV');
		const applications = () => villagesOf('applications', 'application_id', 'AV');
		const paid = 'benefit_id,enrolment_id,period,delivered_on\n';
		const moved = async () =>
			(
				await queryRows<{ person_id: string }>(
					database.db,
					sql`SELECT person_id FROM members WHERE person_id LIKE 'PV%' AND moved_household
						ORDER BY person_id`
				)
			).map((r) => r.person_id);
		const enrolled = 'enrolment_id,programme_code,household_id,person_id,enrolled_on\n';
		await imported('v_enrolments.csv', `${enrolled}EV1,VP,HV1,PV1,2024-03-01\n`);
		await imported('v_benefits.csv', `${paid}BV1,EV1,2024-03,2024-03-10\n`);
		await imported(
			'v_applications.csv',
			'application_id,programme_code,household_id,applied_on,status\nAV1,VP,HV1,2024-02-01,pending\nAV2,VP,HV2,2024-02-12,pending\n'
		);
		expect(await applications()).toEqual(['AV1 17010101', 'AV2 17010102']);
		expect(await enrolments()).toEqual(['EV1 17010101']);
		expect(await benefits()).toEqual(['BV1 17010101']);
		expect(await members()).toEqual(['PV1 17010101', 'PV2 17010101']);
		expect(await moved()).toEqual([]);
		// HV1 moves to 17010102 with its enrolments; HV2 stays where it was.
		const move = await imported(
			'move_households.csv',
			`${households}HV1,17010102,2024-01-10\nHV2,17010102,2024-02-11\n`
		);
		expect([move.updated, move.unchanged]).toEqual([1, 1]);
		expect(await enrolments()).toEqual(['EV1 17010102']);
		expect(await benefits()).toEqual(['BV1 17010102']);
		expect(await applications()).toEqual(['AV1 17010102', 'AV2 17010102']);
		expect(await members()).toEqual(['PV1 17010102', 'PV2 17010102']);
		// PV2 joins HV3 (and is enrolled there); PV1 only changes birth date.
		await imported(
			'moved_members.csv',
			'person_id,household_id,sex,birth_date\nPV1,HV1,F,1980-01-02\nPV2,HV3,M,2015-06-30\n'
		);
		expect(await moved()).toEqual(['PV2']);
		expect(await members()).toEqual(['PV1 17010102', 'PV2 17010101']);
		await imported('more_enrolments.csv', `${enrolled}EV2,VP,HV3,PV2,2024-03-01\n`);
		await imported('more_benefits.csv', `${paid}BV2,EV2,2024-03,2024-03-10\n`);
		expect(await enrolments()).toEqual(['EV1 17010102', 'EV2 17010101']);
		expect(await benefits()).toEqual(['BV1 17010102', 'BV2 17010101']);
		// HV1 back and HV3 away: their enrolments follow.
		await imported(
			'back_households.csv',
			`${households}HV1,17010101,2024-01-10\nHV3,17010102,2024-02-12\n`
		);
		expect(await enrolments()).toEqual(['EV1 17010101', 'EV2 17010102']);
		expect(await members()).toEqual(['PV1 17010101', 'PV2 17010102']);
		expect(await benefits()).toEqual(['BV1 17010101', 'BV2 17010102']);
		expect(await applications()).toEqual(['AV1 17010101', 'AV2 17010102']);
		expect(await moved()).toEqual(['PV2']);
		// EV2 now names HV1 (no person): its benefit follows it; EV1 is repeated unchanged.
		const moves = await imported(
			'moved_enrolments.csv',
			`${enrolled}EV1,VP,HV1,PV1,2024-03-01\nEV2,VP,HV1,,2024-03-01\n`
		);
		expect([moves.updated, moves.unchanged]).toEqual([1, 1]);
		expect(await enrolments()).toEqual(['EV1 17010101', 'EV2 17010101']);
		expect(await benefits()).toEqual(['BV1 17010101', 'BV2 17010101']);
	});
});

describe.each(DATABASE_KINDS)('first members file into an empty registry on %s', (kind) => {
	let database: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-import-first-'));
	});
	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('flags the possible duplicates among its good rows only', async () => {
		writeFileSync(path.join(dir, 'gazetteer.csv'), GAZETTEER);
		writeFileSync(
			path.join(dir, 'households.csv'),
			`household_id,village_code,registered_on\nH1,17010101,2024-01-10\nH2,17010102,2024-02-11\n`
		);
		// P1/P2 share a national ID across households, P3/P4 a name (other spacing and case),
		// birth date and sex; P5/P6 share an ID inside one household (not a duplicate). P7 (an
		// unknown household, rejected in SQL) and P8 (a bad sex, rejected while reading) have
		// P5's name, birth date and sex in another household, but were not imported.
		writeFileSync(
			path.join(dir, 'members.csv'),
			`person_id,household_id,sex,birth_date,full_name,national_id
P1,H1,F,1980-01-01,Sok Dara,111111111111
P2,H2,F,1981-01-01,Other Name,111111111111
P3,H1,M,2015-06-30,Chan Vibol,
P4,H2,M,2015-06-30,"  chan   VIBOL ",
P5,H1,F,1990-01-01,Keo Srey,222222222222
P6,H1,F,1991-01-01,Another Name,222222222222
P7,H9,F,1990-01-01,Keo Srey,
P8,H2,X,1990-01-01,Keo Srey,
`
		);
		const outcomes = await importPath(database.db, dir, { today: '2026-01-15' });
		const members = outcomes[2]!.ok ? outcomes[2]!.summary : undefined;
		expect([members?.inserted, members?.rejected, members?.duplicatesFlagged]).toEqual([6, 2, 4]);
		const flagged = await queryRows<{ person_id: string }>(
			database.db,
			sql`SELECT person_id FROM members WHERE possible_duplicate ORDER BY person_id`
		);
		expect(flagged.map((r) => r.person_id)).toEqual(['P1', 'P2', 'P3', 'P4']);
	});
});
