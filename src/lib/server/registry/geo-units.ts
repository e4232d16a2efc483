/** Geographic units of the gazetteer: look-ups by code, with their chain of ancestors. */
import { sql } from 'drizzle-orm';
import type { Level } from '../../indicators/catalogue';
import { queryRows, type Db } from '../db';

/** A unit as the API shows it. */
export interface GeoUnitSummary {
	code: string;
	level: Level;
	name_en: string;
	name_km: string;
}

/** A unit with its parent and its ancestors from the nation down to the parent. */
export interface GeoUnitDetail extends GeoUnitSummary {
	parent_code: string | null;
	ancestors: GeoUnitSummary[];
}

/** Finds a unit by its NCDD code (or `KH` for the nation). */
export async function findUnit(db: Db, code: string): Promise<GeoUnitDetail | undefined> {
	const rows = await queryRows<GeoUnitSummary & { parent_code: string | null; depth: number }>(
		db,
		sql`WITH RECURSIVE chain AS (
			SELECT code, level, parent_code, name_en, name_km, 0 AS depth FROM geo_units WHERE code = ${code}
			UNION ALL
			SELECT g.code, g.level, g.parent_code, g.name_en, g.name_km, chain.depth + 1
			FROM geo_units g JOIN chain ON g.code = chain.parent_code
		)
		SELECT * FROM chain ORDER BY depth DESC`
	);
	const unit = rows.at(-1);
	if (!unit) return undefined;
	return {
		code: unit.code,
		level: unit.level,
		name_en: unit.name_en,
		name_km: unit.name_km,
		parent_code: unit.parent_code,
		ancestors: rows.slice(0, -1).map(({ code, level, name_en, name_km }) => ({
			code,
			level,
			name_en,
			name_km
		}))
	};
}

/** The column holding a unit's ancestor, by the length of the ancestor's code (domain.md §1). */
const ANCESTOR_COLUMN: Readonly<Record<number, string>> = {
	2: 'province_code',
	4: 'district_code',
	6: 'commune_code'
};

/** The units of a level, by code; only those inside `insideCode` (any ancestor) when given. */
export async function listUnits(
	db: Db,
	level: Exclude<Level, 'national'>,
	insideCode?: string
): Promise<GeoUnitSummary[]> {
	// geo_units carries each unit's province and district codes: any ancestor is one equality.
	const ancestor = insideCode && ANCESTOR_COLUMN[insideCode.length];
	if (insideCode && !ancestor)
		throw new Error(`${insideCode} is not a province, district or commune code`);
	const inside = ancestor ? sql`${sql.identifier(ancestor)} = ${insideCode}` : sql`TRUE`;
	return queryRows<GeoUnitSummary>(
		db,
		sql`SELECT code, level, name_en, name_km FROM geo_units
			WHERE level = ${level} AND ${inside} ORDER BY code`
	);
}
