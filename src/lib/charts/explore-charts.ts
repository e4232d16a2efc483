/**
 * The explore page's quick charts: bars of a grouped result, or a heat table of a pivot.
 * Incomplete values (sums missing suppressed cells) are drawn pale, never as if they were totals.
 */
import * as Plot from '@observablehq/plot';
import { tickFormat, type ChartOptions } from './chart-options';

/** One bar: a result row's label and value, and whether suppressed cells are missing from it. */
export interface ExploreBar {
	label: string;
	value: number | null;
	incomplete: boolean;
}

const COMPLETE = '#1a5fb4';
const INCOMPLETE = '#a3c1e6';

/** Bars at most: past this a bar chart is unreadable (the table and CSV have every row). */
export const MAX_BARS = 60;

/** Horizontal bars in the result's order; rows without a value are left out. */
export function exploreBars(bars: readonly ExploreBar[], options: ChartOptions) {
	const valued = bars
		.filter((bar): bar is ExploreBar & { value: number } => bar.value !== null)
		.slice(0, MAX_BARS);
	return Plot.plot({
		document: options.document,
		width: options.width,
		height: options.height ?? Math.max(100, 20 * valued.length + 40),
		marginLeft: 160,
		x: { grid: true, label: null, tickFormat: tickFormat(options) },
		y: { label: null, domain: valued.map((bar) => bar.label) },
		marks: [
			Plot.barX(valued, {
				y: 'label',
				x: 'value',
				fill: (bar: ExploreBar) => (bar.incomplete ? INCOMPLETE : COMPLETE),
				sort: null
			}),
			Plot.ruleX([0])
		]
	});
}

/** One cell of a heat table. */
export interface ExploreCell {
	row: string;
	column: string;
	value: number | null;
	incomplete: boolean;
}

/**
 * A pivot as a heat table: rows × columns coloured by value (empty where none), incomplete cells
 * outlined in orange; rows and columns keep the order given.
 */
export function exploreHeatTable(
	cells: readonly ExploreCell[],
	rows: readonly string[],
	columns: readonly string[],
	options: ChartOptions
) {
	const shownRows = rows.slice(0, MAX_BARS);
	const shown = new Set(shownRows);
	const valued = cells.filter((cell) => cell.value !== null && shown.has(cell.row));
	return Plot.plot({
		document: options.document,
		width: options.width,
		height: Math.max(100, 22 * shownRows.length + 60),
		marginLeft: 160,
		marginBottom: 50,
		padding: 0.05,
		x: { label: null, domain: [...columns], tickRotate: columns.length > 8 ? -45 : 0 },
		y: { label: null, domain: shownRows },
		// Five classes: a quantised ramp reads faster than a continuous one (and draws no canvas).
		color: {
			label: null,
			type: 'quantize',
			n: 5,
			scheme: 'blues',
			legend: true,
			tickFormat: tickFormat(options)
		},
		marks: [
			Plot.cell(valued, {
				x: 'column',
				y: 'row',
				fill: 'value',
				stroke: (cell: ExploreCell) => (cell.incomplete ? '#c2410c' : 'none'),
				strokeWidth: 2
			})
		]
	});
}
