/** How the children's values are spread: a histogram, with the parent's value marked. */
import * as Plot from '@observablehq/plot';
import { bin, max, tickStep } from 'd3';
import { formatCount } from '../i18n/common';
import { tickFormat, type ChartOptions } from './chart-options';

/**
 * The bins' edges for Plot from the breaks between bins: Plot counts a value v in the bin
 * [t(i−1), t(i)) and drops values outside the first and last threshold, so the edges run from
 * the lowest value to just above the highest (the last bin holds the highest value, as the
 * table's last bin does).
 */
function edges(values: readonly number[], breaks: readonly number[]): number[] {
	if (values.length === 0) return [...breaks];
	const [min, max] = [Math.min(...values), Math.max(...values)];
	const inside = breaks.filter((b) => b > min && b <= max);
	return [min, ...inside, max + (max - min || Math.abs(max) || 1) * 1e-9];
}

/**
 * The step between the count axis's ticks: about five ticks up to the tallest bar (binned as
 * Plot bins it, by d3's bin), never less than one.
 */
function countStep(values: readonly number[], thresholds: number | number[]): number {
	const binner = bin<number, number>();
	const bins = (
		typeof thresholds === 'number' ? binner.thresholds(thresholds) : binner.thresholds(thresholds)
	)(values);
	const tallest = max(bins, (b) => b.length) ?? 0;
	return Math.max(1, tickStep(0, tallest, 5));
}

/**
 * A histogram of the values (nulls left out) and a dashed rule at the reference value. Bins are
 * cut at `thresholds` when given, so a table beside the chart can list the very same bins.
 */
export function valueDistribution(
	values: readonly (number | null)[],
	options: ChartOptions & {
		reference?: number | null;
		colour?: string;
		thresholds?: readonly number[];
	}
) {
	const valued = values.filter((v): v is number => v !== null && Number.isFinite(v));
	const thresholds = options.thresholds ? edges(valued, options.thresholds) : 10;
	const step = countStep(valued, thresholds);
	const marks: Plot.Markish[] = [
		Plot.rectY(valued, {
			...Plot.binX({ y: 'count' }, { x: (v: number) => v, thresholds }),
			fill: options.colour ?? '#1a5fb4'
		}),
		// Counts of areas: ticks at whole numbers only (a tallest bar of 1 would otherwise get
		// ticks 0.2 apart, labelled 0, 0, 0, 1, 1 once rounded). The axis's own `interval`, not
		// the scale's (which would round the bars' heights).
		Plot.gridY({ interval: step }),
		Plot.axisY({
			interval: step,
			tickFormat: (n: number) => formatCount(options.language, n)
		}),
		Plot.ruleY([0])
	];
	if (options.reference !== null && options.reference !== undefined) {
		marks.push(Plot.ruleX([options.reference], { stroke: '#c2410c', strokeDasharray: '4,3' }));
	}
	return Plot.plot({
		document: options.document,
		width: options.width,
		height: options.height ?? 200,
		x: { label: null, tickFormat: tickFormat(options) },
		y: { label: null },
		marks
	});
}
