/**
 * Releases (issue #6) of the hand-built registry of `indicator-fixture.ts`, published by the
 * real job and read back independently: the CSV with csv-parse, the JSON with JSON.parse, the
 * Parquet with DuckDB, the XLSX with exceljs' reader, and `datapackage.json` with the
 * Frictionless Data validator (`datapackage`, its tabular-data-package profile). Values are
 * compared with the indicator API; suppressed cells must be empty, never 0.
 *
 * Row counts, worked out by hand: the fixture has 3 programmes (HEF and CT count households,
 * OAA persons) and 21 computed periods (years 2021–2025, months 2024-07…2025-06, quarters
 * 2024-Q3…2025-Q2). Per unit and period an indicator has one row per programme option and
 * group: per-programme indicators with every group have 4 ('' and idpoor 1, 2, none) for all
 * programmes, 4 for HEF, 4 for CT and 11 for OAA (total, F, M, children, working_age,
 * older_persons, yes, no, 1, 2, none) = 23 (eligible, enrolment_coverage, take_up,
 * effective_coverage, inclusion_outside_target: 115); application indicators with idpoor only,
 * 4 × 4 = 16 (applications_received, approval_rate, processing_days_median,
 * applications_backlog: 64); combined_package 4; registration_coverage, offices_open,
 * commune_office_coverage and the 4 appeal indicators 1 each (7). 190 rows per unit and period,
 * × 21 periods = 3,990 per unit: national 1 unit, provinces 2, districts 3, communes 4.
 */
import { storeSource } from '../../src/lib/server/indicators/source';
import { createHash } from 'node:crypto';
import {
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
// @ts-expect-error -- the Frictionless Data validator ships no types
import { validate as validateDataPackage } from 'datapackage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, PERSON_ONLY_GROUPS } from '../../src/lib/indicators/catalogue';
import {
	additivityOverTime,
	disclosureKey,
	disclosureRule,
	periodSums,
	suppressSmallCells,
	type DisclosureCell
} from '../../src/lib/indicators/disclosure';
import {
	datasetFileName,
	RELEASE_COLUMNS,
	RELEASE_LEVELS,
	type ReleaseLevel
} from '../../src/lib/releases/schema';
import { getIndicatorRows } from '../../src/lib/server/indicators/api';
import { getIndicatorSeries, getUnitValues } from '../../src/lib/server/indicators/series';
import { releaseSource } from '../../src/lib/server/indicators/source';
import { PublishedRelease } from '../../src/lib/server/releases/published';
import { refreshAll } from '../../src/lib/server/indicators/refresh';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import type { ReleaseChangelog } from '../../src/lib/server/releases/changelog';
import {
	definitionsFingerprint,
	type ReleaseDataPackage
} from '../../src/lib/server/releases/datapackage';
import {
	PUBLIC_DISCLOSURE,
	type ReleaseDisclosure
} from '../../src/lib/server/releases/disclosure';
import {
	readReleaseFrame,
	readTable,
	type ReleaseTable
} from '../../src/lib/server/releases/read-values';
import { publishRelease } from '../../src/lib/server/releases/publish';
import { RELEASE_FILES } from '../../src/lib/server/releases/store';
import { FIXTURE_FILES, FIXTURE_TODAY } from './indicator-fixture';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const ROWS_PER_UNIT = 190 * 21;
const EXPECTED_ROWS: Record<ReleaseLevel, number> = {
	national: ROWS_PER_UNIT,
	province: 2 * ROWS_PER_UNIT,
	district: 3 * ROWS_PER_UNIT,
	commune: 4 * ROWS_PER_UNIT
};
const PROGRAMMES = { HEF: 'household', CT: 'household', OAA: 'person' } as const;
const COLUMNS = RELEASE_COLUMNS.map((c) => c.name);

/**
 * Suppresses no cell: the reading and writing tested apart from suppression (a median's record
 * count is still not published: that is how a row is written, suppressed or not).
 */
const NO_SUPPRESSION: ReleaseDisclosure = {
	periodTables: (_, periods) => periods.map((period) => [period]),
	suppressTable: (_, table) => new Uint8Array(table.size)
};

type Cells = string[][];

/** The files under `dir` this process holds open (Linux: its descriptors in /proc/self/fd). */
function openFilesUnder(dir: string): string[] {
	return readdirSync('/proc/self/fd')
		.map((fd) => {
			try {
				return readlinkSync(`/proc/self/fd/${fd}`);
			} catch {
				return ''; // the descriptor readdir itself used, closed since
			}
		})
		.filter((target) => target.startsWith(`${dir}${path.sep}`));
}

/** A cell as text, the way the CSV writes it: '' for null, true/false, numbers as JS prints them. */
function text(value: unknown): string {
	if (value === null || value === undefined) return '';
	return String(value);
}

function readCsv(file: string): Cells {
	const [header, ...records] = parse(readFileSync(file), { bom: false }) as string[][];
	expect(header).toEqual(COLUMNS);
	return records;
}

function readJson(file: string): Cells {
	const rows = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
	return rows.map((row) => {
		expect(Object.keys(row)).toEqual(COLUMNS);
		return COLUMNS.map((c) => text(row[c]));
	});
}

async function readParquet(file: string): Promise<Cells> {
	const instance = await DuckDBInstance.create(':memory:');
	const connection = await instance.connect();
	try {
		const result = await connection.runAndReadAll(
			`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`
		);
		expect(result.columnNames()).toEqual(COLUMNS);
		return result.getRowObjectsJS().map((row) => COLUMNS.map((c) => text(row[c])));
	} finally {
		connection.closeSync();
		instance.closeSync();
	}
}

async function readXlsx(file: string): Promise<{ sheets: string[]; cells: Cells }> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.readFile(file);
	const cells: Cells = [];
	const data = workbook.worksheets.filter((sheet) => sheet.name !== 'about');
	for (const sheet of data) {
		sheet.eachRow((row, number) => {
			const values = COLUMNS.map((_, i) => text(row.getCell(i + 1).value));
			if (number === 1) expect(values).toEqual(COLUMNS);
			else cells.push(values);
		});
	}
	return { sheets: workbook.worksheets.map((s) => s.name), cells };
}

const at = (name: string) => COLUMNS.indexOf(name);
const keyOf = (cells: string[]) =>
	['indicator', 'period', 'code', 'programme', 'group_by', 'group_value']
		.map((c) => cells[at(c)])
		.join('|');

/** Every API query of an indicator: programme options × groups, as the API accepts them. */
function apiQueries(indicator: (typeof CATALOGUE)[number]) {
	const programmes: [string | undefined, string | undefined][] = [
		[undefined, undefined],
		...(indicator.perProgramme
			? (Object.entries(PROGRAMMES) as [string, string][]).map(
					([code, unit]) => [code, unit] as [string, string]
				)
			: [])
	];
	return programmes.flatMap(([programme, unit]) => [
		{ programme, by: undefined },
		...indicator.disaggregations
			.filter((by) => !PERSON_ONLY_GROUPS.includes(by) || unit === 'person')
			.map((by) => ({ programme, by }))
	]);
}

/** Every cell of a table, zeros included, by cell index (as suppressSmallCells takes them). */
function spelledOut(table: ReleaseTable): DisclosureCell[] {
	const cells: DisclosureCell[] = [];
	for (const period of table.periods)
		table.units.forEach((unit, u) => {
			const parent = table.parents[u]!;
			for (const option of table.options) {
				const value = table.values.get(cells.length);
				cells.push({
					period,
					unitCode: unit.code,
					parentCode: parent < 0 ? null : table.units[parent]!.code,
					programme: option.programme,
					groupBy: option.group_by,
					groupValue: option.group_value,
					numerator: value?.numerator ?? 0,
					denominator: value ? value.denominator : table.indicator.denominator === null ? null : 0
				});
			}
		});
	return cells;
}

/** The suppressed cells of a table as `level|period|code|programme|group_by|group_value`. */
function hiddenKeys(table: ReleaseTable, suppressed: Uint8Array): string[] {
	return spelledOut(table).flatMap((cell, i) =>
		suppressed[i]
			? [`${cell.period}|${cell.unitCode}|${cell.programme}|${cell.groupBy}|${cell.groupValue}`]
			: []
	);
}

describe.each(DATABASE_KINDS)('releases of the hand-built registry (%s)', (kind) => {
	let database: TestDatabase;
	let work: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		work = mkdtempSync(path.join(tmpdir(), 'ssdm-releases-'));
		for (const [name, content] of Object.entries(FIXTURE_FILES)) {
			writeFileSync(path.join(work, name), content);
		}
		await importPath(database.db, work);
		await refreshAll(database.db, { today: FIXTURE_TODAY });
	}, 120_000);

	afterAll(async () => {
		await database?.drop();
		if (work) rmSync(work, { recursive: true, force: true });
	});

	it('publishes every cell of every level alike in CSV, JSON, Parquet and XLSX, equal to the API', async () => {
		const dir = path.join(work, 'all-cells');
		const result = await publishRelease(database.db, {
			dir,
			asOf: FIXTURE_TODAY,
			disclosure: NO_SUPPRESSION
		});
		expect(result.release).toBe('2025-07-10.1');
		expect(result.rows).toEqual(EXPECTED_ROWS);
		expect(result.unexpected).toBe(0);
		expect(JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8'))).toEqual({
			release: '2025-07-10.1'
		});
		const release = path.join(dir, '2025-07-10.1');
		expect(readdirSync(release).sort()).toEqual([...RELEASE_FILES].sort());

		const apiCells = new Map<string, [number | null, number | null, number | null]>();
		for (const level of RELEASE_LEVELS) {
			const file = (format: 'csv' | 'json' | 'parquet' | 'xlsx') =>
				path.join(release, datasetFileName(level, format));
			const csv = readCsv(file('csv'));
			expect(csv).toHaveLength(EXPECTED_ROWS[level]);
			expect(readJson(file('json'))).toEqual(csv);
			expect(await readParquet(file('parquet'))).toEqual(csv);
			const xlsx = await readXlsx(file('xlsx'));
			expect(xlsx.sheets).toEqual([level, 'about']);
			expect(xlsx.cells).toEqual(csv);
			// Sorted by indicator, period, code, programme and group (Parquet row groups prune).
			const sortKey = (cells: string[]) =>
				['indicator', 'period', 'code', 'programme', 'group_by', 'group_value'].map(
					(c) => cells[at(c)]!
				);
			const order = (a: string[], b: string[]) => {
				for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
				return 0;
			};
			const keys = csv.map(sortKey);
			expect([...keys].sort(order)).toEqual(keys);

			// Every cell of two periods against the API, every query it accepts.
			for (const period of ['2025-Q2', '2024']) {
				for (const indicator of CATALOGUE.filter((i) => !i.internal)) {
					for (const { programme, by } of apiQueries(indicator)) {
						const params = new URLSearchParams({ level, period });
						if (programme) params.set('programme', programme);
						if (by) params.set('by', by);
						for (const row of await getIndicatorRows(
							storeSource(database.db),
							indicator.id,
							params
						)) {
							const key = [
								indicator.id,
								period,
								row.code,
								programme ?? '',
								by ?? '',
								row.group ?? ''
							].join('|');
							apiCells.set(key, [
								indicator.unit === 'days' ? null : row.numerator,
								row.denominator,
								row.value
							]);
						}
					}
				}
			}
			const published = csv.filter((cells) => ['2025-Q2', '2024'].includes(cells[at('period')]!));
			for (const cells of published) {
				expect(
					['numerator', 'denominator', 'value', 'suppressed'].map((c) => cells[at(c)]),
					keyOf(cells)
				).toEqual([...apiCells.get(keyOf(cells))!.map(text), 'false']);
			}
		}
		// The API answered for exactly the cells the files hold for those periods.
		expect(apiCells.size).toBe(2 * 190 * 10);
		// Names and ancestors come from the gazetteer.
		const commune = readCsv(path.join(release, 'commune.csv')).find(
			(cells) => cells[at('code')] === '170201'
		)!;
		expect(
			['level', 'name_en', 'name_km', 'province_code', 'district_code'].map((c) => commune[at(c)])
		).toEqual(['commune', 'Chob Ta Trav', 'ជប់តាត្រាវ', '17', '1702']);
	});

	it('suppresses small cells with the disclosure module: empty, never 0, the rest equal to the API', async () => {
		const dir = path.join(work, 'public');
		const result = await publishRelease(database.db, { dir, asOf: FIXTURE_TODAY });
		// Suppressed cells under a suppressed unit are left out (a missing row is suppressed).
		for (const level of RELEASE_LEVELS)
			expect(result.rows[level]).toBeLessThanOrEqual(EXPECTED_ROWS[level]);
		expect(result.rows.national).toBe(EXPECTED_ROWS.national);
		expect(result.rows.commune).toBeLessThan(EXPECTED_ROWS.commune);
		const release = path.join(dir, result.release!);
		const byKey = new Map<string, string[]>();
		for (const level of RELEASE_LEVELS) {
			const csv = readCsv(path.join(release, datasetFileName(level, 'csv')));
			expect(await readParquet(path.join(release, datasetFileName(level, 'parquet')))).toEqual(csv);
			for (const cells of csv) {
				byKey.set(keyOf(cells), cells);
				if (cells[at('suppressed')] === 'true') {
					expect(
						['numerator', 'denominator', 'value'].map((c) => cells[at(c)]),
						keyOf(cells)
					).toEqual(['', '', '']);
				} else {
					expect(cells[at('suppressed')]).toBe('false');
				}
			}
		}
		// The fixture's geography (indicator-fixture.ts), for the unit above a left-out row.
		const PARENT: Record<string, string> = {
			'17': 'KH',
			'01': 'KH',
			'1701': '17',
			'1702': '17',
			'0102': '01',
			'170101': '1701',
			'170102': '1701',
			'170201': '1702',
			'010201': '0102'
		};
		/** A cell's published figures; a missing one must sit under a suppressed unit. */
		const published = (key: string[]): string[] => {
			const cells = byKey.get(key.join('|'));
			if (cells) return cells;
			const [indicator, period, code, ...rest] = key;
			const parent = PARENT[code!];
			expect(parent, `${key.join('|')} is missing at the top`).toBeDefined();
			const above = published([indicator!, period!, parent!, ...rest]);
			expect(above[at('suppressed')], `the unit above ${key.join('|')}`).toBe('true');
			return [...above.slice(0, at('numerator')), '', '', '', 'true'];
		};
		const figures = (indicator: string, period: string, code: string) =>
			['numerator', 'denominator', 'suppressed']
				.map((c) => published([indicator, period, code, '', '', ''])[at(c)])
				.join(' ');
		// Registration coverage 2025-Q2 (indicators.spec.ts): KH 7/49, 17 5/27, 01 2/22, 1701
		// 4/23, 1702 1/4, 0102 2/22, 170101 4/15, 170102 0/8, 170201 1/4, 010201 2/22. Rates
		// with a denominator below 20 are suppressed (1702, 170101, 170102, 170201); which
		// complements hide them is the disclosure module's choice: the release must make the
		// same one as the module given this table by hand.
		const table: [string, string | null, number, number][] = [
			['KH', null, 7, 49],
			['17', 'KH', 5, 27],
			['01', 'KH', 2, 22],
			['1701', '17', 4, 23],
			['1702', '17', 1, 4],
			['0102', '01', 2, 22],
			['170101', '1701', 4, 15],
			['170102', '1701', 0, 8],
			['170201', '1702', 1, 4],
			['010201', '0102', 2, 22]
		];
		const hidden = suppressSmallCells(
			table.map(([unitCode, parentCode, numerator, denominator]) => ({
				period: '2025-Q2',
				unitCode,
				parentCode,
				programme: '',
				groupBy: '',
				groupValue: '',
				numerator,
				denominator
			})),
			{ rule: 'rate' }
		);
		for (const code of ['1702', '170101', '170102', '170201'])
			expect(hidden.get(`2025-Q2|${code}|||`)).toBe('primary');
		expect(hidden.has('2025-Q2|KH|||')).toBe(false);
		expect(table.map(([code]) => figures('registration_coverage', '2025-Q2', code))).toEqual(
			table.map(([code, , numerator, denominator]) =>
				hidden.has(`2025-Q2|${code}|||`) ? '  true' : `${numerator} ${denominator} false`
			)
		);
		// Offices are public buildings: published whatever the count (4 open at KH on 2025-06-30).
		expect(figures('offices_open', '2025-Q2', 'KH')).toBe('4  false');
		// Every cell the API has for 2025-Q2, every query it accepts: published equal to the API
		// (a median's record count is never published), or suppressed (present or left out).
		let checked = 0;
		for (const indicator of CATALOGUE.filter((i) => !i.internal)) {
			for (const level of RELEASE_LEVELS) {
				for (const { programme, by } of apiQueries(indicator)) {
					const params = new URLSearchParams({ level, period: '2025-Q2' });
					if (programme) params.set('programme', programme);
					if (by) params.set('by', by);
					for (const row of await getIndicatorRows(
						storeSource(database.db),
						indicator.id,
						params
					)) {
						const key = [
							indicator.id,
							'2025-Q2',
							row.code,
							programme ?? '',
							by ?? '',
							row.group ?? ''
						];
						const cells = published(key);
						checked++;
						if (cells[at('suppressed')] === 'true') continue;
						expect(cells[at('value')], key.join('|')).toBe(text(row.value));
						expect(cells[at('denominator')]).toBe(text(row.denominator));
						expect(cells[at('numerator')]).toBe(
							indicator.unit === 'days' ? '' : text(row.numerator)
						);
					}
				}
			}
		}
		expect(checked).toBe(190 * 10);

		// The public API reads this release: every row is the published cell (a left-out one
		// suppressed), for the same units as the store's answer, never a figure the files hide.
		const source = releaseSource(await PublishedRelease.open(dir, result.release!));
		let answered = 0;
		for (const indicator of CATALOGUE.filter((i) => !i.internal)) {
			for (const level of RELEASE_LEVELS) {
				for (const { programme, by } of apiQueries(indicator)) {
					const params = new URLSearchParams({ level, period: '2025-Q2' });
					if (programme) params.set('programme', programme);
					if (by) params.set('by', by);
					const rows = await getIndicatorRows(source, indicator.id, params);
					const store = await getIndicatorRows(storeSource(database.db), indicator.id, params);
					expect(rows.map((r) => [r.code, r.group])).toEqual(store.map((r) => [r.code, r.group]));
					for (const row of rows) {
						const key = [
							indicator.id,
							'2025-Q2',
							row.code,
							programme ?? '',
							by ?? '',
							row.group ?? ''
						];
						const cells = published(key);
						answered++;
						expect(
							[row.numerator, row.denominator, row.value].map(text).concat(String(row.suppressed)),
							key.join('|')
						).toEqual(['numerator', 'denominator', 'value', 'suppressed'].map((c) => cells[at(c)]));
					}
				}
			}
		}
		expect(answered).toBe(190 * 10);
		// 170102 (0 of 8 households registered) is suppressed, so is its parent 1701's
		// complement; the series and unit profile say so instead of a 0.
		const series = await getIndicatorSeries(
			source,
			'registration_coverage',
			new URLSearchParams({ units: 'KH,170102', kind: 'quarter' })
		);
		expect(series.find((p) => p.code === 'KH' && p.period === '2025-Q2')).toEqual({
			code: 'KH',
			period: '2025-Q2',
			numerator: 7,
			denominator: 49,
			value: 7 / 49,
			suppressed: false
		});
		expect(series.find((p) => p.code === '170102' && p.period === '2025-Q2')).toMatchObject({
			numerator: null,
			denominator: null,
			value: null,
			suppressed: true
		});
		const profile = await getUnitValues(
			source,
			'170102',
			new URLSearchParams({ period: '2025-Q2' }),
			false
		);
		expect(profile.values.find((v) => v.indicator === 'registration_coverage')).toEqual({
			indicator: 'registration_coverage',
			programme: null,
			numerator: null,
			denominator: null,
			value: null,
			suppressed: true
		});
		expect(profile.first_office_opened).toBe('2015-01-01');
		// Villages are never published, and the release knows only its own programmes.
		await expect(
			getIndicatorRows(
				source,
				'registration_coverage',
				new URLSearchParams({ level: 'village', period: '2025-Q2' })
			)
		).rejects.toMatchObject({ status: 404 });
		await expect(
			getIndicatorRows(
				source,
				'take_up',
				new URLSearchParams({ level: 'province', period: '2025-Q2', programme: 'NOPE' })
			)
		).rejects.toMatchObject({ status: 404, message: 'unknown programme NOPE' });
	});

	it('suppresses flows a calendar year at a time exactly as in one table of every period', async () => {
		const frame = await readReleaseFrame(database.db);
		for (const id of ['applications_received', 'approval_rate', 'appeals_resolved_rate']) {
			const indicator = frame.indicators.find((i) => i.id === id)!;
			const tables = PUBLIC_DISCLOSURE.periodTables(indicator, frame.periods);
			expect(tables.map((t) => t[0]!.slice(0, 4))).toEqual([
				'2021',
				'2022',
				'2023',
				'2024',
				'2025'
			]);
			const whole = await readTable(database.db, frame, indicator, frame.periods);
			const byYear: string[] = [];
			for (const periods of tables) {
				const table = await readTable(database.db, frame, indicator, periods);
				byYear.push(...hiddenKeys(table, PUBLIC_DISCLOSURE.suppressTable(indicator, table)));
			}
			const together = hiddenKeys(whole, PUBLIC_DISCLOSURE.suppressTable(indicator, whole));
			expect(together.length).toBeGreaterThan(0);
			expect(byYear.sort()).toEqual(together.sort());
		}
	});

	it('suppresses every table exactly as suppressSmallCells given every cell, zeros included', async () => {
		const frame = await readReleaseFrame(database.db);
		let complementary = 0;
		for (const indicator of frame.indicators) {
			for (const periods of PUBLIC_DISCLOSURE.periodTables(indicator, frame.periods)) {
				const table = await readTable(database.db, frame, indicator, periods);
				const cells = spelledOut(table);
				const additivity = additivityOverTime(indicator.id);
				const expected = suppressSmallCells(cells, {
					rule: disclosureRule(indicator),
					time: additivity ? { sums: periodSums(periods), quantities: additivity } : undefined
				});
				const states = PUBLIC_DISCLOSURE.suppressTable(indicator, table);
				const actual = new Map<string, string>();
				cells.forEach((cell, i) => {
					if (states[i])
						actual.set(disclosureKey(cell), states[i] === 1 ? 'primary' : 'complementary');
				});
				expect(actual, `${indicator.id} ${periods.join(' ')}`).toEqual(expected);
				for (const reason of expected.values()) if (reason === 'complementary') complementary++;
			}
		}
		expect(complementary).toBeGreaterThan(0);
	});

	it('describes the release in a datapackage.json the Frictionless validator accepts', async () => {
		const dir = path.join(work, 'descriptor');
		const result = await publishRelease(database.db, {
			dir,
			asOf: FIXTURE_TODAY,
			now: () => new Date('2025-07-10T02:30:00Z')
		});
		const release = path.join(dir, result.release!);
		const descriptor = JSON.parse(
			readFileSync(path.join(release, 'datapackage.json'), 'utf8')
		) as ReleaseDataPackage;
		const { valid, errors } = (await validateDataPackage(descriptor)) as {
			valid: boolean;
			errors: Error[];
		};
		expect(errors.map((e) => e.message)).toEqual([]);
		expect(valid).toBe(true);
		expect(descriptor).toMatchObject({
			profile: 'tabular-data-package',
			id: '2025-07-10.1',
			created: '2025-07-10T02:30:00.000Z',
			asOf: '2025-07-10',
			licenses: [{ name: 'CC-BY-4.0' }],
			definitionsFingerprint: definitionsFingerprint(),
			previous: null
		});
		expect(descriptor.definitionsFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(descriptor.sources.map((s) => s.title).join('\n')).toMatch(/NCDD gazetteer.*MIT/);
		expect(descriptor.sources.map((s) => s.title).join('\n')).toMatch(/geoBoundaries.*CC BY 4\.0/);
		// The 16 datasets (4 levels × 4 formats), units.csv and offices.csv; the descriptor and
		// changelog are not resources.
		expect(descriptor.resources.map((r) => r.path)).toEqual(RELEASE_FILES.slice(0, 18));
		expect(RELEASE_FILES.slice(16, 18)).toEqual(['units.csv', 'offices.csv']);
		for (const resource of descriptor.resources) {
			const bytes = readFileSync(path.join(release, resource.path));
			expect(resource.bytes, resource.path).toBe(bytes.length);
			expect(resource.hash).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
			if ('level' in resource) {
				expect(resource.schema.fields.map((f) => f.name)).toEqual(COLUMNS);
				const csv = path.join(release, datasetFileName(resource.level, 'csv'));
				expect(resource.rows).toBe(readCsv(csv).length);
			} else {
				const [header, ...rows] = parse(bytes) as string[][];
				expect(resource.schema.fields.map((f) => f.name)).toEqual(header);
				expect(resource.rows).toBe(rows.length);
			}
		}
		// The fixture's units with the first office inside each (offices O1–O6 of the fixture),
		// and its offices by opening date, then unit.
		const reference = (file: string) =>
			parse(readFileSync(path.join(release, file)), { columns: true }) as Record<string, string>[];
		expect(
			reference('units.csv').map((u) => [
				u.level,
				u.code,
				u.province_code,
				u.district_code,
				u.first_office_opened
			])
		).toEqual([
			['national', 'KH', '', '', '2014-06-01'],
			['province', '01', '01', '', '2025-06-30'],
			['province', '17', '17', '', '2014-06-01'],
			['district', '0102', '01', '0102', '2025-06-30'],
			['district', '1701', '17', '1701', '2014-06-01'],
			['district', '1702', '17', '1702', '2025-07-01'],
			['commune', '010201', '01', '0102', '2025-06-30'],
			['commune', '170101', '17', '1701', '2014-06-01'],
			['commune', '170102', '17', '1701', '2015-01-01'],
			['commune', '170201', '17', '1702', '2025-07-01']
		]);
		expect(reference('offices.csv')).toEqual([
			{ level: 'commune_front', geo_code: '170101', opened_on: '2014-06-01', closed_on: '' },
			{
				level: 'commune_front',
				geo_code: '170102',
				opened_on: '2015-01-01',
				closed_on: '2025-05-31'
			},
			{ level: 'province_back', geo_code: '17', opened_on: '2015-03-01', closed_on: '' },
			{ level: 'district_back', geo_code: '1701', opened_on: '2015-03-01', closed_on: '' },
			{ level: 'commune_front', geo_code: '010201', opened_on: '2025-06-30', closed_on: '' },
			{ level: 'commune_front', geo_code: '170201', opened_on: '2025-07-01', closed_on: '' }
		]);
		// Another definition, another fingerprint.
		const changed = CATALOGUE.map((i) =>
			i.id === 'take_up' ? { ...i, definition: `${i.definition} ` } : i
		);
		expect(definitionsFingerprint(changed)).not.toBe(descriptor.definitionsFingerprint);
	});

	it('compares with the previous release: nothing new publishes nothing, a change is counted exactly', async () => {
		const dir = path.join(work, 'changes');
		const first = await publishRelease(database.db, {
			dir,
			asOf: FIXTURE_TODAY,
			disclosure: NO_SUPPRESSION
		});
		expect(first.release).toBe('2025-07-10.1');
		const again = await publishRelease(database.db, {
			dir,
			asOf: FIXTURE_TODAY,
			disclosure: NO_SUPPRESSION
		});
		expect(again.release).toBeNull();
		expect(again.unchangedFrom).toBe('2025-07-10.1');
		expect(readdirSync(dir).sort()).toEqual(['2025-07-10.1', 'latest.json']);

		// Village 17020101's 2024 population 4 → 40: registration coverage's denominator changes
		// in commune 170201, district 1702, province 17 and KH for the 18 periods that use the 2024
		// population (2024, 2025, the 12 months and 4 quarters; 2021–2023 have none).
		const dirOfChange = mkdtempSync(path.join(work, 'population-'));
		writeFileSync(
			path.join(dirOfChange, 'population.csv'),
			'geo_code,year,households\n17020101,2024,40\n'
		);
		try {
			await importPath(database.db, dirOfChange);
			await refreshAll(database.db, { today: FIXTURE_TODAY });
			const second = await publishRelease(database.db, {
				dir,
				asOf: FIXTURE_TODAY,
				disclosure: NO_SUPPRESSION
			});
			expect(second.release).toBe('2025-07-10.2');
			const changelog = JSON.parse(
				readFileSync(path.join(dir, '2025-07-10.2', 'changelog.json'), 'utf8')
			) as ReleaseChangelog;
			expect(changelog.previous).toBe('2025-07-10.1');
			expect(changelog.definitions.changed).toBe(false);
			expect(changelog.periods).toEqual({ added: [], removed: [] });
			for (const level of RELEASE_LEVELS) {
				expect(changelog.levels[level], level).toEqual({
					rows: EXPECTED_ROWS[level],
					previousRows: EXPECTED_ROWS[level],
					added: 0,
					removed: 0,
					changed: 18,
					unchanged: EXPECTED_ROWS[level] - 18
				});
			}
			expect(changelog.changesByIndicator).toEqual({ registration_coverage: 72 });
			const national = readCsv(path.join(dir, '2025-07-10.2', 'national.csv')).find(
				(cells) => keyOf(cells) === 'registration_coverage|2025-Q2|KH|||'
			)!;
			expect(national.slice(at('numerator'), at('value'))).toEqual(['7', '85']);
		} finally {
			// Back to the fixture's population for the other tests.
			writeFileSync(
				path.join(dirOfChange, 'population.csv'),
				'geo_code,year,households\n17020101,2024,4\n'
			);
			await importPath(database.db, dirOfChange);
			await refreshAll(database.db, { today: FIXTURE_TODAY });
		}
	});

	it('publishes a new release when only an office changed: the public rollout reads offices.csv', async () => {
		const dir = path.join(work, 'offices');
		const options = { dir, asOf: FIXTURE_TODAY, disclosure: NO_SUPPRESSION };
		expect((await publishRelease(database.db, options)).release).toBe('2025-07-10.1');
		const change = mkdtempSync(path.join(work, 'office-'));
		const offices = (closed: string) =>
			writeFileSync(
				path.join(change, 'offices.csv'),
				`office_code,level,geo_code,opened_on,closed_on\nO6,commune_front,170201,2025-07-01,${closed}\n`
			);
		try {
			// O6 closes: no stored figure changes (no refresh), the offices file does.
			offices('2025-08-01');
			await importPath(database.db, change);
			const second = await publishRelease(database.db, options);
			expect(second.release).toBe('2025-07-10.2');
			for (const level of RELEASE_LEVELS) expect(second.changelog.levels[level].changed).toBe(0);
			const o6 = (
				parse(readFileSync(path.join(dir, '2025-07-10.2', 'offices.csv')), {
					columns: true
				}) as Record<string, string>[]
			).find((o) => o.geo_code === '170201');
			expect(o6).toEqual({
				level: 'commune_front',
				geo_code: '170201',
				opened_on: '2025-07-01',
				closed_on: '2025-08-01'
			});
			expect((await publishRelease(database.db, options)).release).toBeNull();
		} finally {
			offices('');
			await importPath(database.db, change);
		}
	});

	it('never shows a partial release: latest names a whole one while the next is written, a failure leaves nothing', async () => {
		const dir = path.join(work, 'atomic');
		await publishRelease(database.db, { dir, asOf: FIXTURE_TODAY, disclosure: NO_SUPPRESSION });
		let calls = 0;
		const seen: string[][] = [];
		const failing: ReleaseDisclosure = {
			periodTables: NO_SUPPRESSION.periodTables,
			suppressTable(indicator, table) {
				// What a reader sees while the next release is being written.
				const latest = JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8')).release;
				seen.push(readdirSync(path.join(dir, latest)).sort());
				if (++calls === 40) throw new Error('the database went away');
				return NO_SUPPRESSION.suppressTable(indicator, table);
			}
		};
		await expect(
			publishRelease(database.db, {
				dir,
				asOf: FIXTURE_TODAY,
				disclosure: failing,
				force: true
			})
		).rejects.toThrow('the database went away');
		expect(seen).toHaveLength(40);
		for (const files of seen) expect(files).toEqual([...RELEASE_FILES].sort());
		// Nothing of the failed release is left: no directory, no temporary, latest unchanged.
		expect(readdirSync(dir).sort()).toEqual(['2025-07-10.1', 'latest.json']);
		expect(existsSync(path.join(dir, '2025-07-10.2'))).toBe(false);
		// Nor a file of it still open: the 16 dataset files were closed, not only deleted.
		expect(openFilesUnder(dir)).toEqual([]);
	});
});
