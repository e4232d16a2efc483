/** Reading stored indicator values for the API and pages. */
import { sql } from 'drizzle-orm';
import { LEVELS, type IndicatorRow, type Level } from '../../indicators/catalogue';
import { queryRows, type Db } from '../db';
import type { GeoUnitDetail } from '../registry/geo-units';

export type { IndicatorRow };

export interface IndicatorQuery {
	indicatorId: string;
	level: Level;
	/** Only units inside this one (which must be above `level`). */
	parent?: GeoUnitDetail;
	period: string;
}

/** Whether `parent`'s level is above `level` (the nation is above everything). */
export function isAbove(parent: Level, level: Level): boolean {
	return LEVELS.indexOf(parent) < LEVELS.indexOf(level);
}

/** Stored values of one indicator at one level, optionally inside a parent unit. */
export async function listIndicatorValues(db: Db, query: IndicatorQuery): Promise<IndicatorRow[]> {
	const parent = query.parent;
	// geo_units carries each unit's province/district/commune, so any ancestor is one equality.
	const inside =
		!parent || parent.level === 'national'
			? sql`TRUE`
			: sql`g.${sql.identifier(`${parent.level}_code`)} = ${parent.code}`;
	return queryRows<IndicatorRow>(
		db,
		sql`SELECT g.code, g.name_en, g.name_km, v.period, v.numerator, v.denominator, v.value
			FROM indicator_values v JOIN geo_units g ON g.code = v.geo_code
			WHERE v.indicator_id = ${query.indicatorId} AND v.period = ${query.period}
				AND v.level = ${query.level} AND v.programme = '' AND v.group_by = ''
				AND ${inside}
			ORDER BY g.code`
	);
}

/** The periods for which an indicator has stored values, newest first. */
export async function storedPeriods(db: Db, indicatorId: string): Promise<string[]> {
	const rows = await queryRows<{ period: string }>(
		db,
		sql`SELECT DISTINCT period FROM indicator_values WHERE indicator_id = ${indicatorId}
			AND level = 'national' ORDER BY period DESC`
	);
	return rows.map((r) => r.period);
}
