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

	it('lists yearly periods and the last complete months', () => {
		expect(refreshPeriods('2026-03-10', 2024, 3).map((p) => p.label)).toEqual([
			'2024',
			'2025',
			'2026',
			'2025-12',
			'2026-01',
			'2026-02'
		]);
	});
});
