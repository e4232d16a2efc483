import { describe, expect, it } from 'vitest';
import { cellState, classBreaks, classIndex, classify } from './classify';

// Ten values, worked by hand below.
const VALUES = [0.05, 0.1, 0.12, 0.3, 0.31, 0.33, 0.7, 0.72, 0.75, 0.9];

describe('classBreaks', () => {
	it('quantile: each break the first value of a group of n/k units', () => {
		// n = 10, k = 3: groups start at indices floor(10/3) = 3 → 0.3 and floor(20/3) = 6 → 0.7.
		expect(classBreaks(VALUES, 'quantile', 3)).toEqual([0.3, 0.7]);
		// k = 4: indices 2, 5, 7 → 0.12, 0.33, 0.72; never an empty class.
		expect(classBreaks(VALUES, 'quantile', 4)).toEqual([0.12, 0.33, 0.72]);
	});

	it('equal: equal widths from min to max', () => {
		// min 0.05, max 0.9, width (0.85)/5 = 0.17: 0.22, 0.39, 0.56, 0.73
		const breaks = classBreaks(VALUES, 'equal', 5);
		expect(breaks.map((b) => Number(b.toFixed(6)))).toEqual([0.22, 0.39, 0.56, 0.73]);
	});

	it('jenks: the natural groups start each class', () => {
		// Three obvious clusters: {0.05, 0.1, 0.12}, {0.3, 0.31, 0.33}, {0.7, 0.72, 0.75, 0.9}.
		expect(classBreaks(VALUES, 'jenks', 3)).toEqual([0.3, 0.7]);
	});

	it('fixed: the thresholds, sorted and without repeats', () => {
		expect(classBreaks(VALUES, 'fixed', 5, [0.8, 0.5, 0.8])).toEqual([0.5, 0.8]);
	});

	it('fewer classes when values repeat, never an empty class', () => {
		// Every quartile of 1, 1, 1, 1, 2 is 1, the minimum: one class. Natural breaks split at 2.
		expect(classBreaks([1, 1, 1, 1, 2], 'quantile', 4)).toEqual([]);
		expect(classBreaks([1, 1, 1, 1, 2], 'jenks', 4)).toEqual([2]);
		expect(classBreaks([], 'jenks', 4)).toEqual([]);
		expect(classBreaks([5], 'equal', 4)).toEqual([]);
	});
});

describe('classIndex', () => {
	it('puts a value equal to a break in the class above', () => {
		expect([0, 0.29, 0.3, 0.69, 0.7, 1].map((v) => classIndex(v, [0.3, 0.7]))).toEqual([
			0, 0, 1, 1, 2, 2
		]);
	});
});

describe('classify', () => {
	it('counts units per class and per state, and colours each state apart', () => {
		const rows = [
			...VALUES.map((value) => ({ value, denominator: 100 })),
			{ value: null, denominator: 0 },
			{ value: null, denominator: 0 },
			{ value: null, denominator: null },
			{ value: null, denominator: 10, suppressed: true }
		];
		const result = classify(rows, 'fixed', 5, 'higher_is_better', [0.8]);
		expect(result.classes.map((c) => [c.from, c.to, c.count])).toEqual([
			[null, 0.8, 9],
			[0.8, null, 1]
		]);
		expect(result.states).toEqual({ no_data: 1, zero_denominator: 2, suppressed: 1 });
		const colours = new Set([
			result.colourOf(rows[0]),
			result.colourOf(rows[9]),
			result.colourOf(rows[10]),
			result.colourOf(rows[12]),
			result.colourOf(rows[13]),
			result.colourOf(undefined)
		]);
		// two classes, zero denominator, no data (twice: no row and no records), suppressed
		expect(colours.size).toBe(5);
	});

	it('uses a different hue when higher is worse', () => {
		const rows = VALUES.map((value) => ({ value, denominator: 1 }));
		const better = classify(rows, 'quantile', 3, 'higher_is_better');
		const worse = classify(rows, 'quantile', 3, 'higher_is_worse');
		expect(better.classes.map((c) => c.colour)).not.toEqual(worse.classes.map((c) => c.colour));
		expect(better.classes.map((c) => c.count)).toEqual([3, 3, 4]);
	});
});

describe('classify without values', () => {
	it('has no class, only the states', () => {
		const result = classify([{ value: null, denominator: 0 }], 'quantile', 5, 'higher_is_better');
		expect(result.classes).toEqual([]);
		expect(result.states.zero_denominator).toBe(1);
	});
});

describe('cellState', () => {
	it('tells missing rows, zero denominators, suppressed cells and values apart', () => {
		expect(cellState(undefined)).toBe('no_data');
		expect(cellState({ value: null, denominator: 0 })).toBe('zero_denominator');
		expect(cellState({ value: null, denominator: null })).toBe('no_data');
		expect(cellState({ value: 3, denominator: 40, suppressed: true })).toBe('suppressed');
		expect(cellState({ value: 0, denominator: 40 })).toBe('value');
	});
});
