// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { exploreBars, exploreHeatTable, MAX_BARS } from './explore-charts';

const base = { language: 'en' as const, unit: '%' as const, width: 500, document };

describe('exploreBars', () => {
	it('draws a bar per valued row, pale where suppressed cells are missing', () => {
		const chart = exploreBars(
			[
				{ label: 'Siem Reap', value: 0.6, incomplete: false },
				{ label: 'Kep', value: 0.4, incomplete: true },
				{ label: 'Pailin', value: null, incomplete: true }
			],
			base
		);
		const bars = [...chart.querySelectorAll('g[aria-label="bar"] rect')];
		expect(bars.map((bar) => bar.getAttribute('fill'))).toEqual(['#1a5fb4', '#a3c1e6']);
		expect(chart.querySelector('g[aria-label="x-axis tick label"]')?.textContent).toContain('%');
	});

	it(`stops at ${MAX_BARS} bars`, () => {
		const bars = Array.from({ length: MAX_BARS + 5 }, (_, i) => ({
			label: `unit ${i}`,
			value: i,
			incomplete: false
		}));
		const chart = exploreBars(bars, { ...base, unit: 'count' });
		expect(chart.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(MAX_BARS);
	});
});

describe('exploreHeatTable', () => {
	it('colours a cell per valued pivot cell and outlines incomplete ones', () => {
		const chart = exploreHeatTable(
			[
				{ row: 'Kep', column: '2026-09', value: 0.2, incomplete: false },
				{ row: 'Kep', column: '2026-10', value: 0.3, incomplete: true },
				{ row: 'Pailin', column: '2026-10', value: null, incomplete: false }
			],
			['Kep', 'Pailin'],
			['2026-09', '2026-10'],
			base
		);
		const cells = [...chart.querySelectorAll('g[aria-label="cell"] rect')];
		expect(cells).toHaveLength(2);
		expect(cells.map((cell) => cell.getAttribute('stroke'))).toEqual(['none', '#c2410c']);
	});
});
