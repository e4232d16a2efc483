/**
 * Classes of a choropleth: where the breaks fall, which class each value is in, and the
 * colours, shared by the map, its legend, the tables' swatches and the PNG export.
 *
 * Natural breaks come from simple-statistics (ckmeans: Wang & Song's optimal
 * 1-D k-means, the exact successor of Jenks' method; https://simplestatistics.org/docs/#ckmeans).
 */
import { ckmeans } from 'simple-statistics';
import { schemeBlues, schemeOranges } from 'd3-scale-chromatic';
import type { IndicatorDefinition } from './catalogue';

/** The classification methods offered on the map. */
export const CLASS_METHODS = ['quantile', 'equal', 'jenks', 'fixed'] as const;
export type ClassMethod = (typeof CLASS_METHODS)[number];

/** Class counts offered: ColorBrewer's sequential schemes run from 3 to 9 classes. */
export const MIN_CLASSES = 3;
export const MAX_CLASSES = 7;

/** Fill of a unit the indicator API did not return, or with no records (a median of none). */
export const NO_DATA_COLOUR = '#e3e6ea';
/** Stripes over NO_DATA_COLOUR, so "no data" does not rely on colour alone. */
export const NO_DATA_HATCH_COLOUR = '#a3abb4';
/** Fill of a rate whose denominator is zero: nothing to count, which is not a low value. */
export const ZERO_DENOMINATOR_COLOUR = '#f7f7f7';
/** Dots over the suppressed fill (small cells, domain.md §6). */
export const SUPPRESSED_COLOUR = '#d9d2e9';
export const SUPPRESSED_DOT_COLOUR = '#6a5a8c';

/** The state of one unit on the map. */
export type CellState = 'value' | 'no_data' | 'zero_denominator' | 'suppressed';

/** What the classifier needs of a row. */
export interface ClassifiedRow {
	value: number | null;
	denominator: number | null;
	suppressed?: boolean;
}

/** Whether a unit has a value, or why not. */
export function cellState(row: ClassifiedRow | undefined): CellState {
	if (!row) return 'no_data';
	if (row.suppressed) return 'suppressed';
	if (row.value !== null && Number.isFinite(row.value)) return 'value';
	return row.denominator === 0 ? 'zero_denominator' : 'no_data';
}

/**
 * Inner class breaks (k − 1 of them, ascending) for the values. A value v is in class i when
 * breaks[i−1] ≤ v < breaks[i]. Duplicate breaks (many equal values) are dropped, so fewer
 * classes come back rather than empty ones.
 * - quantile: k groups of (nearly) equal numbers of units, each break the first value of a group;
 * - equal: k classes of equal width from the minimum to the maximum;
 * - jenks: ckmeans clusters, each break the lowest value of the next cluster;
 * - fixed: the thresholds given (e.g. a target of 0.8), in any order.
 */
export function classBreaks(
	values: readonly number[],
	method: ClassMethod,
	classes: number,
	thresholds: readonly number[] = []
): number[] {
	if (method === 'fixed') return [...new Set(thresholds)].sort((a, b) => a - b);
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	if (sorted.length === 0) return [];
	const k = Math.max(1, Math.min(classes, sorted.length));
	let breaks: number[] = [];
	if (method === 'quantile') {
		// Each break is the first value of its group of n/k units (not an interpolated quantile):
		// a break between two values could leave a class with no unit in it.
		for (let i = 1; i < k; i++) breaks.push(sorted[Math.floor((sorted.length * i) / k)]!);
	} else if (method === 'equal') {
		const [min, max] = [sorted[0]!, sorted.at(-1)!];
		for (let i = 1; i < k; i++) breaks.push(min + ((max - min) * i) / k);
	} else {
		const distinct = new Set(sorted).size;
		breaks = ckmeans(sorted, Math.min(k, distinct))
			.slice(1)
			.map((cluster) => cluster[0]!);
	}
	const min = sorted[0]!;
	return [...new Set(breaks)].filter((b) => b > min);
}

/** The class of a value given the breaks: 0 … breaks.length. */
export function classIndex(value: number, breaks: readonly number[]): number {
	let index = 0;
	while (index < breaks.length && value >= breaks[index]!) index++;
	return index;
}

/**
 * Colours for n classes, light to dark with the value. Dark means "more": blues when more is
 * better, oranges when more is worse (backlogs, overdue appeals), so a dark commune always
 * reads as "much" and the hue says whether that is good. Both are ColorBrewer sequential
 * schemes, safe for colour-blind readers (https://colorbrewer2.org).
 */
export function classColours(classes: number, direction: IndicatorDefinition['direction']) {
	const scheme = direction === 'higher_is_better' ? schemeBlues : schemeOranges;
	if (classes <= 0) return [];
	// One class more than needed, lightest dropped: the palest ColorBrewer tint is too close to
	// the page's background and to the zero-denominator fill to be told apart on a map.
	const n = Math.min(Math.max(classes + 1, 3), 9);
	const colours = scheme[n]!.slice(1);
	if (classes === 1) return [colours.at(-1)!];
	if (classes === 2) return [colours[0]!, colours.at(-1)!];
	return colours.slice(0, classes);
}

/** One entry of the legend. */
export interface LegendClass {
	colour: string;
	/** Lower bound (inclusive), or null for the first class (open below). */
	from: number | null;
	/** Upper bound (exclusive), or null for the last class (open above). */
	to: number | null;
	/** Units in this class. */
	count: number;
}

/** A classification of rows: breaks, colours, per-class counts and the units in each state. */
export interface Classification {
	breaks: number[];
	classes: LegendClass[];
	states: Record<Exclude<CellState, 'value'>, number>;
	colourOf(row: ClassifiedRow | undefined): string;
}

/** Classifies the rows (their values), counting the units in each class and state. */
export function classify(
	rows: readonly ClassifiedRow[],
	method: ClassMethod,
	classes: number,
	direction: IndicatorDefinition['direction'],
	thresholds: readonly number[] = []
): Classification {
	const values = rows.flatMap((row) => (cellState(row) === 'value' ? [row.value!] : []));
	const breaks = classBreaks(values, method, classes, thresholds);
	// No value at all (every unit without one): no class to show, only the states.
	const colours = values.length ? classColours(breaks.length + 1, direction) : [];
	const legend: LegendClass[] = colours.map((colour, i) => ({
		colour,
		from: i === 0 ? null : breaks[i - 1]!,
		to: i === breaks.length ? null : breaks[i]!,
		count: 0
	}));
	const states = { no_data: 0, zero_denominator: 0, suppressed: 0 };
	for (const row of rows) {
		const state = cellState(row);
		if (state === 'value') legend[classIndex(row.value!, breaks)]!.count++;
		else states[state]++;
	}
	return {
		breaks,
		classes: legend,
		states,
		colourOf(row) {
			const state = cellState(row);
			if (state === 'value') return colours[classIndex(row!.value!, breaks)]!;
			if (state === 'zero_denominator') return ZERO_DENOMINATOR_COLOUR;
			if (state === 'suppressed') return SUPPRESSED_COLOUR;
			return NO_DATA_COLOUR;
		}
	};
}
