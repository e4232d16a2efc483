/**
 * Reading the stored indicator values a release publishes: every public indicator, computed
 * period, programme option and group, for every unit from the nation down to the communes.
 *
 * The store is sparse (a unit with nothing counted has no row, `query.ts`), and a table stays
 * so: a grid of every unit, period, programme option and group, with the stored values by cell.
 * Disclosure control still sees every cell, each unit's siblings included (a missing sibling
 * would be a published 0 that an attacker could subtract): a cell without a value is a zero,
 * suppressed, and `suppressGrid` needs no more of it. Missing cells read as the API reads
 * them: a count of 0, a rate of 0/0 (value null), a median over no records (value null); rows
 * are built only for the cells a file holds (`tableRows`).
 *
 * Memory: values are read one table at a time (one indicator and the periods it is protected
 * with, every level), never a whole level; the units and programmes are small and read once.
 */
import { storedValues } from '../indicators/stored';
import { sql } from 'drizzle-orm';
import {
	CATALOGUE,
	GROUP_VALUES,
	LEVELS,
	PERSON_ONLY_GROUPS,
	type IndicatorDefinition
} from '../../indicators/catalogue';
import { parsePeriod } from '../../indicators/periods';
import { RELEASE_LEVELS, type ReleaseLevel, type ReleaseRow } from '../../releases/schema';
import { queryRows, type Db, type DbOrTx } from '../db';
import { computedPeriods } from '../indicators/query';

/** A unit of a published level, with what its rows carry. */
export interface ReleaseUnit {
	level: ReleaseLevel;
	code: string;
	name_en: string;
	name_km: string;
	province_code: string;
	district_code: string;
}

/** One programme option and group of an indicator: a row per unit and period. */
export interface CellOption {
	programme: string;
	group_by: string;
	group_value: string;
}

/** What every table of a release is built from (read once per release). */
export interface ReleaseFrame {
	/** Public indicators, by id (the order of the files). */
	indicators: IndicatorDefinition[];
	/** Computed periods, in the files' order (by label). */
	periods: string[];
	/** Units per level, by code. */
	units: Record<ReleaseLevel, ReleaseUnit[]>;
	/** Programme codes and their unit (household or person), by code. */
	programmes: { code: string; unit: 'household' | 'person' }[];
}

/**
 * The files' sort order: plain code-unit order, the same as Postgres's `COLLATE "C"` for these
 * ASCII keys. Indicator and period first, so Parquet row groups can be skipped by their
 * min/max statistics, and every file sorted the same way, so two releases compare in one pass.
 */
export function compareKeys(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads the units, programmes, periods and public indicators of a release. */
export async function readReleaseFrame(db: DbOrTx): Promise<ReleaseFrame> {
	const unitRows = await queryRows<{
		level: ReleaseLevel;
		code: string;
		name_en: string;
		name_km: string;
		province_code: string | null;
		district_code: string | null;
	}>(
		db,
		sql`SELECT level, code, name_en, name_km, province_code, district_code FROM geo_units
			WHERE level IN ('national', 'province', 'district', 'commune')`
	);
	const units = Object.fromEntries(RELEASE_LEVELS.map((level) => [level, []])) as unknown as Record<
		ReleaseLevel,
		ReleaseUnit[]
	>;
	for (const u of unitRows) {
		units[u.level].push({
			level: u.level,
			code: u.code,
			name_en: u.name_en,
			name_km: u.name_km,
			province_code: u.province_code ?? '',
			// A province's own row carries no district; geo_units agrees, but say it here.
			district_code: u.level === 'district' || u.level === 'commune' ? (u.district_code ?? '') : ''
		});
	}
	for (const level of RELEASE_LEVELS) units[level].sort((a, b) => compareKeys(a.code, b.code));
	const programmes = (
		await queryRows<{ code: string; unit: 'household' | 'person' }>(
			db,
			sql`SELECT programme_code AS code, unit FROM programmes`
		)
	).sort((a, b) => compareKeys(a.code, b.code));
	return {
		indicators: CATALOGUE.filter((i) => !i.internal).sort((a, b) => compareKeys(a.id, b.id)),
		// computedPeriods takes a Db; a transaction answers the same queries.
		periods: (await computedPeriods(db as Db)).sort(compareKeys),
		units,
		programmes
	};
}

/**
 * The programme options and groups an indicator is stored for, in the files' order: all
 * programmes together ('') and each programme when it is per programme; the total ('') and
 * each group of its disaggregations, person groups only for person programmes (the rules of
 * the API, `checkProgrammeAndGroup`).
 */
export function cellOptions(
	indicator: IndicatorDefinition,
	programmes: ReleaseFrame['programmes']
): CellOption[] {
	const programmeOptions = [
		{ code: '', unit: undefined as string | undefined },
		...(indicator.perProgramme ? programmes : [])
	];
	const options: CellOption[] = [];
	for (const programme of programmeOptions) {
		options.push({ programme: programme.code, group_by: '', group_value: '' });
		const groups = indicator.disaggregations.filter(
			(by) => !PERSON_ONLY_GROUPS.includes(by) || programme.unit === 'person'
		);
		for (const by of groups)
			for (const value of GROUP_VALUES[by])
				options.push({ programme: programme.code, group_by: by, group_value: value });
	}
	return options.sort(
		(a, b) =>
			compareKeys(a.programme, b.programme) ||
			compareKeys(a.group_by, b.group_by) ||
			compareKeys(a.group_value, b.group_value)
	);
}

/** The published levels an indicator has values at (offices stop at communes anyway). */
export function indicatorLevels(indicator: IndicatorDefinition): ReleaseLevel[] {
	const lowest = LEVELS.indexOf(indicator.lowestLevel ?? 'village');
	return RELEASE_LEVELS.filter((level) => LEVELS.indexOf(level) <= lowest);
}

/** A stored value of a table. */
export interface StoredValue {
	numerator: number | null;
	denominator: number | null;
	value: number | null;
}

/**
 * One table: every cell of an indicator for some periods at every published level, as a grid
 * (period × unit × option, `cellIndex`), and the stored values of its cells. The cells
 * without a stored value are zeros (a count of 0, a rate of 0/0, a median over no records),
 * never built one by one: a small registry's grid is nearly all zeros.
 */
export interface ReleaseTable {
	indicator: IndicatorDefinition;
	/** The published levels of the indicator, top down. */
	levels: ReleaseLevel[];
	periods: readonly string[];
	/** The units of every level, level by level, each level's by code. */
	units: ReleaseUnit[];
	/** For each unit, the index of the unit one level up in `units`, or -1 at the top. */
	parents: Int32Array;
	/** Where each level's units start in `units`, and where they end (one more than levels). */
	levelStarts: number[];
	options: CellOption[];
	/** The stored values, by cell index. */
	values: Map<number, StoredValue>;
	/** Number of cells: periods × units × options. */
	size: number;
	/** Stored values the grid had no cell for (a programme or group the API cannot serve). */
	unexpected: number;
}

/** A cell's index in a table: by period, then unit, then option. */
export function cellIndex(
	table: ReleaseTable,
	period: number,
	unit: number,
	option: number
): number {
	return (period * table.units.length + unit) * table.options.length + option;
}

/** Reads one table: the indicator's stored values for `periods` at every published level. */
export async function readTable(
	db: DbOrTx,
	frame: ReleaseFrame,
	indicator: IndicatorDefinition,
	periods: readonly string[]
): Promise<ReleaseTable> {
	const levels = indicatorLevels(indicator);
	const units: ReleaseUnit[] = [];
	const levelStarts: number[] = [];
	for (const level of levels) {
		levelStarts.push(units.length);
		units.push(...frame.units[level]);
	}
	levelStarts.push(units.length);
	const unitAt = new Map(units.map((unit, i) => [unit.code, i]));
	const parents = Int32Array.from(units, (unit, i) => {
		if (i < levelStarts[1]!) return -1;
		const parent = unitAt.get(parentCodeOf(unit));
		return parent !== undefined && parent < i ? parent : -1;
	});
	const options = cellOptions(indicator, frame.programmes);
	const optionAt = new Map(
		options.map((o, i) => [`${o.programme}|${o.group_by}|${o.group_value}`, i])
	);
	const table: ReleaseTable = {
		indicator,
		levels,
		periods,
		units,
		parents,
		levelStarts,
		options,
		values: new Map(),
		size: periods.length * units.length * options.length,
		unexpected: 0
	};
	// The database numbers the cells and sends them as one text (cell, numerator, denominator,
	// value, …): millions of rows of five strings each cost more to transfer and parse than
	// anything else in a release. Figures are float8 printed as Postgres prints them in a row
	// (shortest exact), read back as the driver reads them (`+text`), so they are the same.
	const [packed] = await queryRows<{ unexpected: number; cells: string | null }>(
		db,
		sql`WITH periods AS (
				SELECT label, (i - 1)::int AS i
				FROM json_array_elements_text(${JSON.stringify(periods)}::json) WITH ORDINALITY AS t(label, i)
			), units AS (
				SELECT code, (i - 1)::int AS i
				FROM json_array_elements_text(${JSON.stringify(units.map((u) => u.code))}::json)
					WITH ORDINALITY AS t(code, i)
			), options AS (
				SELECT key, (i - 1)::int AS i
				FROM json_array_elements_text(${JSON.stringify([...optionAt.keys()])}::json)
					WITH ORDINALITY AS t(key, i)
			), cells AS (
				SELECT (periods.i * ${units.length}::int + units.i) * ${options.length}::int + options.i AS cell,
					v.numerator, v.denominator, v.value
				FROM ${storedValues(indicator.id)} v
				LEFT JOIN periods ON periods.label = v.period
				LEFT JOIN units ON units.code = v.geo_code
				LEFT JOIN options ON options.key = v.programme || '|' || v.group_by || '|' || v.group_value
				WHERE v.indicator_id = ${indicator.id}
					-- Constants, so that the period is a condition on the store's key.
					AND v.period = ANY (${sql.param([...periods])}::text[])
					AND v.level = ANY (${sql.param([...levels])}::text[])
			)
			SELECT count(*) FILTER (WHERE cell IS NULL)::int AS unexpected,
				string_agg(cell::text || ',' || coalesce(numerator::text, '') || ','
					|| coalesce(denominator::text, '') || ',' || coalesce(value::text, ''), ',')
					FILTER (WHERE cell IS NOT NULL) AS cells
			FROM cells`
	);
	table.unexpected = packed?.unexpected ?? 0;
	const fields = packed?.cells ? packed.cells.split(',') : [];
	const figure = (text: string) => (text === '' ? null : +text);
	for (let i = 0; i < fields.length; i += 4) {
		table.values.set(+fields[i]!, {
			numerator: figure(fields[i + 1]!),
			denominator: figure(fields[i + 2]!),
			value: figure(fields[i + 3]!)
		});
	}
	return table;
}

/**
 * A table's rows in the files' order (level by level, then by period, code, programme and
 * group): every cell except a suppressed cell (`suppressed[cell]` not 0) whose unit above is
 * suppressed too, `figures` making each row's published figures. Yields runs of at most
 * `batch` rows of one level. A cell without a stored value reads as the API reads it: a
 * count of 0, a rate of 0/0 (value null), a median over no records (value null).
 */
export function* tableRows(
	table: ReleaseTable,
	suppressed: Uint8Array,
	figures: (row: ReleaseRow, cell: number) => ReleaseRow,
	batch = 10_000
): Generator<[ReleaseLevel, ReleaseRow[]]> {
	const { indicator, units, options, periods } = table;
	const missingDenominator = indicator.denominator === null ? null : 0;
	const missingValue = indicator.unit === 'count' ? 0 : null;
	const O = options.length;
	const kinds = periods.map((period) => parsePeriod(period)!.kind);
	for (const [depth, level] of table.levels.entries()) {
		let rows: ReleaseRow[] = [];
		for (let p = 0; p < periods.length; p++) {
			for (let u = table.levelStarts[depth]!; u < table.levelStarts[depth + 1]!; u++) {
				const unit = units[u]!;
				const parent = table.parents[u]!;
				const first = cellIndex(table, p, u, 0);
				const parentFirst = parent < 0 ? -1 : cellIndex(table, p, parent, 0);
				for (let o = 0; o < O; o++) {
					const cell = first + o;
					if (suppressed[cell] !== 0 && parent >= 0 && suppressed[parentFirst + o] !== 0) continue;
					const option = options[o]!;
					const value = table.values.get(cell);
					rows.push(
						figures(
							{
								indicator: indicator.id,
								period: periods[p]!,
								period_kind: kinds[p]!,
								level,
								code: unit.code,
								name_en: unit.name_en,
								name_km: unit.name_km,
								province_code: unit.province_code,
								district_code: unit.district_code,
								programme: option.programme,
								group_by: option.group_by,
								group_value: option.group_value,
								numerator: value ? value.numerator : 0,
								denominator: value ? value.denominator : missingDenominator,
								value: value ? value.value : missingValue,
								suppressed: false
							},
							cell
						)
					);
					if (rows.length === batch) {
						yield [level, rows];
						rows = [];
					}
				}
			}
		}
		if (rows.length > 0) yield [level, rows];
	}
}

/** The nation's code in geo_units (the importer creates it), the unit above every province. */
export const NATION_CODE = 'KH';

/** The code of the unit above a published unit. */
function parentCodeOf(unit: ReleaseUnit): string {
	switch (unit.level) {
		case 'national':
			return '';
		case 'province':
			return NATION_CODE;
		case 'district':
			return unit.province_code;
		case 'commune':
			return unit.district_code;
	}
}
