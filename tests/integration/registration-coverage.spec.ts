/**
 * registration_coverage on a hand-built registry, at every level, with every expected value
 * worked out by hand (see the comments), through the real importer, refresh and API.
 */
import { storeSource } from '../../src/lib/server/indicators/source';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { ApiError, getIndicatorRows, indicatorRowsCsv } from '../../src/lib/server/indicators/api';
import { refreshAll } from '../../src/lib/server/indicators/refresh';
import { FIXTURE_FILES } from './indicator-fixture';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const FILES = {
	// The same six villages as the indicator fixture.
	'gazetteer.csv': FIXTURE_FILES['gazetteer.csv'],
	// 17010101 has a 2020 and a 2024 figure; commune 170201 has its own figure (5), which
	// wins over its only village's (4); village 01020102 has zero households.
	'population.csv': `geo_code,year,households
17010101,2020,6
17010101,2024,10
17010102,2024,5
17010201,2024,8
17020101,2024,4
170201,2024,5
01020101,2024,20
01020102,2024,0
`,
	'households.csv': `household_id,village_code,registered_on,idpoor_level,office_code
H1,17010101,2021-03-01,1,
H2,17010101,2022-06-15,,
H3,17010101,2025-01-10,2,
H4,17010102,2022-12-31,,
H5,17010201,2025-02-01,,
H6,17020101,2024-07-01,1,
H7,17020101,2025-03-01,,
H8,01020101,2023-05-05,,
`
};

type Expected = Record<string, [numerator: number, denominator: number | null]>;

// Period 2022 (end 2022-12-31; population year ≤ 2022): only 17010101 has a figure (6, from
// 2020). Registered: H1, H2 in 17010101 and H4 (registered on the last day) in 17010102.
const EXPECTED_2022: Record<string, Expected> = {
	village: {
		'01020101': [0, null],
		'01020102': [0, null],
		'17010101': [2, 6],
		'17010102': [1, null],
		'17010201': [0, null],
		'17020101': [0, null]
	},
	commune: { '010201': [0, null], '170101': [3, 6], '170102': [0, null], '170201': [0, null] },
	district: { '0102': [0, null], '1701': [3, 6], '1702': [0, null] },
	province: { '01': [0, null], '17': [3, 6] },
	national: { KH: [3, 6] }
};

// Period 2025 (end 2025-12-31; population 2024): every household is registered.
// 170101 = 3+1 / 10+5; 170201 uses its own 5; 1701 = 4+1 / 15+8; 17 = 5+2 / 23+5;
// 010201 = 1+0 / 20+0; nation = 7+1 / 28+20.
const EXPECTED_2025: Record<string, Expected> = {
	village: {
		'01020101': [1, 20],
		'01020102': [0, 0],
		'17010101': [3, 10],
		'17010102': [1, 5],
		'17010201': [1, 8],
		'17020101': [2, 4]
	},
	commune: { '010201': [1, 20], '170101': [4, 15], '170102': [1, 8], '170201': [2, 5] },
	district: { '0102': [1, 20], '1701': [5, 23], '1702': [2, 5] },
	province: { '01': [1, 20], '17': [7, 28] },
	national: { KH: [8, 48] }
};

// Month 2025-02 (end 2025-02-28): as 2025 but H7 (registered 2025-03-01) is not yet in.
const EXPECTED_2025_02: Record<string, Expected> = {
	...EXPECTED_2025,
	village: { ...EXPECTED_2025.village, '17020101': [1, 4] },
	commune: { ...EXPECTED_2025.commune, '170201': [1, 5] },
	district: { ...EXPECTED_2025.district, '1702': [1, 5] },
	province: { ...EXPECTED_2025.province, '17': [6, 28] },
	national: { KH: [7, 48] }
};

function valueOf([numerator, denominator]: [number, number | null]) {
	return denominator ? numerator / denominator : null;
}

describe.each(DATABASE_KINDS)('registration_coverage on %s', (kind) => {
	let database: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-coverage-'));
		for (const [name, content] of Object.entries(FILES))
			writeFileSync(path.join(dir, name), content);
		const outcomes = await importPath(database.db, dir);
		expect(outcomes.map((o) => (o.ok ? o.summary.rejected : o.error))).toEqual([0, 0, 0]);
		await refreshAll(database.db, { today: '2026-01-15' });
	});

	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it.each([
		['2022', EXPECTED_2022],
		['2025', EXPECTED_2025],
		['2025-02', EXPECTED_2025_02]
	])('matches the hand-computed values for %s at every level', async (period, expected) => {
		for (const [level, units] of Object.entries(expected)) {
			const rows = await getIndicatorRows(
				storeSource(database.db),
				'registration_coverage',
				new URLSearchParams({ level, period })
			);
			const actual = Object.fromEntries(
				rows.map((r) => [r.code, [r.numerator, r.denominator, r.value]])
			);
			const wanted = Object.fromEntries(
				Object.entries(units).map(([code, nd]) => [code, [nd[0], nd[1], valueOf(nd)]])
			);
			expect(actual, `${level} ${period}`).toEqual(wanted);
		}
	});

	it('lists a parent’s children with names, and any descendants below it', async () => {
		const districts = await getIndicatorRows(
			storeSource(database.db),
			'registration_coverage',
			new URLSearchParams({ level: 'district', parent: '17', period: '2025' })
		);
		expect(districts).toEqual([
			{
				code: '1701',
				name_en: 'Angkor Chum',
				name_km: 'អង្គរជុំ',
				period: '2025',
				programme: null,
				group: null,
				numerator: 5,
				denominator: 23,
				value: 5 / 23,
				suppressed: false
			},
			{
				code: '1702',
				name_en: 'Angkor Thum',
				name_km: 'អង្គរធំ',
				period: '2025',
				programme: null,
				group: null,
				numerator: 2,
				denominator: 5,
				value: 2 / 5,
				suppressed: false
			}
		]);
		const villages = await getIndicatorRows(
			storeSource(database.db),
			'registration_coverage',
			new URLSearchParams({ level: 'village', parent: '1701', period: '2025' })
		);
		expect(villages.map((v) => v.code)).toEqual(['17010101', '17010102', '17010201']);
	});

	it('defaults to the latest complete month', async () => {
		const rows = await getIndicatorRows(
			storeSource(database.db),
			'registration_coverage',
			new URLSearchParams({ level: 'national' }),
			'2026-01-15'
		);
		expect(rows).toEqual([
			{
				code: 'KH',
				name_en: 'Cambodia',
				name_km: 'កម្ពុជា',
				period: '2025-12',
				programme: null,
				group: null,
				numerator: 8,
				denominator: 48,
				value: 8 / 48,
				suppressed: false
			}
		]);
	});

	it('serves the same rows as CSV, with empty cells for a zero denominator', async () => {
		const rows = await getIndicatorRows(
			storeSource(database.db),
			'registration_coverage',
			new URLSearchParams({ level: 'village', parent: '0102', period: '2025' })
		);
		expect(indicatorRowsCsv(rows)).toBe(
			'code,name_en,name_km,period,programme,group,numerator,denominator,value,suppressed\n' +
				'01020101,Ou Thum,អូរធំ,2025,,,1,20,0.05,false\n' +
				'01020102,Phnum,ភ្នំ,2025,,,0,0,,false\n'
		);
	});

	it.each([
		[
			{ level: 'town' },
			400,
			'level: Invalid option: expected one of "national"|"province"|"district"|"commune"|"village"'
		],
		[
			{ level: 'district', parent: '1701' },
			400,
			'parent 1701 is a district: it has no district below it'
		],
		[{ parent: '99' }, 404, 'unknown geographic unit 99'],
		[{ period: '2025-13' }, 400, 'period: period must be YYYY-MM, YYYY-Qn or YYYY'],
		[
			{ period: '2019' },
			404,
			// The refresh as of 2026-01-15 with households since 2021 (see beforeAll).
			'no values for period 2019: computed are months 2025-01 … 2025-12, quarters 2025-Q1 … 2025-Q4, years 2021 … 2026'
		],
		[
			{ colour: 'red' },
			400,
			'unknown parameter colour (expected level, parent, period, programme, by, format)'
		],
		[
			{ level: 'village', programme: 'HEF' },
			400,
			'registration_coverage is not computed per programme: omit programme'
		],
		[{ by: 'sex' }, 400, 'registration_coverage cannot be split by sex (it has no disaggregations)']
	])('rejects %o with %i: %s', async (params, status, message) => {
		const call = getIndicatorRows(
			storeSource(database.db),
			'registration_coverage',
			new URLSearchParams(params)
		);
		await expect(call).rejects.toEqual(new ApiError(status as 400 | 404, message));
		await expect(call).rejects.toMatchObject({ status });
	});
});
