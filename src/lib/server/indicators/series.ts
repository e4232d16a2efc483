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
import { z } from 'zod';
import {
	CATALOGUE,
	DISAGGREGATIONS,
	GROUP_VALUES,
	indicatorById,
	type IndicatorDefinition
} from '../../indicators/catalogue';
import { latestCompleteMonth, parsePeriod, type Period } from '../../indicators/periods';
import type { GeoUnitSummary } from '../registry/geo-units';
import {
	ApiError,
	checkProgrammeAndGroup,
	parseQueryWith,
	PERIOD_PARAM,
	PROGRAMME_PARAM
} from './api';
import { describePeriods, isAbove } from './query';
import type { IndicatorSource, SeriesPoint } from './source';

/** At most this many units per series request: a chart compares a unit with a few others. */
export const MAX_SERIES_UNITS = 200;

export type { SeriesPoint };

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

/** The units, checked to exist and to be at or above the indicator's lowest level. */
async function checkUnits(
	source: IndicatorSource,
	indicator: IndicatorDefinition,
	codes: readonly string[]
): Promise<GeoUnitSummary[]> {
	const units: GeoUnitSummary[] = [];
	for (const code of codes) {
		const unit = await source.findUnit(code);
		if (!unit) throw new ApiError(404, `unknown geographic unit ${code}`);
		if (isAbove(indicator.lowestLevel ?? 'village', unit.level)) {
			throw new ApiError(400, `${indicator.id} has no values below ${indicator.lowestLevel} level`);
		}
		units.push(unit);
	}
	return units;
}

/** Answers `GET /api/indicators/{id}/series`: points ordered by unit (as asked), then period. */
export async function getIndicatorSeries(
	source: IndicatorSource,
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
	await checkProgrammeAndGroup(source, indicator, query.programme, query.by);
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
	const units = await checkUnits(source, indicator, codes);
	const periods = (await source.periods())
		.filter((label) => parsePeriod(label)?.kind === query.kind)
		.sort();
	return source.series(indicator, units, periods, {
		programme: query.programme ?? '',
		groupBy: query.by ?? '',
		groupValue
	});
}

/** One indicator's value for a unit, as the unit profile lists it. */
export interface UnitValue {
	indicator: string;
	/** The programme code for per-programme indicators when one was asked, else null. */
	programme: string | null;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	/** Withheld by disclosure control (public figures): numerator, denominator, value null. */
	suppressed: boolean;
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
	source: IndicatorSource,
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
	const unit = await source.findUnit(code);
	if (!unit) throw new ApiError(404, `unknown geographic unit ${code}`);
	const period = query.period ?? latestCompleteMonth(today);
	const computed = await source.periods();
	if (!computed.includes(period)) {
		throw new ApiError(
			404,
			computed.length
				? `no values for period ${period}: computed are ${describePeriods(computed)}`
				: `no values for period ${period}: run npm run refresh`
		);
	}
	if (query.programme && !(await source.programmes()).some((p) => p.code === query.programme)) {
		throw new ApiError(404, `unknown programme ${query.programme}`);
	}
	const indicators = CATALOGUE.filter(
		(indicator) =>
			(withInternal || !indicator.internal) &&
			!isAbove(indicator.lowestLevel ?? 'village', unit.level)
	);
	const values: UnitValue[] = [];
	for (const indicator of indicators) {
		const programme = indicator.perProgramme && query.programme ? query.programme : '';
		const [point] = await source.series(indicator, [unit], [period], {
			programme,
			groupBy: '',
			groupValue: ''
		});
		values.push({
			indicator: indicator.id,
			programme: programme || null,
			numerator: point!.numerator,
			denominator: point!.denominator,
			value: point!.value,
			suppressed: point!.suppressed
		});
	}
	return {
		code,
		period,
		values,
		first_office_opened: await source.firstOfficeOpened(unit)
	};
}

export type { Period };
