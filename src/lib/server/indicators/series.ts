/**
 * Time series and unit profiles read from the stored values, for the dashboard's trends,
 * sparklines, funnels and the low-coverage finder:
 *
 * - `GET /api/indicators/{id}/series?units=17,1701&programme=&by=&group=&kind=month`: one
 *   indicator for a few units over every computed period of a kind;
 * - `GET /api/units/{code}/values?period=&programme=`: every indicator for one unit and period.
 *
 * Missing rows read as in `query.ts`: a count of 0, a rate with a zero denominator (null value).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
	CATALOGUE,
	DISAGGREGATIONS,
	GROUP_VALUES,
	indicatorById,
	type IndicatorDefinition,
	type Level
} from '../../indicators/catalogue';
import { latestCompleteMonth, parsePeriod, type Period } from '../../indicators/periods';
import { queryRows, type Db } from '../db';
import {
	ApiError,
	checkProgrammeAndGroup,
	parseQueryWith,
	PERIOD_PARAM,
	PROGRAMME_PARAM
} from './api';
import { computedPeriods, describePeriods } from './query';

/** At most this many units per series request: a chart compares a unit with a few others. */
export const MAX_SERIES_UNITS = 200;

/** One point of a series. */
export interface SeriesPoint {
	code: string;
	period: string;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
}

const SERIES_QUERY = z
	.object({
		units: z
			.string({ error: 'units is required: a comma-separated list of NCDD codes (or KH)' })
			.regex(
				/^(KH|\d{2}|\d{4}|\d{6}|\d{8})(,(KH|\d{2}|\d{4}|\d{6}|\d{8}))*$/,
				'units must be a comma-separated list of NCDD codes (or KH)'
			),
		programme: PROGRAMME_PARAM.optional(),
		by: z.enum(DISAGGREGATIONS).optional(),
		group: z.string().max(20).optional(),
		kind: z.enum(['month', 'quarter', 'year']).default('month')
	})
	.strict();

/** Values of stored rows for a unit list and period list, keyed `code|period`. */
async function storedValues(
	db: Db,
	indicator: IndicatorDefinition,
	codes: readonly string[],
	periods: readonly string[],
	programme: string,
	groupBy: string,
	groupValue: string
) {
	const rows = await queryRows<SeriesPoint>(
		db,
		sql`SELECT geo_code AS code, period, numerator, denominator, value FROM indicator_values
			WHERE indicator_id = ${indicator.id}
				AND period = ANY(${`{${periods.join(',')}}`}::text[])
				AND geo_code = ANY(${`{${codes.join(',')}}`}::text[])
				AND programme = ${programme} AND group_by = ${groupBy} AND group_value = ${groupValue}`
	);
	return new Map(rows.map((row) => [`${row.code}|${row.period}`, row]));
}

/** The value a unit has when nothing was stored for it (see the module comment). */
function missingPoint(indicator: IndicatorDefinition, code: string, period: string): SeriesPoint {
	return {
		code,
		period,
		numerator: 0,
		denominator: indicator.denominator === null ? null : 0,
		value: indicator.unit === 'count' ? 0 : null
	};
}

/** The units' levels, checked to exist and to be at or above the indicator's lowest level. */
async function checkUnits(db: Db, indicator: IndicatorDefinition, codes: readonly string[]) {
	const rows = await queryRows<{ code: string; level: Level }>(
		db,
		sql`SELECT code, level FROM geo_units WHERE code = ANY(${`{${codes.join(',')}}`}::text[])`
	);
	const found = new Map(rows.map((row) => [row.code, row.level]));
	const unknown = codes.find((code) => !found.has(code));
	if (unknown) throw new ApiError(404, `unknown geographic unit ${unknown}`);
	if (indicator.lowestLevel) {
		const tooLow = rows.find((row) => row.level === 'village');
		if (tooLow && indicator.lowestLevel !== 'village') {
			throw new ApiError(400, `${indicator.id} has no values below ${indicator.lowestLevel} level`);
		}
	}
}

/** Answers `GET /api/indicators/{id}/series`: points ordered by unit (as asked), then period. */
export async function getIndicatorSeries(
	db: Db,
	indicatorId: string,
	params: URLSearchParams
): Promise<SeriesPoint[]> {
	const indicator = indicatorById(indicatorId);
	if (!indicator) throw new ApiError(404, `unknown indicator ${indicatorId}`);
	const query = parseQueryWith(SERIES_QUERY, params);
	const codes = [...new Set(query.units.split(','))];
	if (codes.length > MAX_SERIES_UNITS) {
		throw new ApiError(400, `units lists ${codes.length} codes: at most ${MAX_SERIES_UNITS}`);
	}
	await checkProgrammeAndGroup(db, indicator, query.programme, query.by);
	let groupValue = '';
	if (query.by) {
		const allowed = GROUP_VALUES[query.by];
		if (query.group === undefined || !allowed.includes(query.group)) {
			throw new ApiError(400, `by=${query.by} needs group= one of ${allowed.join(', ')}`);
		}
		groupValue = query.group;
	} else if (query.group !== undefined) {
		throw new ApiError(400, 'group needs by= (the disaggregation it belongs to)');
	}
	await checkUnits(db, indicator, codes);
	const periods = (await computedPeriods(db))
		.filter((label) => parsePeriod(label)?.kind === query.kind)
		.sort();
	if (periods.length === 0) return [];
	const stored = await storedValues(
		db,
		indicator,
		codes,
		periods,
		query.programme ?? '',
		query.by ?? '',
		groupValue
	);
	return codes.flatMap((code) =>
		periods.map(
			(period) => stored.get(`${code}|${period}`) ?? missingPoint(indicator, code, period)
		)
	);
}

/** One indicator's value for a unit, as the unit profile lists it. */
export interface UnitValue {
	indicator: string;
	/** The programme code for per-programme indicators when one was asked, else null. */
	programme: string | null;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
}

const UNIT_QUERY = z
	.object({
		period: PERIOD_PARAM.optional(),
		programme: PROGRAMME_PARAM.optional()
	})
	.strict();

/**
 * Answers `GET /api/units/{code}/values`: every indicator of the catalogue (internal ones only
 * when `withInternal`) for one unit and period, per-programme ones for the programme asked or
 * for all programmes together. Indicators without values at the unit's level are left out.
 */
export async function getUnitValues(
	db: Db,
	code: string,
	params: URLSearchParams,
	withInternal: boolean,
	today = new Date().toISOString().slice(0, 10)
): Promise<{
	code: string;
	period: string;
	values: UnitValue[];
	/** When the first SSDM office inside the unit opened (any office level), or null. */
	first_office_opened: string | null;
}> {
	const query = parseQueryWith(UNIT_QUERY, params);
	const [unit] = await queryRows<{ level: Level }>(
		db,
		sql`SELECT level FROM geo_units WHERE code = ${code}`
	);
	if (!unit) throw new ApiError(404, `unknown geographic unit ${code}`);
	const period = query.period ?? latestCompleteMonth(today);
	const computed = await computedPeriods(db);
	if (!computed.includes(period)) {
		throw new ApiError(
			404,
			computed.length
				? `no values for period ${period}: computed are ${describePeriods(computed)}`
				: `no values for period ${period}: run npm run refresh`
		);
	}
	if (query.programme) {
		const [programme] = await queryRows<{ code: string }>(
			db,
			sql`SELECT programme_code AS code FROM programmes WHERE programme_code = ${query.programme}`
		);
		if (!programme) throw new ApiError(404, `unknown programme ${query.programme}`);
	}
	const indicators = CATALOGUE.filter(
		(indicator) =>
			(withInternal || !indicator.internal) &&
			!(indicator.lowestLevel && unit.level === 'village' && indicator.lowestLevel !== 'village')
	);
	const rows = await queryRows<UnitValue & { indicator: string }>(
		db,
		sql`SELECT indicator_id AS indicator, programme, numerator, denominator, value
			FROM indicator_values
			WHERE indicator_id = ANY(${`{${indicators.map((i) => i.id).join(',')}}`}::text[])
				AND period = ${period} AND geo_code = ${code}
				AND programme IN ('', ${query.programme ?? ''}) AND group_by = ''`
	);
	const programmeOf = (indicator: IndicatorDefinition) =>
		indicator.perProgramme && query.programme ? query.programme : '';
	const values = indicators.map((indicator): UnitValue => {
		const row = rows.find(
			(r) => r.indicator === indicator.id && r.programme === programmeOf(indicator)
		);
		const missing = missingPoint(indicator, code, period);
		return {
			indicator: indicator.id,
			programme: programmeOf(indicator) || null,
			numerator: row ? row.numerator : missing.numerator,
			denominator: row ? row.denominator : missing.denominator,
			value: row ? row.value : missing.value
		};
	});
	// geo_units carries each unit's province, district and commune codes (not a village's).
	const inside =
		unit.level === 'national'
			? sql`TRUE`
			: unit.level === 'village'
				? sql`g.code = ${code}`
				: sql`g.${sql.identifier(`${unit.level}_code`)} = ${code}`;
	const [office] = await queryRows<{ opened: string | null }>(
		db,
		sql`SELECT min(o.opened_on)::text AS opened FROM offices o
			JOIN geo_units g ON g.code = o.geo_code WHERE ${inside}`
	);
	return { code, period, values, first_office_opened: office?.opened ?? null };
}

export type { Period };
