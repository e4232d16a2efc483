/**
 * A hand-built registry for the indicator tests: two provinces, three districts, four
 * communes, six villages, eight households, thirteen members, three programmes, applications,
 * enrolments, benefits and appeals around the second quarter of 2025. Every expected value in
 * `indicators.spec.ts` was worked out by hand from these rows (the reasoning is beside each
 * value there); nothing in it is computed by the code under test.
 *
 * Geography: 17 Siem Reap → 1701 (170101: villages 17010101, 17010102; 170102: 17010201)
 * and 1702 (170201: 17020101); 01 Banteay Meanchey → 0102 (010201: 01020101, 01020102).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { refreshAll } from '../../src/lib/server/indicators/refresh';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './test-database';

export const FIXTURE_FILES = {
	'gazetteer.csv': `province_code,province_en,province_km,district_code,district_en,district_km,commune_code,commune_en,commune_km,village_code,village_en,village_km
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170101,Char Chhuk,ចារឈូក,17010101,Char Chhuk,ចារឈូក
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170101,Char Chhuk,ចារឈូក,17010102,Doun Peaeng,ដូនពែង
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170102,Doun Peaeng,ដូនពែង,17010201,Kouk Thlok,គោកធ្លក
17,Siem Reap,សៀមរាប,1702,Angkor Thum,អង្គរធំ,170201,Chob Ta Trav,ជប់តាត្រាវ,17020101,Chob,ជប់
01,Banteay Meanchey,បន្ទាយមានជ័យ,0102,Mongkol Borei,មង្គលបូរី,010201,Banteay Neang,បន្ទាយនាង,01020101,Ou Thum,អូរធំ
01,Banteay Meanchey,បន្ទាយមានជ័យ,0102,Mongkol Borei,មង្គលបូរី,010201,Banteay Neang,បន្ទាយនាង,01020102,Phnum,ភ្នំ
`,
	'population.csv': `geo_code,year,households
17010101,2024,10
17010102,2024,5
17010201,2024,8
17020101,2024,4
01020101,2024,20
01020102,2024,2
`,
	// O2 closes before the end of 2025-Q2; O5 opens on its last day, O6 the day after.
	'offices.csv': `office_code,level,geo_code,opened_on,closed_on
O1,commune_front,170101,2014-06-01,
O2,commune_front,170102,2015-01-01,2025-05-31
O3,district_back,1701,2015-03-01,
O4,province_back,17,2015-03-01,
O5,commune_front,010201,2025-06-30,
O6,commune_front,170201,2025-07-01,
`,
	'programmes.csv': `programme_code,name_en,kind,unit,target
HEF,Health Equity Fund,social_assistance,household,idpoor
CT,Cash transfer for young children,social_assistance,household,idpoor&age<2
OAA,Old-age allowance,social_assistance,person,age>=60&idpoor
`,
	// H3 is registered on the last day of 2025-Q2, H5 the day after; H4 has no members.
	'households.csv': `household_id,village_code,registered_on,idpoor_level
H1,17010101,2021-03-01,1
H2,17010101,2022-06-15,
H3,17010101,2025-06-30,2
H4,17010102,2023-01-10,1
H5,17010201,2025-07-01,1
H6,17020101,2024-07-01,2
H7,01020101,2023-05-05,1
H8,01020101,2024-02-01,
`,
	// P4 turns 60 on 2025-07-01 (59 at the end of June); P10 turns 2 on 2025-06-30 (no longer
	// under 2 at the end of June, still under 2 at the end of May); P5 and P13 share a
	// national ID (possible duplicates).
	'members.csv': `person_id,household_id,sex,birth_date,national_id,disability
P1,H1,F,1960-05-01,,no
P2,H1,M,2024-01-15,,
P3,H1,F,1990-01-01,,yes
P4,H2,M,1965-07-01,,
P5,H2,F,1970-03-03,N-1,
P6,H3,F,1950-01-01,,
P7,H3,M,2023-08-01,,
P8,H5,M,1940-01-01,,
P9,H6,M,1963-06-30,,yes
P10,H6,F,2023-06-30,,
P11,H7,F,1955-12-31,,
P12,H7,M,2024-12-01,,
P13,H8,M,1958-02-02,N-1,
`,
	'applications.csv': `application_id,programme_code,household_id,person_id,applied_on,status,decided_on
A1,HEF,H1,,2021-03-05,approved,2021-03-25
A2,HEF,H3,,2025-06-30,pending,
A3,HEF,H4,,2025-04-10,pending,
A4,CT,H7,,2025-03-20,approved,2025-04-19
A5,CT,H6,,2025-04-01,rejected,2025-04-11
A6,OAA,H2,P4,2025-05-02,approved,2025-06-11
A7,OAA,H8,P13,2025-01-10,approved,2025-07-05
A8,HEF,H6,,2025-05-20,withdrawn,
A9,HEF,H7,,2025-04-15,rejected,2025-06-20
A10,HEF,H2,,2025-02-01,approved,2025-04-03
`,
	'enrolments.csv': `enrolment_id,programme_code,household_id,person_id,enrolled_on,exited_on
E1,HEF,H1,,2021-04-01,
E2,HEF,H6,,2024-08-01,
E3,HEF,H2,,2022-07-01,
E4,HEF,H7,,2023-06-01,2025-05-15
E5,CT,H1,,2024-02-01,
E6,CT,H6,,2023-07-15,
E7,OAA,H1,P1,2020-06-01,
E8,OAA,H6,P9,2025-06-30,
E9,OAA,H8,P13,2023-03-01,
E10,OAA,H2,P4,2025-04-10,2025-04-20
`,
	// B9 pays for 2025-05, a month before its enrolment (2025-06-30): a data-quality issue.
	'benefits.csv': `benefit_id,enrolment_id,period,delivered_on,amount_khr
B1,E1,2025-05,2025-05-10,100000
B2,E1,2025-06,2025-06-10,100000
B3,E2,2025-03,2025-03-15,100000
B4,E4,2025-04,2025-04-20,100000
B5,E5,2025-06,2025-06-05,100000
B6,E7,2025-06,2025-06-20,100000
B7,E9,2025-04,2025-04-05,100000
B8,E10,2025-04,2025-04-15,100000
B9,E8,2025-05,2025-06-30,100000
`,
	'appeals.csv': `appeal_id,household_id,programme_code,village_code,lodged_on,channel,category,status,resolved_on
AP1,H1,HEF,17010101,2025-04-02,commune_office,exclusion,resolved,2025-04-12
AP2,,,17010101,2025-05-01,village_chief,other,rejected,2025-05-31
AP3,H6,CT,17020101,2025-03-01,hotline,payment,open,
AP4,H7,,01020101,2025-06-15,commune_office,service_quality,escalated,
AP5,H8,OAA,01020101,2025-01-05,other,exclusion,resolved,2025-06-25
AP6,,,17010201,2024-11-20,village_chief,other,resolved,2025-02-10
`
};

/** The refresh runs as of this day: latest complete month 2025-06. */
export const FIXTURE_TODAY = '2025-07-10';

/** Every unit of the fixture by level. */
export const FIXTURE_UNITS = {
	national: ['KH'],
	province: ['01', '17'],
	district: ['0102', '1701', '1702'],
	commune: ['010201', '170101', '170102', '170201'],
	village: ['01020101', '01020102', '17010101', '17010102', '17010201', '17020101']
} as const;

/** A new temporary directory holding `files` (name → content), for `importPath`. */
export function writeDir(files: Record<string, string>): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'ssdm-fixture-'));
	for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
	return dir;
}

/**
 * A database of `kind` with the fixture imported, then the files of `extra` (name → content),
 * refreshed in full as of `FIXTURE_TODAY`; `drop` removes it and the files.
 */
export async function refreshedFixture(
	kind: DatabaseKind,
	extra: Record<string, string>
): Promise<{ database: TestDatabase; drop: () => Promise<void> }> {
	const database = await createTestDatabase(kind);
	const dirs = [writeDir(FIXTURE_FILES), writeDir(extra)];
	const drop = async () => {
		await database.drop();
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	};
	try {
		for (const dir of dirs) await importPath(database.db, dir);
		await refreshAll(database.db, { today: FIXTURE_TODAY });
	} catch (error) {
		// The caller gets no `drop` then: nothing is left behind.
		await drop();
		throw error;
	}
	return { database, drop };
}
