// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { stackedTrend } from './stacked-trend';
import { classBars } from './class-bars';

const base = { language: 'en' as const, unit: 'count' as const, width: 400, document };

describe('stackedTrend', () => {
	const chart = stackedTrend(
		[
			{
				label: 'Front offices',
				colour: '#1a5fb4',
				points: [
					{ period: '2025-01', value: 2 },
					{ period: '2025-02', value: 5 }
				]
			},
			{
				label: 'District back offices',
				colour: '#8a96a3',
				points: [
					{ period: '2025-01', value: 1 },
					{ period: '2025-02', value: 1 }
				]
			}
		],
		base
	);

	it('draws one area per layer in its colour, with a legend', () => {
		const areas = [...chart.querySelectorAll('g[aria-label="area"] path')];
		expect(areas.map((a) => a.getAttribute('fill'))).toEqual(['#1a5fb4', '#8a96a3']);
		expect(chart.textContent).toContain('Front offices');
		expect(chart.textContent).toContain('District back offices');
	});

	it('stacks the second layer on the first: the axis reaches the total, 6', () => {
		const ticks = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) =>
			Number(t.textContent)
		);
		// Plot's nice ticks for a 0–6 domain: 0, 1, … 6.
		expect(Math.max(...ticks)).toBe(6);
	});
});

describe('classBars', () => {
	it('draws a bar per class in its own colour, in the order given, labelled with its count', () => {
		const chart = classBars(
			[
				{ label: '2014', value: 14, colour: 'rgb(8, 29, 88)' },
				{ label: '2015', value: 0, colour: 'rgb(40, 151, 191)' },
				{ label: 'No office yet', value: 1203, colour: '#e3e6ea' }
			],
			base
		);
		const bars = [...chart.querySelectorAll('g[aria-label="bar"] rect')];
		expect(bars.map((b) => b.getAttribute('fill'))).toEqual([
			'rgb(8, 29, 88)',
			'rgb(40, 151, 191)',
			'#e3e6ea'
		]);
		const labels = [...chart.querySelectorAll('g[aria-label="text"] text')].map(
			(t) => t.textContent
		);
		expect(labels).toEqual(['14', '0', '1,203']);
		const ticks = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')].map(
			(t) => t.textContent
		);
		expect(ticks).toEqual(['2014', '2015', 'No office yet']);
	});
});
