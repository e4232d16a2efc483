/** A word-sized trend line for tables and headline figures. */
import * as Plot from '@observablehq/plot';
import { periodStart } from './chart-options';

/**
 * A line without axes; null values leave gaps. The last point is dotted. The y scale starts
 * at zero, up to the largest value unless `domain` fixes it (0–1 for percentages, so lines of a
 * table's rows can be compared).
 */
export function sparkline(
	points: readonly { period: string; value: number | null }[],
	options: {
		width?: number;
		height?: number;
		colour?: string;
		domain?: [number, number];
		document?: Document;
	} = {}
) {
	const data = points.map((p) => ({ date: periodStart(p.period), value: p.value }));
	const last = data.filter((d) => d.value !== null).slice(-1);
	return Plot.plot({
		document: options.document,
		width: options.width ?? 96,
		height: options.height ?? 24,
		margin: 3,
		axis: null,
		x: { type: 'utc' },
		y: options.domain ? { domain: options.domain } : { zero: true },
		marks: [
			Plot.lineY(data, {
				x: 'date',
				y: 'value',
				stroke: options.colour ?? '#1a5fb4',
				strokeWidth: 1.5
			}),
			Plot.dot(last, { x: 'date', y: 'value', fill: options.colour ?? '#1a5fb4', r: 2 })
		]
	});
}
