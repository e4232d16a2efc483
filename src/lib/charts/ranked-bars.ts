/** Children of a unit ranked by their value, with the parent's value as a reference rule. */
import * as Plot from '@observablehq/plot';
import { tickFormat, type ChartOptions } from './chart-options';

/** One bar. */
export interface RankedBar {
	name: string;
	value: number | null;
}

/**
 * Horizontal bars, best first (highest when higher is better, lowest when it is worse); units
 * without a value are left out (the table lists them). The parent's value is a dashed rule.
 */
export function rankedBars(
	bars: readonly RankedBar[],
	options: ChartOptions & { higherIsBetter: boolean; reference?: number | null; colour?: string }
) {
	const valued = bars
		.filter((bar): bar is { name: string; value: number } => bar.value !== null)
		.sort((a, b) => (options.higherIsBetter ? b.value - a.value : a.value - b.value));
	const marks: Plot.Markish[] = [
		Plot.barX(valued, { y: 'name', x: 'value', fill: options.colour ?? '#1a5fb4', sort: null }),
		Plot.ruleX([0])
	];
	if (options.reference !== null && options.reference !== undefined) {
		marks.push(Plot.ruleX([options.reference], { stroke: '#c2410c', strokeDasharray: '4,3' }));
	}
	return Plot.plot({
		document: options.document,
		width: options.width,
		height: options.height ?? Math.max(120, 18 * valued.length + 40),
		marginLeft: 140,
		x: { grid: true, label: null, tickFormat: tickFormat(options) },
		y: { label: null, domain: valued.map((bar) => bar.name) },
		marks
	});
}
