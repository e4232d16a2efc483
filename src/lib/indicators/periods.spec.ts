import { describe, expect, it } from 'vitest';
import { latestCompleteMonth, parsePeriod, refreshPeriods } from './periods';

describe('periods', () => {
	it('parses months, quarters and years with their last day', () => {
		expect(parsePeriod('2024-02')).toEqual({
			label: '2024-02',
			kind: 'month',
			start: '2024-02-01',
			end: '2024-02-29'
		});
		expect(parsePeriod('2025-02')?.end).toBe('2025-02-28');
		expect(parsePeriod('2025-Q4')).toEqual({
			label: '2025-Q4',
			kind: 'quarter',
			start: '2025-10-01',
			end: '2025-12-31'
		});
		expect(parsePeriod('2025')).toEqual({
			label: '2025',
			kind: 'year',
			start: '2025-01-01',
			end: '2025-12-31'
		});
		expect(parsePeriod('2025-13')).toBeUndefined();
		expect(parsePeriod('2025-Q5')).toBeUndefined();
		expect(parsePeriod('March')).toBeUndefined();
	});

	it('finds the latest complete month across a year boundary', () => {
		expect(latestCompleteMonth('2026-01-15')).toBe('2025-12');
		expect(latestCompleteMonth('2026-11-25')).toBe('2026-10');
	});

	it('lists yearly periods, the last complete months and their complete quarters', () => {
		expect(refreshPeriods('2026-03-10', 2024, 3).map((p) => p.label)).toEqual([
			'2024',
			'2025',
			'2026',
			'2025-Q4',
			'2025-12',
			'2026-01',
			'2026-02'
		]);
	});
});

describe('quarters in a refresh', () => {
	it('lists the four complete quarters of the last 12 months, not the running one', () => {
		const labels = refreshPeriods('2026-11-25', 2026).map((p) => p.label);
		expect(labels.filter((l) => l.includes('Q'))).toEqual([
			'2025-Q4',
			'2026-Q1',
			'2026-Q2',
			'2026-Q3'
		]);
		expect(labels.filter((l) => /^\d{4}-\d{2}$/.test(l))).toHaveLength(12);
		expect(labels[0]).toBe('2026');
	});
});
