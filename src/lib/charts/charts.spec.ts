// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { beforeAfter } from './before-after';
import { valueDistribution } from './distribution';
import { csvText } from './export';
import { rankedBars } from './ranked-bars';
import { sparkline } from './sparkline';
import { indicatorTrend } from './trend';

const base = { language: 'en' as const, unit: '%' as const, width: 400, document };

describe('indicatorTrend', () => {
	it('draws one line per series and marks the office opening', () => {
		const chart = indicatorTrend(
			[
				{
					label: 'Angkor Chum',
					points: [
						{ period: '2025-01', value: 0.2 },
						{ period: '2025-02', value: 0.4 }
					]
				},
				{
					label: 'Siem Reap',
					points: [
						{ period: '2025-01', value: 0.3 },
						{ period: '2025-02', value: 0.35 }
					]
				}
			],
			{ ...base, marker: { period: '2025-02', label: 'Office opened' } }
		);
		// Two series: Plot wraps the plot in a figure with a colour legend.
		expect(chart.tagName).toBe('FIGURE');
		// Plot draws each series of a lineY mark as one path inside the mark's group.
		expect(chart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
		expect(chart.textContent).toContain('Office opened');
		// y ticks are formatted as percentages
		expect(chart.querySelector('g[aria-label="y-axis tick label"]')?.textContent).toContain('%');
	});
});

describe('rankedBars', () => {
	it('ranks the valued children, best first, and leaves out those without a value', () => {
		const chart = rankedBars(
			[
				{ name: 'A', value: 0.5 },
				{ name: 'B', value: 0.9 },
				{ name: 'C', value: null },
				{ name: 'D', value: 0.1 }
			],
			{ ...base, higherIsBetter: true, reference: 0.5 }
		);
		const labels = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')].map(
			(t) => t.textContent
		);
		expect(labels).toEqual(['B', 'A', 'D']);
		expect(chart.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(3);

		const worst = rankedBars(
			[
				{ name: 'A', value: 0.5 },
				{ name: 'B', value: 0.9 }
			],
			{
				...base,
				higherIsBetter: false
			}
		);
		expect(
			[...worst.querySelectorAll('g[aria-label="y-axis tick label"] text')].map(
				(t) => t.textContent
			)
		).toEqual(['A', 'B']);
	});
});

describe('valueDistribution', () => {
	it('bins the values, nulls left out', () => {
		const chart = valueDistribution([0.11, 0.12, 0.13, 0.55, null], { ...base });
		const rects = [...chart.querySelectorAll('g[aria-label="rect"] rect')];
		// two non-empty bins are drawn as bars of heights 3 and 1 (units): compare heights
		const heights = rects.map((r) => Number(r.getAttribute('height'))).filter((h) => h > 0);
		expect(heights).toHaveLength(2);
		expect(Math.max(...heights) / Math.min(...heights)).toBeCloseTo(3, 5);
	});

	it('counts the lowest and the highest value when given the breaks between bins', () => {
		// Six communes at 100 % and one at 2/3, breaks as the dashboard's table cuts them: every
		// value is drawn, the lowest alone in the first bin and the six highest in the last.
		const values = [2 / 3, 1, 1, 1, 1, 1, 1];
		const thresholds = [0.7, 0.75, 0.8, 0.9, 0.95];
		const chart = valueDistribution(values, { ...base, thresholds });
		const bars = [...chart.querySelectorAll('g[aria-label="rect"] rect')].map((r) => ({
			x: Number(r.getAttribute('x')),
			height: Number(r.getAttribute('height'))
		}));
		expect(bars).toHaveLength(2);
		const [first, last] = bars.sort((a, b) => a.x - b.x);
		expect(last!.height / first!.height).toBeCloseTo(6, 5);
	});

	it('labels the count axis at whole numbers only', () => {
		// Two provinces in separate bins: the tallest bar is 1, so the axis reads 0 and 1 (not
		// 0, 0.2, … rounded to 0, 0, 0, 1, 1).
		const few = valueDistribution([9, 13], { ...base, unit: 'count' });
		const labels = (chart: Element) =>
			[...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')].map(
				(t) => t.textContent
			);
		expect(labels(few)).toEqual(['0', '1']);
		// Twelve equal values in one bin: ticks every 2 (about five up to 12).
		const many = valueDistribution(Array<number>(12).fill(0.5), { ...base });
		expect(labels(many)).toEqual(['0', '2', '4', '6', '8', '10', '12']);
	});
});

describe('sparkline', () => {
	it('is a small svg with one line', () => {
		const chart = sparkline(
			[
				{ period: '2025-01', value: 1 },
				{ period: '2025-02', value: 2 }
			],
			{ document }
		);
		expect(chart.getAttribute('width')).toBe('96');
		expect(chart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(1);
	});

	it('puts a value halfway up when the domain is fixed at twice it', () => {
		const chart = sparkline(
			[
				{ period: '2025-01', value: 0.5 },
				{ period: '2025-02', value: 0.5 }
			],
			{ document, height: 26, domain: [0, 1] }
		);
		// Margins of 3 px: the plot area runs from y = 3 to y = 23, so 0.5 is at y = 13.
		const path = chart.querySelector('g[aria-label="line"] path')?.getAttribute('d') ?? '';
		expect(path).toMatch(/^M3,13L93,13$/);
	});
});

describe('beforeAfter', () => {
	const months = [
		{ period: '2025-01', numerator: 1, denominator: 10 },
		{ period: '2025-02', numerator: 2, denominator: 10 },
		{ period: '2025-03', numerator: 6, denominator: 10 },
		{ period: '2025-04', numerator: 9, denominator: 20 }
	];

	it('sums numerators and denominators on each side; the opening month is after', () => {
		// before: Jan+Feb = 3/20 = 0.15; after: Mar+Apr = 15/30 = 0.5
		expect(beforeAfter(months, '2025-03')).toEqual({
			before: { months: 2, numerator: 3, denominator: 20, value: 0.15 },
			after: { months: 2, numerator: 15, denominator: 30, value: 0.5 }
		});
	});

	it('keeps at most the window on each side, nearest the opening', () => {
		// window 1: Feb 2/10 before, Mar 6/10 after
		expect(beforeAfter(months, '2025-03', 1)).toEqual({
			before: { months: 1, numerator: 2, denominator: 10, value: 0.2 },
			after: { months: 1, numerator: 6, denominator: 10, value: 0.6 }
		});
	});

	it('is null when one side has no month', () => {
		expect(beforeAfter(months, '2024-12')).toBeNull();
		expect(beforeAfter(months, '2025-05')).toBeNull();
	});
});

describe('csvText', () => {
	it('quotes what needs quoting and leaves nulls empty', () => {
		expect(
			csvText(
				['name', 'value'],
				[
					['Kampong "Cham", East', null],
					['ស្រុក', 0]
				]
			)
		).toBe('name,value\n"Kampong ""Cham"", East",\nស្រុក,0');
	});
});
