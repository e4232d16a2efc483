/** How the children's values are spread: a histogram, with the parent's value marked. */
import * as Plot from '@observablehq/plot';
import { formatCount } from '../i18n/common';
import { tickFormat, type ChartOptions } from './chart-options';

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
	const marks: Plot.Markish[] = [
		Plot.rectY(valued, {
			...Plot.binX(
				{ y: 'count' },
				{ x: (v: number) => v, thresholds: options.thresholds ? [...options.thresholds] : 10 }
			),
			fill: options.colour ?? '#1a5fb4'
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
		y: { grid: true, label: null, tickFormat: (n: number) => formatCount(options.language, n) },
		marks
	});
}
