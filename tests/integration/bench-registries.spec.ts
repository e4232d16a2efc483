/**
 * The benchmarks' registries (`bench/`), generated in SQL rather than imported: they must keep
 * up with the schema and with what the importer keeps (a member's, application's and
 * enrolment's village is its household's, a benefit's its enrolment's), or `npm run bench`
 * fails, or measures a registry no import could make. Small versions of both, on each database.
 */
import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProgrammeActivity } from '../../bench/activity';
import { generateNational, NATIONAL_TODAY } from '../../bench/national';
import { queryRows, type Db } from '../../src/lib/server/db';
import { refreshAll } from '../../src/lib/server/indicators/refresh';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { writeDir } from './indicator-fixture';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const GAZETTEER = `province_code,province_en,province_km,district_code,district_en,district_km,commune_code,commune_en,commune_km,village_code,village_en,village_km
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170101,Char Chhuk,ចារឈូក,17010101,Char Chhuk,ចារឈូក
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170101,Char Chhuk,ចារឈូក,17010102,Kouk Doung,គោកដូង
01,Banteay Meanchey,បន្ទាយមានជ័យ,0102,Mongkol Borei,មង្គលបុរី,010201,Banteay Neang,បន្ទាយនាង,01020101,Ou Thum,អូរធំ
`;

/** Rows whose copied village differs from the one it copies, per table. */
async function villageMismatches(db: Db) {
	const [row] = await queryRows<Record<string, number>>(
		db,
		sql`SELECT
			(SELECT count(*) FROM members m JOIN households h ON h.household_id = m.household_id
				WHERE m.village_code <> h.village_code)::int AS members,
			(SELECT count(*) FROM applications a JOIN households h ON h.household_id = a.household_id
				WHERE a.village_code <> h.village_code)::int AS applications,
			(SELECT count(*) FROM enrolments e JOIN households h ON h.household_id = e.household_id
				WHERE e.village_code <> h.village_code)::int AS enrolments,
			(SELECT count(*) FROM benefits b JOIN enrolments e ON e.enrolment_id = b.enrolment_id
				WHERE b.village_code <> e.village_code)::int AS benefits`
	);
	return row;
}

const NO_MISMATCH = { members: 0, applications: 0, enrolments: 0, benefits: 0 };

describe.each(DATABASE_KINDS)('benchmark registries (%s)', (kind) => {
	let database: TestDatabase;
	const dirs: string[] = [];
	/** Imports `files` (feed name → CSV) in feed order, each file expected to import. */
	async function imported(files: Record<string, string>) {
		const dir = writeDir(files);
		dirs.push(dir);
		const outcomes = await importPath(database.db, dir);
		expect(outcomes.map((o) => o.ok)).toEqual(Object.keys(files).map(() => true));
	}
	beforeAll(async () => {
		database = await createTestDatabase(kind);
		await imported({ 'gazetteer.csv': GAZETTEER });
	});
	afterAll(async () => {
		await database?.drop();
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	});

	it('generates the national-scale registry, small, with the villages the importer would copy', async () => {
		const { db } = database;
		const counts = await generateNational(db, 1000, () => undefined);
		// 4.3 members a household.
		expect([counts.households, counts.members]).toEqual([1000, 4300]);
		expect(counts.enrolments).toBeGreaterThan(0);
		expect(counts.benefits).toBeGreaterThan(0);
		expect(counts.applications).toBeGreaterThan(0);
		expect(await villageMismatches(db)).toEqual(NO_MISMATCH);
		// The benchmark's nightly: the 12 months before its day, their 4 complete quarters and
		// 2 years.
		const nightly = await refreshAll(db, { today: NATIONAL_TODAY, recentOnly: true });
		expect(nightly.periods).toHaveLength(18);
	});

	it('generates the import benchmark’s programme activity over imported households and members', async () => {
		const { db } = database;
		// Without the registry the test before generated (whether or not it passed).
		await db.execute(sql`TRUNCATE households, members, enrolments, benefits, applications,
			appeals, programmes CASCADE`);
		const villages = ['17010101', '17010102', '01020101'];
		const lines = (header: string, rows: string[]) => `${header}\n${rows.join('\n')}\n`;
		await imported({
			'households.csv': lines(
				'household_id,village_code,registered_on,idpoor_level',
				Array.from({ length: 60 }, (_, h) => `H${h},${villages[h % 3]},2020-0${1 + (h % 9)}-15,`)
			),
			'members.csv': lines(
				'person_id,household_id,sex,birth_date,full_name,national_id,disability,relationship',
				Array.from(
					{ length: 240 },
					(_, m) =>
						`P${m},H${m % 60},${m % 2 ? 'F' : 'M'},19${50 + (m % 50)}-03-0${1 + (m % 9)},Person ${m},,no,member`
				)
			)
		});
		await generateProgrammeActivity(db, () => undefined);
		const [counts] = await queryRows<Record<string, number>>(
			db,
			sql`SELECT (SELECT count(*) FROM enrolments)::int AS enrolments,
				(SELECT count(*) FROM benefits)::int AS benefits,
				(SELECT count(*) FROM applications)::int AS applications,
				(SELECT count(*) FROM appeals)::int AS appeals`
		);
		for (const table of ['enrolments', 'benefits', 'applications', 'appeals'])
			expect(counts![table], table).toBeGreaterThan(0);
		expect(await villageMismatches(db)).toEqual(NO_MISMATCH);
	});
});
