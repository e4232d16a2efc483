/**
 * The rollout view's pure pieces, shared by the server (which reads them) and the browser
 * (which draws them): office levels, long stock series from stored year-end and monthly values,
 * and the classes of the map of first opening years.
 */
import { interpolateYlGnBu } from 'd3-scale-chromatic';
import { parsePeriod } from './periods';

/** The office levels of the `offices` feed (`shared/domain.md` §3), front office first. */
export const OFFICE_LEVELS = ['commune_front', 'district_back', 'province_back'] as const;

/** One of the office levels. */
export type OfficeLevel = (typeof OFFICE_LEVELS)[number];

/** Offices open at the end of one month (`period`, `YYYY-MM`), by level. */
export type OfficesOpenMonth = { period: string } & Record<OfficeLevel, number>;

/** An office as the rollout reads it (`offices` feed, §3): public facts, no staff figures. */
export interface OfficeOpening {
	level: OfficeLevel;
	/** The unit the office serves (a commune for a front office). */
	geo_code: string;
	/** `YYYY-MM-DD`. */
	opened_on: string;
	/** `YYYY-MM-DD`, or null while open. A closure on day d closes the office that day. */
	closed_on: string | null;
}

/** The last day of a month `YYYY-MM`, as `YYYY-MM-DD`. */
function monthEnd(month: string): string {
	const [year, m] = month.split('-').map(Number) as [number, number];
	return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

/** The month after `YYYY-MM`. */
function nextMonth(month: string): string {
	const [year, m] = month.split('-').map(Number) as [number, number];
	return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * Offices open at the end of every month from the month of the first opening through
 * `throughMonth` (`YYYY-MM`), by level; none when no office has opened by then. Open at the
 * end of a month: opened on or before its last day, and not closed by then (the definition of
 * `offices_open` and `commune_office_coverage`).
 */
export function officesOpenByMonth(
	offices: readonly OfficeOpening[],
	throughMonth: string
): OfficesOpenMonth[] {
	if (parsePeriod(throughMonth)?.kind !== 'month') throw new Error(`not a month: ${throughMonth}`);
	if (offices.length === 0) return [];
	let month = offices
		.reduce((first, o) => (o.opened_on < first ? o.opened_on : first), '9999')
		.slice(0, 7);
	const months: OfficesOpenMonth[] = [];
	for (; month <= throughMonth; month = nextMonth(month)) {
		const end = monthEnd(month);
		const open: OfficesOpenMonth = {
			period: month,
			commune_front: 0,
			district_back: 0,
			province_back: 0
		};
		for (const o of offices) {
			if (o.opened_on <= end && (o.closed_on === null || o.closed_on > end)) open[o.level]++;
		}
		months.push(open);
	}
	return months;
}

/**
 * The year each commune got its first commune front office, counting offices opened on or
 * before `through` (`YYYY-MM-DD`) and those closed since; null for a commune that had none by
 * then. Keyed by commune code, in code order.
 */
export function firstFrontOfficeYears(
	communes: readonly string[],
	offices: readonly OfficeOpening[],
	through: string
): Record<string, number | null> {
	const first = new Map<string, string>();
	for (const o of offices) {
		if (o.level !== 'commune_front' || o.opened_on > through) continue;
		const known = first.get(o.geo_code);
		if (!known || o.opened_on < known) first.set(o.geo_code, o.opened_on);
	}
	return Object.fromEntries(
		[...communes].sort().map((code) => {
			const opened = first.get(code);
			return [code, opened ? Number(opened.slice(0, 4)) : null];
		})
	);
}

/** A stored value of an indicator for one unit and period. */
export interface StockPoint {
	period: string;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
}

/**
 * One series over the whole history of a stock indicator (measured at a period's last day,
 * `shared/domain.md` §5), from what a refresh keeps: every year, and only the recent months
 * (`refreshPeriods`). A year's value is its December's, so each year before the first month
 * stands in as `YYYY-12`; the months follow. Years that end after the last month (the current
 * one) are left out: their end has not come yet, or their December is a month of the list.
 */
export function endOfPeriodSeries(
	years: readonly StockPoint[],
	months: readonly StockPoint[]
): StockPoint[] {
	const byPeriod = (a: StockPoint, b: StockPoint) => a.period.localeCompare(b.period);
	const sortedMonths = [...months].sort(byPeriod);
	// Without months there is no "now" to compare with: every year is kept.
	const firstMonth = sortedMonths[0]?.period ?? '9999-12';
	const yearEnds = years
		.filter((year) => parsePeriod(year.period)?.kind === 'year')
		.map((year) => ({ ...year, period: `${year.period}-12` }))
		.filter((year) => year.period < firstMonth)
		.sort(byPeriod);
	return [...yearEnds, ...sortedMonths];
}

/** The communes whose first front office opened in one year (`year` null: none yet). */
export interface OpeningYearClass {
	year: number | null;
	count: number;
	colour: string;
}

/**
 * A colour per year, darkest for the earliest, from ColorBrewer's YlGnBu (sequential,
 * colour-blind safe; https://colorbrewer2.org/#type=sequential&scheme=YlGnBu). The rollout
 * spans more years than the 9 classes of the discrete scheme, so the colours are sampled from
 * d3's interpolation of it, skipping its palest fifth, which is too close to the map's background.
 */
export function yearColours(firstYear: number, lastYear: number): Map<number, string> {
	const count = lastYear - firstYear + 1;
	const colours = new Map<number, string>();
	for (let year = firstYear; year <= lastYear; year++) {
		const t = count === 1 ? 1 : 1 - (year - firstYear) / (count - 1);
		colours.set(year, interpolateYlGnBu(0.2 + 0.8 * t));
	}
	return colours;
}

/**
 * The classes of the opening-year map: every year from the first opening to the last (years
 * without an opening included, with a count of 0, so the scale has no holes), then the communes
 * without an office. `openingYears` maps each commune code to its year or null.
 */
export function openingYearClasses(
	openingYears: Readonly<Record<string, number | null>>,
	noOfficeColour: string
): OpeningYearClass[] {
	const counts = new Map<number | null, number>();
	for (const year of Object.values(openingYears)) counts.set(year, (counts.get(year) ?? 0) + 1);
	const years = [...counts.keys()].filter((year): year is number => year !== null);
	const classes: OpeningYearClass[] = [];
	if (years.length > 0) {
		const colours = yearColours(Math.min(...years), Math.max(...years));
		for (const [year, colour] of colours)
			classes.push({ year, colour, count: counts.get(year) ?? 0 });
	}
	classes.push({ year: null, colour: noOfficeColour, count: counts.get(null) ?? 0 });
	return classes;
}

/** One row of the table of opening years: a province, or the nation, and its communes per year. */
export interface OpeningYearRow {
	code: string;
	/** Communes per class, in the order of the classes (the last: without an office). */
	counts: number[];
	total: number;
}

/**
 * Communes per opening year in each province (a commune's province is the first two digits of
 * its code, `shared/domain.md` §1), provinces in code order, then the nation (`KH`).
 */
export function openingYearsByProvince(
	openingYears: Readonly<Record<string, number | null>>,
	classes: readonly OpeningYearClass[]
): OpeningYearRow[] {
	const column = new Map(classes.map((c, index) => [c.year, index]));
	const rows = new Map<string, OpeningYearRow>();
	const national: OpeningYearRow = { code: 'KH', counts: classes.map(() => 0), total: 0 };
	for (const [commune, year] of Object.entries(openingYears)) {
		const province = commune.slice(0, 2);
		let row = rows.get(province);
		if (!row)
			rows.set(province, (row = { code: province, counts: classes.map(() => 0), total: 0 }));
		const index = column.get(year);
		if (index === undefined) continue;
		for (const target of [row, national]) {
			target.counts[index]!++;
			target.total++;
		}
	}
	return [...[...rows.values()].sort((a, b) => a.code.localeCompare(b.code)), national];
}
