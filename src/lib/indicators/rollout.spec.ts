import { describe, expect, it } from 'vitest';
import {
	endOfPeriodSeries,
	openingYearClasses,
	openingYearsByProvince,
	type StockPoint
} from './rollout';

const point = (period: string, numerator: number): StockPoint => ({
	period,
	numerator,
	denominator: 10,
	value: numerator / 10
});

describe('endOfPeriodSeries', () => {
	it('puts each year before the first month at its December, then the months', () => {
		const series = endOfPeriodSeries(
			[point('2025', 9), point('2014', 1), point('2024', 7), point('2015', 2)],
			[point('2025-01', 8), point('2024-12', 7), point('2025-02', 9)]
		);
		// 2024's December is a month of the list (the month is kept); 2025 has not ended.
		expect(series).toEqual([
			point('2014-12', 1),
			point('2015-12', 2),
			point('2024-12', 7),
			point('2025-01', 8),
			point('2025-02', 9)
		]);
	});

	it('keeps every year when there are no months', () => {
		expect(endOfPeriodSeries([point('2016', 3)], [])).toEqual([point('2016-12', 3)]);
	});
});

describe('openingYearClasses and openingYearsByProvince', () => {
	const years = {
		'010201': 2016,
		'010202': 2016,
		'170101': 2014,
		'170102': null,
		'170201': 2015
	};

	it('gives every year from the first to the last a class, darkest first, then "no office"', () => {
		expect(openingYearClasses(years, '#e3e6ea')).toEqual([
			// YlGnBu sampled at 1, 0.6 and 0.2: its darkest colour (#081d58) for the earliest year.
			{ year: 2014, count: 1, colour: 'rgb(8, 29, 88)' },
			{ year: 2015, count: 1, colour: 'rgb(40, 151, 191)' },
			{ year: 2016, count: 2, colour: 'rgb(213, 238, 179)' },
			{ year: null, count: 1, colour: '#e3e6ea' }
		]);
		// A gap year is kept with no commune.
		expect(
			openingYearClasses({ '170101': 2014, '170102': 2016 }, '#e3e6ea').map((c) => [
				c.year,
				c.count
			])
		).toEqual([
			[2014, 1],
			[2015, 0],
			[2016, 1],
			[null, 0]
		]);
	});

	it('counts the communes of each province per class, and the nation last', () => {
		const classes = openingYearClasses(years, '#e3e6ea');
		expect(openingYearsByProvince(years, classes)).toEqual([
			{ code: '01', counts: [0, 0, 2, 0], total: 2 },
			{ code: '17', counts: [1, 1, 0, 1], total: 3 },
			{ code: 'KH', counts: [1, 1, 2, 1], total: 5 }
		]);
	});
});
