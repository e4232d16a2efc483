/**
 * The low-coverage finder's rules (issue #5; users of `shared/domain.md` §2: "find the communes
 * with low coverage or low take-up, rank them, see the trend, export a list to act on"). Pure
 * functions shared by the server (ranking) and the browser (CSV export), tested without either.
 *
 * Thresholds are given in the indicator's display unit (80 means 80 % for a percentage, whose
 * stored value is the fraction 0.8); "below" means worse than the threshold, which for a
 * higher-is-worse indicator is above it.
 */
import { CATALOGUE, type IndicatorDefinition, type IndicatorRow } from './catalogue';

/**
 * Indicators a commune can be ranked by: public rates and medians. Counts are left out (a
 * count depends on the commune's size, so a threshold means nothing across communes) and so
 * are internal indicators (never published, §5).
 */
export const FINDER_INDICATORS: readonly IndicatorDefinition[] = CATALOGUE.filter(
	(indicator) => !indicator.internal && indicator.unit !== 'count'
);

/** A finder indicator by id, or undefined when the finder cannot rank by it. */
export function finderIndicator(id: string): IndicatorDefinition | undefined {
	return FINDER_INDICATORS.find((indicator) => indicator.id === id);
}

/**
 * The threshold offered before the user picks one. There are no official targets in the
 * brief: 80 % is the example for coverage; 20 % of enrolments outside the target,
 * 10 appeals per 1,000 households and 30 days (the backlog's limit, §5) are provisional
 * defaults for the other directions and units, to be replaced by the ministry's targets.
 */
export function defaultThreshold(indicator: IndicatorDefinition): number {
	switch (indicator.unit) {
		case '%':
			return indicator.direction === 'higher_is_better' ? 80 : 20;
		case 'per 1,000':
			return 10;
		default:
			return 30;
	}
}

/**
 * Factor from a stored value to the display unit: percentages are stored as fractions, rates
 * per 1,000 are stored already multiplied, days are days.
 */
export function displayScale(unit: IndicatorDefinition['unit']): number {
	return unit === '%' ? 100 : 1;
}

/** A stored value in the display unit (0.8 → 80 for a percentage). */
export function toDisplayUnits(value: number, unit: IndicatorDefinition['unit']): number {
	return value * displayScale(unit);
}

/**
 * Whether a stored value is worse than a threshold given in display units: strictly below it
 * when higher is better, strictly above it when higher is worse. A value equal to the
 * threshold meets it. The threshold is divided rather than the value multiplied: `4 / 5` and
 * `80 / 100` are both the double nearest 0.8, whereas `0.8 * 100` is 80.00000000000001.
 */
export function isWorseThan(
	value: number,
	threshold: number,
	indicator: Pick<IndicatorDefinition, 'unit' | 'direction'>
): boolean {
	const limit = threshold / displayScale(indicator.unit);
	return indicator.direction === 'higher_is_better' ? value < limit : value > limit;
}

/** A commune's value as the indicator API lists it. */
export type CommuneValue = Pick<
	IndicatorRow,
	'code' | 'name_en' | 'name_km' | 'numerator' | 'denominator' | 'value'
> & { suppressed?: boolean };

/** A commune worse than the threshold, with its place in the list (1 = worst). */
export interface RankedCommune<Row extends CommuneValue = CommuneValue> {
	rank: number;
	commune: Row & { value: number };
}

/** Why a commune has no value and so cannot be compared with the threshold. */
export type MissingValueReason = 'suppressed' | 'zero_denominator' | 'no_records';

/** The communes of an area sorted against a threshold. */
export interface ThresholdRanking<Row extends CommuneValue = CommuneValue> {
	/** Communes worse than the threshold, worst first. */
	ranked: RankedCommune<Row>[];
	/** How many communes have a value (and so were compared with the threshold). */
	compared: number;
	/**
	 * Communes without a value (suppressed in the public figures, a rate over nobody, a median
	 * over no records), by code.
	 */
	withoutValue: { commune: Row; reason: MissingValueReason }[];
}

/**
 * Ranks the communes worse than the threshold, worst first. Communes without a value are not
 * "below" anything: a rate with a zero denominator has nobody to cover, so they are returned
 * apart with the reason. Equal values share a rank (1, 2, 2, 4) and are listed with the larger
 * denominator first (more households or persons behind the same rate), then by code.
 */
export function rankWorseThan<Row extends CommuneValue>(
	rows: readonly Row[],
	indicator: Pick<IndicatorDefinition, 'unit' | 'direction'>,
	threshold: number
): ThresholdRanking<Row> {
	const valued: (Row & { value: number })[] = [];
	const withoutValue: ThresholdRanking<Row>['withoutValue'] = [];
	for (const row of rows) {
		if (row.value === null || !Number.isFinite(row.value)) {
			withoutValue.push({
				commune: row,
				reason: row.suppressed
					? 'suppressed'
					: row.denominator === 0
						? 'zero_denominator'
						: 'no_records'
			});
		} else {
			valued.push(row as Row & { value: number });
		}
	}
	const worstFirst = indicator.direction === 'higher_is_better' ? 1 : -1;
	const worse = valued
		.filter((row) => isWorseThan(row.value, threshold, indicator))
		.sort(
			(a, b) =>
				worstFirst * (a.value - b.value) ||
				(b.denominator ?? 0) - (a.denominator ?? 0) ||
				a.code.localeCompare(b.code)
		);
	const ranked = worse.map((commune, index): RankedCommune<Row> => ({ rank: index + 1, commune }));
	for (let i = 1; i < ranked.length; i++) {
		if (ranked[i]!.commune.value === ranked[i - 1]!.commune.value) {
			ranked[i]!.rank = ranked[i - 1]!.rank;
		}
	}
	withoutValue.sort((a, b) => a.commune.code.localeCompare(b.commune.code));
	return { ranked, compared: valued.length, withoutValue };
}

/** One month of a trend. */
export interface TrendPoint {
	period: string;
	value: number | null;
}

/** The change over a trend: last value minus first, in display units, with their periods. */
export interface TrendChange {
	from: string;
	to: string;
	change: number;
}

/**
 * The change between the first and the last months that have a value, in display units
 * (percentage points for a percentage), or null with fewer than two such months.
 */
export function trendChange(
	points: readonly TrendPoint[],
	unit: IndicatorDefinition['unit']
): TrendChange | null {
	const valued = points.filter((p): p is { period: string; value: number } => p.value !== null);
	const first = valued[0];
	const last = valued.at(-1);
	if (!first || !last || first === last) return null;
	return {
		from: first.period,
		to: last.period,
		change: toDisplayUnits(last.value, unit) - toDisplayUnits(first.value, unit)
	};
}

/** The months of a trend window: the last `count` months up to `period`'s last month. */
export function trendMonths(
	computedMonths: readonly string[],
	periodEndMonth: string,
	count = 12
): string[] {
	return computedMonths
		.filter((month) => month <= periodEndMonth)
		.sort()
		.slice(-count);
}

/** A unit's English and Khmer names, for the CSV. */
interface NamedUnit {
	code: string;
	name_en: string;
	name_km: string;
}

/** One line of the finder's list, as the page shows and exports it. */
export interface LowCoverageLine {
	rank: number;
	commune: NamedUnit & { numerator: number | null; denominator: number | null; value: number };
	district: NamedUnit;
	/** The trend window's months, oldest first (the same months for every line). */
	trend: TrendPoint[];
}

/** The unit's name in CSV column names. */
const CSV_UNIT: Record<IndicatorDefinition['unit'], string> = {
	'%': 'percent',
	'per 1,000': 'per_1000',
	days: 'days',
	count: 'count'
};

/** Decimals kept in the CSV's display-unit values (numerator and denominator are exact). */
const CSV_DECIMALS = 4;

function rounded(value: number | null): number | null {
	if (value === null) return null;
	const factor = 10 ** CSV_DECIMALS;
	// `+ 0` turns a rounded -0 into 0.
	return Math.round(value * factor) / factor + 0;
}

/**
 * The list as CSV columns and rows. Column names are stable English keys (a spreadsheet or
 * script reads them); names come in both languages. Values are in the display unit named by
 * the column (`value_percent` = numerator / denominator × 100), rounded to 4 decimals; one
 * column per trend month (`value_percent_2025-11`), then the change from the first to the last
 * month with a value (`change_percent`, in percentage points). Empty cells mean no value.
 */
export function lowCoverageCsv(
	lines: readonly LowCoverageLine[],
	unit: IndicatorDefinition['unit'],
	months: readonly string[]
): { header: string[]; rows: (string | number | null)[][] } {
	const valueColumn = `value_${CSV_UNIT[unit]}`;
	const header = [
		'rank',
		'commune_code',
		'commune_en',
		'commune_km',
		'district_code',
		'district_en',
		'district_km',
		'numerator',
		'denominator',
		valueColumn,
		...months.map((month) => `${valueColumn}_${month}`),
		`change_${CSV_UNIT[unit]}`
	];
	const rows = lines.map((line) => {
		const byMonth = new Map(line.trend.map((point) => [point.period, point.value]));
		const monthValue = (month: string) => {
			const value = byMonth.get(month);
			return value === undefined || value === null ? null : toDisplayUnits(value, unit);
		};
		return [
			line.rank,
			line.commune.code,
			line.commune.name_en,
			line.commune.name_km,
			line.district.code,
			line.district.name_en,
			line.district.name_km,
			line.commune.numerator,
			line.commune.denominator,
			rounded(toDisplayUnits(line.commune.value, unit)),
			...months.map((month) => rounded(monthValue(month))),
			rounded(trendChange(line.trend, unit)?.change ?? null)
		];
	});
	return { header, rows };
}
