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

/** Every unit of one level, in code order (e.g. the 25 provinces for a table's rows). */
export async function listUnits(db: Db, level: Level): Promise<GeoUnitSummary[]> {
	return queryRows<GeoUnitSummary>(
		db,
		sql`SELECT code, level, name_en, name_km FROM geo_units WHERE level = ${level} ORDER BY code`
	);
}
