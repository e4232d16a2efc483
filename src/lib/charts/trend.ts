/**
 * An indicator over time for one or more units (the unit and its parent), optionally with a
 * moment marked (the opening of the unit's SSDM office).
 */
import * as Plot from '@observablehq/plot';
import { monthTickFormat, periodStart, tickFormat, type ChartOptions } from './chart-options';

/** One line of the chart. */
export interface TrendSeries {
	label: string;
	points: readonly { period: string; value: number | null }[];
}

/** A vertical rule with a label, at the start of a month. */
export interface TrendMarker {
	period: string;
	label: string;
}

/** Lines of each series' values by period; gaps where a value is null (zero denominator). */
export function indicatorTrend(
	series: readonly TrendSeries[],
	options: ChartOptions & { marker?: TrendMarker | null }
) {
	const points = series.flatMap((s) =>
		s.points.map((p) => ({ series: s.label, date: periodStart(p.period), value: p.value }))
	);
	const marks: Plot.Markish[] = [
		Plot.ruleY([0]),
		Plot.lineY(points, {
			x: 'date',
			y: 'value',
			stroke: 'series',
			strokeWidth: 2 // Plot breaks a line at a null value: a gap, not a drop to zero.
		}),
		Plot.dot(points, { x: 'date', y: 'value', fill: 'series', r: 2.5 }),
		Plot.tip(
			points,
			Plot.pointerX({
				x: 'date',
				y: 'value',
				stroke: 'series',
				title: (d: { series: string; value: number | null; date: Date }) =>
					`${d.series}\n${d.date.toISOString().slice(0, 7)}: ${
						d.value === null ? '—' : tickFormat(options)(d.value)
					}`
			})
		)
	];
	if (options.marker) {
		const at = periodStart(options.marker.period);
		marks.push(
			Plot.ruleX([at], { stroke: '#c2410c', strokeDasharray: '4,3' }),
			Plot.text([at], {
				text: [options.marker.label],
				frameAnchor: 'top',
				dx: 4,
				textAnchor: 'start',
				fill: '#c2410c'
			})
		);
	}
	return Plot.plot({
		document: options.document,
		width: options.width,
		height: options.height ?? 220,
		marginLeft: 56,
		x: { type: 'utc', label: null, tickFormat: monthTickFormat(options), ticks: 4 },
		y: { grid: true, label: null, tickFormat: tickFormat(options), zero: true },
		// The first series (the unit) in the accent colour, its parent in grey, in the given order.
		color: {
			legend: series.length > 1,
			domain: series.map((s) => s.label),
			range: ['#1a5fb4', '#8a96a3', '#c2410c']
		},
		marks
	});
}
