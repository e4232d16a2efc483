/**
 * A release's reference files, `units.csv` and `offices.csv`, and its programme list: what the
 * public pages and API need besides the values, so that they are answered from the release
 * alone and never from the registry database (issue #6, domain.md §8). All are public facts
 * about the administration: the gazetteer's names and codes, when SSDM offices opened and
 * closed, and the programmes' names.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import type { OfficeOpening } from '../../indicators/rollout';
import {
	OFFICE_COLUMNS,
	OFFICES_FILE,
	RELEASE_LEVELS,
	UNIT_COLUMNS,
	UNITS_FILE,
	type ReleaseColumn,
	type ReleaseProgramme,
	type ReleaseUnitRow
} from '../../releases/schema';
import { queryRows, type DbOrTx } from '../db';
import { NATION_CODE, type ReleaseFrame } from './read-values';

/** When the first office inside each unit opened (any office level), by unit code. */
async function firstOfficeOpenings(db: DbOrTx): Promise<Map<string, string>> {
	const offices = await queryRows<{
		code: string;
		province_code: string | null;
		district_code: string | null;
		commune_code: string | null;
		opened: string;
	}>(
		db,
		sql`SELECT g.code, g.province_code, g.district_code, g.commune_code,
				o.opened_on::text AS opened
			FROM offices o JOIN geo_units g ON g.code = o.geo_code`
	);
	const first = new Map<string, string>();
	for (const office of offices) {
		const inside = [
			NATION_CODE,
			office.province_code,
			office.district_code,
			office.commune_code,
			office.code
		];
		for (const code of inside) {
			if (!code) continue;
			const known = first.get(code);
			if (!known || office.opened < known) first.set(code, office.opened);
		}
	}
	return first;
}

/** The rows of `units.csv` for a release's units: nation, provinces, districts, communes. */
export async function readUnitRows(db: DbOrTx, frame: ReleaseFrame): Promise<ReleaseUnitRow[]> {
	const opened = await firstOfficeOpenings(db);
	return RELEASE_LEVELS.flatMap((level) =>
		frame.units[level].map((unit) => ({
			level,
			code: unit.code,
			name_en: unit.name_en,
			name_km: unit.name_km,
			province_code: unit.province_code,
			district_code: unit.district_code,
			first_office_opened: opened.get(unit.code) ?? ''
		}))
	);
}

/** Every programme with its names, by code (for `datapackage.json`). */
export async function readReleaseProgrammes(db: DbOrTx): Promise<ReleaseProgramme[]> {
	return queryRows<ReleaseProgramme>(
		db,
		sql`SELECT programme_code AS code, name_en, coalesce(name_km, name_en) AS name_km, unit
			FROM programmes ORDER BY programme_code COLLATE "C"`
	);
}

/** Every office: level, unit served, opening and closing dates (no staff figures). */
export async function readOffices(db: DbOrTx): Promise<OfficeOpening[]> {
	return queryRows<OfficeOpening>(
		db,
		sql`SELECT level, geo_code, opened_on::text AS opened_on, closed_on::text AS closed_on
			FROM offices ORDER BY opened_on, geo_code COLLATE "C", office_code COLLATE "C"`
	);
}

/** Writes a CSV of rows with the columns given, empty cells for nulls. */
async function writeCsv<Row extends object>(
	file: string,
	columns: readonly ReleaseColumn[],
	rows: readonly Row[]
): Promise<void> {
	const names = columns.map((c) => c.name) as (keyof Row)[];
	await writeFile(
		file,
		stringify(
			rows.map((row) => names.map((c) => row[c] ?? '')),
			{ header: true, columns: names as string[] }
		)
	);
}

/** Writes `units.csv` and `offices.csv` into a release directory. */
export async function writeReferenceFiles(
	dir: string,
	units: readonly ReleaseUnitRow[],
	offices: readonly OfficeOpening[]
): Promise<void> {
	await writeCsv(path.join(dir, UNITS_FILE), UNIT_COLUMNS, units);
	await writeCsv(path.join(dir, OFFICES_FILE), OFFICE_COLUMNS, offices);
}

/** Reads `units.csv` back (the public pages' list of units). */
export async function readUnitsFile(dir: string): Promise<ReleaseUnitRow[]> {
	const text = await readFile(path.join(dir, UNITS_FILE), 'utf8');
	return parse(text, { columns: true, skip_empty_lines: true }) as ReleaseUnitRow[];
}

/** Reads `offices.csv` back (the public rollout view). */
export async function readOfficesFile(dir: string): Promise<OfficeOpening[]> {
	const text = await readFile(path.join(dir, OFFICES_FILE), 'utf8');
	const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
	return rows.map((row) => ({
		level: row.level as OfficeOpening['level'],
		geo_code: row.geo_code!,
		opened_on: row.opened_on!,
		closed_on: row.closed_on || null
	}));
}
