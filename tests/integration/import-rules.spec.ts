/**
 * The rules of domain.md §3 that need the registry, one crafted bad row each, with the exact
 * message: references to households, persons, programmes, enrolments and geographic units,
 * a person in another household, a household in another village, and date order.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { importFile } from '../../src/lib/server/ingest/import-file';
import { createTestDatabase, type TestDatabase } from './test-database';

const REGISTRY = {
	'gazetteer.csv': `province_code,district_code,commune_code,village_code
17,1701,170101,17010101
17,1701,170101,17010102
`,
	'programmes.csv': `programme_code,name_en,kind,unit,target
HEF,Health Equity Fund,social_assistance,household,idpoor
`,
	'households.csv': `household_id,village_code,registered_on,idpoor_level
H1,17010101,2024-01-10,1
H2,17010102,2024-01-11,
`,
	'members.csv': `person_id,household_id,sex,birth_date
P1,H1,F,1980-01-01
P2,H2,M,1985-02-02
`,
	'enrolments.csv': `enrolment_id,programme_code,household_id,enrolled_on
E1,HEF,H1,2024-03-01
`
};

// [file, header, one good row, one bad row, rejected column, error]
const CASES: [string, string, string, string, string, string][] = [
	[
		'population.csv',
		'geo_code,year,households',
		'17010101,2024,10',
		'17010199,2024,10',
		'geo_code',
		'unknown geographic unit 17010199'
	],
	[
		'offices.csv',
		'office_code,level,geo_code,opened_on',
		'CF-1,commune_front,170101,2014-06-01',
		'CF-2,commune_front,170199,2014-06-01',
		'geo_code',
		'unknown geographic unit 170199'
	],
	[
		'applications.csv',
		'application_id,programme_code,household_id,person_id,applied_on,status',
		'A1,HEF,H1,P1,2024-02-01,pending',
		'A2,XYZ,H1,,2024-02-01,pending',
		'programme_code',
		'unknown programme XYZ'
	],
	[
		'applications.csv',
		'application_id,programme_code,household_id,person_id,applied_on,status',
		'A1,HEF,H1,P1,2024-02-01,pending',
		'A2,HEF,H1,P9,2024-02-01,pending',
		'person_id',
		'unknown person P9'
	],
	[
		'applications.csv',
		'application_id,programme_code,household_id,person_id,applied_on,status',
		'A1,HEF,H1,P1,2024-02-01,pending',
		'A2,HEF,H1,P2,2024-02-01,pending',
		'person_id',
		'the person belongs to another household'
	],
	[
		'enrolments.csv',
		'enrolment_id,programme_code,household_id,enrolled_on',
		'E2,HEF,H2,2024-03-01',
		'E3,HEF,H9,2024-03-01',
		'household_id',
		'unknown household H9'
	],
	[
		'enrolments.csv',
		'enrolment_id,programme_code,household_id,enrolled_on,exited_on',
		'E2,HEF,H2,2024-03-01,',
		'E3,HEF,H2,2024-03-01,2024-02-01',
		'exited_on',
		'exited_on 2024-02-01 is before enrolled_on 2024-03-01'
	],
	[
		'benefits.csv',
		'benefit_id,enrolment_id,period,delivered_on',
		'B1,E1,2024-03,2024-03-20',
		'B2,E9,2024-03,2024-03-20',
		'enrolment_id',
		'unknown enrolment E9'
	],
	[
		'appeals.csv',
		'appeal_id,household_id,village_code,lodged_on,channel,category,status,resolved_on',
		'AP1,H1,17010101,2025-01-05,hotline,payment,resolved,2025-01-09',
		'AP2,H1,17010101,2025-01-05,hotline,payment,resolved,2025-01-01',
		'resolved_on',
		'resolved_on 2025-01-01 is before lodged_on 2025-01-05'
	],
	[
		'appeals.csv',
		'appeal_id,household_id,village_code,lodged_on,channel,category,status,resolved_on',
		'AP1,H1,17010101,2025-01-05,hotline,payment,open,',
		'AP2,H1,17010102,2025-01-05,hotline,payment,open,',
		'village_code',
		'the household lives in another village'
	]
];

describe('registry rules at import', () => {
	let database: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase('pglite');
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-rules-'));
		for (const [name, content] of Object.entries(REGISTRY)) {
			writeFileSync(path.join(dir, name), content);
		}
		const outcomes = await importPath(database.db, dir, { today: '2026-01-15' });
		expect(outcomes.map((o) => (o.ok ? o.summary.rejected : o.error))).toEqual([0, 0, 0, 0, 0]);
	});
	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it.each(CASES)('%s rejects a bad row (%s …)', async (file, header, good, bad, column, error) => {
		const cases = path.join(dir, 'cases');
		const target = path.join(mkdtempSync(`${cases}-`), file);
		writeFileSync(target, `${header}\n${good}\n${bad}\n`);
		const summary = await importFile(database.db, target, { today: '2026-01-15' });
		expect(summary.rejections.map((r) => [r.rowNumber, r.column, r.error])).toEqual([
			[2, column, error]
		]);
		expect(summary.read - summary.rejected).toBe(1);
	});
});
