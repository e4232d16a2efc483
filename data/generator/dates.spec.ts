import { describe, expect, it } from 'vitest';
import {
	ageAt,
	birthdayAt,
	dayFromYmd,
	formatDay,
	formatMonth,
	monthEnd,
	monthOf,
	monthStart,
	parseDay
} from './dates';

describe('dates', () => {
	it('round-trips day numbers', () => {
		expect(dayFromYmd(1970, 1, 1)).toBe(0);
		expect(dayFromYmd(2014, 6, 1)).toBe(16222);
		expect(formatDay(16222)).toBe('2014-06-01');
		expect(formatDay(dayFromYmd(1890, 3, 15))).toBe('1890-03-15');
	});

	it('accepts only real YYYY-MM-DD dates', () => {
		expect(parseDay('2024-02-29')).toBe(dayFromYmd(2024, 2, 29));
		expect(parseDay('2023-02-29')).toBeNull();
		expect(parseDay('2023-02-30')).toBeNull();
		expect(parseDay('15/03/2024')).toBeNull();
		expect(parseDay('2024-1-05')).toBeNull();
	});

	it('counts completed years, 29 February birthdays falling on 1 March', () => {
		const birth = dayFromYmd(2000, 2, 29);
		expect(ageAt(birth, dayFromYmd(2018, 2, 28))).toBe(17);
		expect(ageAt(birth, dayFromYmd(2018, 3, 1))).toBe(18);
		expect(ageAt(birth, dayFromYmd(2020, 2, 29))).toBe(20);
		expect(birthdayAt(birth, 18)).toBe(dayFromYmd(2018, 3, 1));
		expect(birthdayAt(birth, 20)).toBe(dayFromYmd(2020, 2, 29));
		expect(ageAt(birth, dayFromYmd(1999, 1, 1))).toBe(-2);
	});

	it('handles month indexes', () => {
		const m = monthOf(dayFromYmd(2026, 11, 25));
		expect(formatMonth(m)).toBe('2026-11');
		expect(formatMonth(m - 1)).toBe('2026-10');
		expect(formatMonth(m + 2)).toBe('2027-01');
		expect(formatDay(monthStart(m))).toBe('2026-11-01');
		expect(formatDay(monthEnd(m - 9))).toBe('2026-02-28');
	});
});
