/**
 * Reading stored indicator values for the API and pages. Values are stored sparsely (a unit
 * whose numerator and denominator are both zero has no row), so every unit of the level is
 * listed and a missing row reads as zero: a count of 0, a rate with a zero denominator (value
 * null, never 0) or a median over no records (null).
 */
import { storedValues } from './stored';
import { sql } from 'drizzle-orm';
import {
	LEVELS,
	type IndicatorDefinition,
	type IndicatorRow,
	type Level
} from '../../indicators/catalogue';
import { parsePeriod } from '../../indicators/periods';
import { queryRows, type Db } from '../db';
import type { GeoUnitDetail } from '../registry/geo-units';

export type { IndicatorRow };

export interface IndicatorQuery {
	indicator: IndicatorDefinition;
	level: Level;
	/** Only units inside this one (which must be above `level`). */
	parent?: GeoUnitDetail;
	period: string;
	/** A programme code, or undefined for all programmes together. */
	programme?: string;
	/** A disaggregation and the group values listed for each unit, or none. */
	by?: { name: string; values: readonly string[] };
}

/** Whether `parent`'s level is above `level` (the nation is above everything). */
export function isAbove(parent: Level, level: Level): boolean {
	return LEVELS.indexOf(parent) < LEVELS.indexOf(level);
}

/** Stored values of one indicator at one level, optionally inside a parent unit. */
export async function listIndicatorValues(db: Db, query: IndicatorQuery): Promise<IndicatorRow[]> {
	const { indicator, parent, by } = query;
	// geo_units carries each unit's province/district/commune, so any ancestor is one equality.
	const inside =
		!parent || parent.level === 'national'
			? sql`TRUE`
			: sql`g.${sql.identifier(`${parent.level}_code`)} = ${parent.code}`;
	const groups = by ? by.values : [''];
	const missingDenominator = indicator.denominator === null ? null : 0;
	const missingValue = indicator.unit === 'count' ? 0 : null;
	const rows = await queryRows<{
		code: string;
		name_en: string;
		name_km: string;
		grp: string;
		numerator: number | null;
		denominator: number | null;
		value: number | null;
		stored: boolean;
	}>(
		db,
		sql`SELECT g.code, g.name_en, g.name_km, grp.value AS grp, v.numerator, v.denominator,
				v.value, v.indicator_id IS NOT NULL AS stored
			FROM geo_units g
			CROSS JOIN json_array_elements_text(${JSON.stringify(groups)}::json)
				WITH ORDINALITY AS grp (value, ord)
			LEFT JOIN ${storedValues(indicator.id)} v ON v.geo_code = g.code
				AND v.indicator_id = ${indicator.id} AND v.period = ${query.period}
				AND v.programme = ${query.programme ?? ''} AND v.group_by = ${by?.name ?? ''}
				AND v.group_value = grp.value
			WHERE g.level = ${query.level} AND ${inside}
			ORDER BY g.code, grp.ord`
	);
	return rows.map((r) => ({
		code: r.code,
		name_en: r.name_en,
		name_km: r.name_km,
		period: query.period,
		programme: query.programme ?? null,
		group: by ? r.grp : null,
		numerator: r.stored ? r.numerator : 0,
		denominator: r.stored ? r.denominator : missingDenominator,
		value: r.stored ? r.value : missingValue,
		suppressed: false
	}));
}

/** The periods the last successful refreshes computed, newest first (months, quarters, years). */
export async function computedPeriods(db: Db): Promise<string[]> {
	const rows = await queryRows<{ period: string }>(
		db,
		sql`SELECT DISTINCT jsonb_array_elements_text(periods) AS period FROM refresh_runs
			WHERE finished_at IS NOT NULL AND error IS NULL`
	);
	return rows.map((r) => r.period).sort(newestFirst);
}

/** Newest end first; at the same end a month before its quarter before its year. */
function newestFirst(a: string, b: string): number {
	const [pa, pb] = [parsePeriod(a)!, parsePeriod(b)!];
	const kinds = ['month', 'quarter', 'year'];
	return pb.end.localeCompare(pa.end) || kinds.indexOf(pa.kind) - kinds.indexOf(pb.kind);
}

/** A short description of computed periods: `months 2025-01 … 2025-12, quarters …, years …`. */
export function describePeriods(labels: readonly string[]): string {
	const kinds = [
		['month', 'months'],
		['quarter', 'quarters'],
		['year', 'years']
	] as const;
	return kinds
		.map(([kind, plural]) => {
			const own = labels.filter((l) => parsePeriod(l)?.kind === kind).sort();
			if (own.length === 0) return undefined;
			return `${plural} ${own.length === 1 ? own[0] : `${own[0]} … ${own.at(-1)}`}`;
		})
		.filter(Boolean)
		.join(', ');
}
