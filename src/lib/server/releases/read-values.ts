/**
 * Reading the stored indicator values a release publishes: every public indicator, computed
 * period, programme option and group, for every unit from the nation down to the communes.
 *
 * The store is sparse (a unit with nothing counted has no row, `query.ts`), but a release
 * spells every cell out: disclosure control needs each unit's siblings explicitly (a missing
 * sibling would be a published 0 that an attacker could subtract), and a reader of the files
 * must not have to know which rows were left out. Missing cells read as the API reads them: a
 * count of 0, a rate of 0/0 (value null), a median over no records (value null).
 *
 * Memory: values are read one table at a time (one indicator and the periods it is protected
 * with, every level), never a whole level; the units and programmes are small and read once.
 */
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

/** One table's unsuppressed rows, and stored values the grid had no cell for (should be 0). */
export interface TableRows {
	rows: ReleaseRow[];
	/**
	 * For each row, the index of the row of the unit above (same period, programme and group),
	 * or -1 at the top: positions, so that no key strings are built for millions of cells.
	 */
	parents: Int32Array;
	unexpected: number;
}

/**
 * Every cell of one indicator for `periods` at every published level: stored values, and the
 * missing ones as zeros. Rows come level by level, then by period, code, programme and group.
 */
export async function readTableRows(
	db: DbOrTx,
	frame: ReleaseFrame,
	indicator: IndicatorDefinition,
	periods: readonly string[]
): Promise<TableRows> {
	const levels = indicatorLevels(indicator);
	const stored = await queryRows<{
		period: string;
		geo_code: string;
		programme: string;
		group_by: string;
		group_value: string;
		numerator: number | null;
		denominator: number | null;
		value: number | null;
	}>(
		db,
		sql`SELECT period, geo_code, programme, group_by, group_value, numerator, denominator, value
			FROM indicator_values
			WHERE indicator_id = ${indicator.id}
				AND period IN (SELECT json_array_elements_text(${JSON.stringify(periods)}::json))
				AND level IN (SELECT json_array_elements_text(${JSON.stringify(levels)}::json))`
	);
	const byKey = new Map<string, (typeof stored)[number]>();
	for (const row of stored) {
		byKey.set(
			`${row.period}|${row.geo_code}|${row.programme}|${row.group_by}|${row.group_value}`,
			row
		);
	}
	const options = cellOptions(indicator, frame.programmes);
	const missingDenominator = indicator.denominator === null ? null : 0;
	const missingValue = indicator.unit === 'count' ? 0 : null;
	const rows: ReleaseRow[] = [];
	const parents: number[] = [];
	// Where each level's rows of each period start, to find a parent row by position.
	const start = new Map<string, number>();
	let found = 0;
	for (const [depth, level] of levels.entries()) {
		const above = depth > 0 ? levels[depth - 1] : undefined;
		const aboveIndex = above ? unitIndex(frame, above) : undefined;
		for (const period of periods) {
			const kind = parsePeriod(period)!.kind;
			start.set(`${level}|${period}`, rows.length);
			const aboveStart = above ? start.get(`${above}|${period}`)! : -1;
			for (const unit of frame.units[level]) {
				const parentUnit = aboveIndex?.get(parentCodeOf(unit)) ?? -1;
				for (const [o, option] of options.entries()) {
					parents.push(parentUnit < 0 ? -1 : aboveStart + parentUnit * options.length + o);
					const value = byKey.get(
						`${period}|${unit.code}|${option.programme}|${option.group_by}|${option.group_value}`
					);
					if (value) found++;
					rows.push({
						indicator: indicator.id,
						period,
						period_kind: kind,
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
					});
				}
			}
		}
	}
	return { rows, parents: Int32Array.from(parents), unexpected: stored.length - found };
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

/** Position of each unit of a level in the frame, by code. */
function unitIndex(frame: ReleaseFrame, level: ReleaseLevel): Map<string, number> {
	return new Map(frame.units[level].map((unit, i) => [unit.code, i]));
}
