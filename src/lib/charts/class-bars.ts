/** A count per year as columns, each in its own colour (the legend of a map by year). */
import * as Plot from '@observablehq/plot';
import { tickFormat, type ChartOptions } from './chart-options';

/** One column: its label on the x axis, its count and its fill. */
export interface YearColumn {
	label: string;
	value: number;
	colour: string;
}

/** Columns in the order given, each labelled with its count; colours are used as they are. */
export function yearColumns(columns: readonly YearColumn[], options: ChartOptions) {
	const format = tickFormat(options);
	return Plot.plot({
		document: options.document,
		width: options.width,
		height: options.height ?? 220,
		marginLeft: 48,
		x: { label: null, domain: columns.map((column) => column.label), tickSize: 0 },
		y: { grid: true, label: null, tickFormat: format },
		color: { type: 'identity' },
		marks: [
			Plot.barY(columns, {
				x: 'label',
				y: 'value',
				fill: 'colour',
				stroke: '#8a96a3',
				strokeWidth: 0.5
			}),
			Plot.text(columns, {
				x: 'label',
				y: 'value',
				text: (column: YearColumn) => format(column.value),
				dy: -7,
				fill: '#1f2933'
			}),
			Plot.ruleY([0])
		]
	});
}
