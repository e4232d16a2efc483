/**
 * A count per class as horizontal bars, each in its class's colour: a map legend with its
 * counts (communes per opening year). Horizontal, so long labels in either script never collide.
 */
import * as Plot from '@observablehq/plot';
import { tickFormat, type ChartOptions } from './chart-options';

/** One bar: its label, its count and its fill. */
export interface ClassBar {
	label: string;
	value: number;
	colour: string;
}

/** Bars in the order given (top to bottom), each labelled with its count; colours used as given. */
export function classBars(bars: readonly ClassBar[], options: ChartOptions) {
	const format = tickFormat(options);
	return Plot.plot({
		document: options.document,
		width: options.width,
		height: options.height ?? 22 * bars.length + 40,
		marginLeft: 120,
		marginRight: 48,
		x: { grid: true, label: null, tickFormat: format },
		y: { label: null, domain: bars.map((bar) => bar.label), tickSize: 0 },
		color: { type: 'identity' },
		marks: [
			Plot.barX(bars, {
				y: 'label',
				x: 'value',
				fill: 'colour',
				stroke: '#8a96a3',
				strokeWidth: 0.5
			}),
			Plot.text(bars, {
				y: 'label',
				x: 'value',
				text: (bar: ClassBar) => format(bar.value),
				textAnchor: 'start',
				dx: 4,
				fill: '#1f2933'
			}),
			Plot.ruleX([0])
		]
	});
}
