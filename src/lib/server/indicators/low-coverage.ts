/**
 * The low-coverage finder's data (issue #5): a province's communes worse than a threshold,
 * worst first, with their districts and their last 12 months. It reads what the indicator API
 * (`getIndicatorRows`) and the series API (`getIndicatorSeries`) serve, so the finder shows
 * exactly the figures of the map and the downloads; the ranking rules are the pure ones of
 * `$lib/indicators/low-coverage`.
 */
import { z } from 'zod';
import { parsePeriod } from '../../indicators/periods';
import {
	defaultThreshold,
	finderIndicator,
	FINDER_INDICATORS,
	rankWorseThan,
	trendMonths,
	type LowCoverageLine,
	type MissingValueReason,
	type TrendPoint
} from '../../indicators/low-coverage';
import type { AuthUser } from '../auth/sessions';
import type { Db } from '../db';
import type { GeoUnitSummary } from '../registry/geo-units';
import type { ProgrammeSummary } from '../registry/programmes';
import { ApiError, getIndicatorRows, parseQueryWith } from './api';
import { getIndicatorSeries, MAX_SERIES_UNITS, type SeriesPoint } from './series';
import { sourceFor, type IndicatorSource } from './source';

/** Months in a line's trend: a year, so a seasonal dip is seen against the same month. */
const TREND_MONTHS = 12;

/**
 * The finder's URL parameters. Not strict: a shared link may carry parameters of other
 * tools (campaign tags), which change nothing here. Empty values (an empty form field) are
 * dropped before parsing and mean the default.
 */
const FINDER_QUERY = z.object({
	province: z
		.string()
		.regex(/^\d{2}$/, 'province must be a 2-digit NCDD code')
		.optional(),
	indicator: z.string().max(40).optional(),
	programme: z
		.string()
		.regex(/^[A-Za-z0-9_-]{1,40}$/, 'programme must be a programme code')
		.optional(),
	period: z
		.string()
		.refine((p) => parsePeriod(p) !== undefined, 'period must be YYYY-MM, YYYY-Qn or YYYY')
		.optional(),
	threshold: z.coerce
		.number({ message: 'threshold must be a number' })
		.finite('threshold must be a number')
		.min(0, 'threshold must be 0 or more')
		.optional()
});

/** A province of the choice, flagged when it is one of the signed-in user's own. */
export interface ProvinceChoice extends GeoUnitSummary {
	/** The user's own province (§7: unsuppressed figures there; public figures elsewhere). */
	own: boolean;
}

/** What the finder was asked, with every default filled in. */
export interface FinderQuery {
	province: string;
	indicator: string;
	/** The programme code, or null for all programmes (and for indicators not per programme). */
	programme: string | null;
	/** Null only when no period has been computed yet. */
	period: string | null;
	/** In the indicator's display unit (80 = 80 %). */
	threshold: number;
}

/** The communes found. */
export interface FinderResult {
	/** Communes worse than the threshold, worst first, with their trends. */
	lines: LowCoverageLine[];
	/** Communes with a value, compared with the threshold. */
	compared: number;
	/** Communes of the province with no value, which are not ranked, and why. */
	withoutValue: (GeoUnitSummary & { reason: MissingValueReason })[];
	/** The trend window's months, oldest first. */
	months: string[];
}

/** Everything the finder page shows. */
export interface FinderView {
	query: FinderQuery;
	provinces: ProvinceChoice[];
	programmes: ProgrammeSummary[];
	/** Computed periods, newest first. */
	periods: string[];
	/** Null when nothing has been computed yet. */
	result: FinderResult | null;
}

/** The form's parameters without the empty ones (an empty field means "the default"). */
function nonEmpty(params: URLSearchParams): URLSearchParams {
	return new URLSearchParams([...params].filter(([, value]) => value.trim() !== ''));
}

/** The points of every unit, fetched in requests the series API accepts (200 units each). */
async function monthlySeries(
	source: IndicatorSource,
	indicatorId: string,
	codes: readonly string[],
	programme: string | null
): Promise<SeriesPoint[]> {
	const points: SeriesPoint[] = [];
	for (let start = 0; start < codes.length; start += MAX_SERIES_UNITS) {
		const params = new URLSearchParams({
			units: codes.slice(start, start + MAX_SERIES_UNITS).join(','),
			kind: 'month'
		});
		if (programme) params.set('programme', programme);
		points.push(...(await getIndicatorSeries(source, indicatorId, params)));
	}
	return points;
}

/**
 * Answers `/finder?province=&indicator=&programme=&period=&threshold=`. A province user's
 * default province is their first; everyone else's is the first by code. Throws an ApiError
 * (400/404) for a parameter that names nothing.
 *
 * Figures come from the source `sourceFor` picks for the user and the province: unsuppressed
 * for staff who may see the province, the latest release's (suppressed) for everyone else.
 */
export async function findLowCoverage(
	db: () => Promise<Db>,
	params: URLSearchParams,
	user: AuthUser | null
): Promise<FinderView> {
	const asked = parseQueryWith(FINDER_QUERY, nonEmpty(params));
	const ownProvinces = user?.role === 'province' ? user.provinces : [];
	const asking = asked.province ?? ownProvinces[0];
	const source = await sourceFor(db, user, asking ? [asking] : []);
	const provinces = (await source.units('province')).map((unit): ProvinceChoice => ({
		...unit,
		own: ownProvinces.includes(unit.code)
	}));
	const province = asked.province ?? provinces.find((p) => p.own)?.code ?? provinces[0]?.code ?? '';
	if (!provinces.some((p) => p.code === province)) {
		throw new ApiError(404, `unknown province ${province}`);
	}
	const indicator = finderIndicator(asked.indicator ?? 'registration_coverage');
	if (!indicator) {
		throw new ApiError(
			400,
			`indicator must be one of ${FINDER_INDICATORS.map((i) => i.id).join(', ')}`
		);
	}
	// A programme left in the form from a per-programme indicator means nothing for the others.
	const programme = indicator.perProgramme ? (asked.programme ?? null) : null;
	const periods = await source.periods();
	const period = asked.period ?? periods.find((p) => parsePeriod(p)?.kind === 'month') ?? null;
	const query: FinderQuery = {
		province,
		indicator: indicator.id,
		programme,
		period,
		threshold: asked.threshold ?? defaultThreshold(indicator)
	};
	const programmes = await source.programmes();
	if (period === null) return { query, provinces, programmes, periods, result: null };

	const rowParams = new URLSearchParams({ level: 'commune', parent: province, period });
	if (programme) rowParams.set('programme', programme);
	const rows = await getIndicatorRows(source, indicator.id, rowParams);
	const ranking = rankWorseThan(rows, indicator, query.threshold);

	const districts = new Map(
		(await source.units('district', province)).map((district) => [district.code, district])
	);
	const months = trendMonths(
		periods.filter((p) => parsePeriod(p)?.kind === 'month'),
		parsePeriod(period)!.end.slice(0, 7),
		TREND_MONTHS
	);
	const window = new Set(months);
	const trends = new Map<string, TrendPoint[]>();
	const codes = ranking.ranked.map(({ commune }) => commune.code);
	for (const point of await monthlySeries(source, indicator.id, codes, programme)) {
		if (!window.has(point.period)) continue;
		const trend = trends.get(point.code) ?? [];
		trend.push({ period: point.period, value: point.value });
		trends.set(point.code, trend);
	}

	const lines = ranking.ranked.map(({ rank, commune }): LowCoverageLine => {
		// A commune's district is the first four digits of its code (domain.md §1).
		const districtCode = commune.code.slice(0, 4);
		const district = districts.get(districtCode);
		return {
			rank,
			commune: {
				code: commune.code,
				name_en: commune.name_en,
				name_km: commune.name_km,
				numerator: commune.numerator,
				denominator: commune.denominator,
				value: commune.value
			},
			district: {
				code: districtCode,
				name_en: district?.name_en ?? districtCode,
				name_km: district?.name_km ?? ''
			},
			trend: trends.get(commune.code) ?? []
		};
	});
	return {
		query,
		provinces,
		programmes,
		periods,
		result: {
			lines,
			compared: ranking.compared,
			withoutValue: ranking.withoutValue.map(({ commune, reason }) => ({
				code: commune.code,
				level: 'commune',
				name_en: commune.name_en,
				name_km: commune.name_km,
				reason
			})),
			months
		}
	};
}
