/** Parts of a whole over time, stacked (offices open by level). */
import * as Plot from '@observablehq/plot';
import { periodStart, tickFormat, type ChartOptions } from './chart-options';

/** One layer of the stack, bottom first. */
export interface StackedLayer {
	label: string;
	colour: string;
	points: readonly { period: string; value: number }[];
}

/**
 * Areas stacked in the order of the layers (the first at the bottom), with a colour legend and
 * a tip giving every layer's value and the total at the month under the pointer.
 */
export function stackedTrend(layers: readonly StackedLayer[], options: ChartOptions) {
	const labels = layers.map((layer) => layer.label);
	const format = tickFormat(options);
	const points = layers.flatMap((layer) =>
		layer.points.map((p) => ({ series: layer.label, date: periodStart(p.period), value: p.value }))
	);
	const byDate = new Map<number, { date: Date; total: number; lines: string[] }>();
	for (const p of points) {
		const entry = byDate.get(+p.date) ?? { date: p.date, total: 0, lines: [] };
		entry.total += p.value;
		entry.lines.push(`${p.series}: ${format(p.value)}`);
		byDate.set(+p.date, entry);
	}
	const totals = [...byDate.values()];
	return Plot.plot({
		document: options.document,
		width: options.width,
		height: options.height ?? 240,
		marginLeft: 56,
		x: { type: 'utc', label: null },
		y: { grid: true, label: null, tickFormat: format, zero: true },
		color: { domain: labels, range: layers.map((layer) => layer.colour), legend: true },
		marks: [
			Plot.areaY(points, { x: 'date', y: 'value', fill: 'series', z: 'series', order: labels }),
			Plot.ruleY([0]),
			Plot.tip(
				totals,
				Plot.pointerX({
					x: 'date',
					y: 'total',
					title: (d: (typeof totals)[number]) =>
						[d.date.toISOString().slice(0, 7), ...d.lines].join('\n')
				})
			)
		]
	});
}
