import { describe, expect, it } from 'vitest';
import { dayFromYmd } from './dates';
import { PROGRAMMES } from './programmes';
import { Rng } from './random';
import {
	eligibleWindows,
	intersect,
	isEligible,
	parseTarget,
	TargetSyntaxError,
	union,
	type TargetHousehold,
	type TargetPerson
} from './targets';

const day = (iso: string) => {
	const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
	return dayFromYmd(y, m, d);
};

describe('parseTarget', () => {
	it('parses every term of the §4 grammar', () => {
		expect(parseTarget('idpoor&age<2')).toEqual([
			{ kind: 'idpoor' },
			{ kind: 'age_below', years: 2 }
		]);
		expect(parseTarget('idpoor1&sex=F&age>=18&disability&pregnant&all')).toEqual([
			{ kind: 'idpoor1' },
			{ kind: 'sex', sex: 'F' },
			{ kind: 'age_at_least', years: 18 },
			{ kind: 'disability' },
			{ kind: 'pregnant' },
			{ kind: 'all' }
		]);
	});

	it('rejects anything else', () => {
		for (const bad of [
			'',
			'idpoor&',
			'IDPOOR',
			'age>60',
			'age<=5',
			'sex=X',
			'idpoor & all',
			'age>='
		]) {
			expect(() => parseTarget(bad), bad).toThrow(TargetSyntaxError);
		}
	});

	it('accepts every demo programme target', () => {
		const grammar =
			/^(idpoor|idpoor1|age>=\d+|age<\d+|sex=F|sex=M|disability|pregnant|all)(&(idpoor|idpoor1|age>=\d+|age<\d+|sex=F|sex=M|disability|pregnant|all))*$/;
		expect(PROGRAMMES.length).toBeGreaterThanOrEqual(8);
		for (const p of PROGRAMMES) {
			expect(p.target).toMatch(grammar);
			expect(() => parseTarget(p.target)).not.toThrow();
		}
	});
});

describe('isEligible', () => {
	const mother: TargetPerson = { sex: 'F', birth: day('1995-04-10'), disability: false };
	const baby: TargetPerson = { sex: 'M', birth: day('2024-02-29'), disability: false };
	const grandfather: TargetPerson = { sex: 'M', birth: day('1960-12-01'), disability: true };
	const poor: TargetHousehold = { idpoorLevel: 2, members: [mother, baby, grandfather] };
	const rich: TargetHousehold = { ...poor, idpoorLevel: 0 };

	it('evaluates a household programme term by term over the members', () => {
		const ctpw = parseTarget('idpoor&age<2');
		expect(isEligible(ctpw, poor, undefined, day('2025-06-30'))).toBe(true);
		expect(isEligible(ctpw, rich, undefined, day('2025-06-30'))).toBe(false);
		// Born 29 Feb 2024: turns two on 1 March 2026 (2026 is not a leap year).
		expect(isEligible(ctpw, poor, undefined, day('2026-02-28'))).toBe(true);
		expect(isEligible(ctpw, poor, undefined, day('2026-03-01'))).toBe(false);
		// Before the baby was born nobody in the household was under two.
		expect(isEligible(ctpw, poor, undefined, day('2024-01-31'))).toBe(false);
		expect(isEligible(parseTarget('idpoor1'), poor, undefined, day('2025-01-01'))).toBe(false);
	});

	it('evaluates a person programme on the person', () => {
		const oaa = parseTarget('age>=60&idpoor');
		expect(isEligible(oaa, poor, grandfather, day('2020-11-30'))).toBe(false); // 59
		expect(isEligible(oaa, poor, grandfather, day('2020-12-01'))).toBe(true); // 60
		expect(isEligible(oaa, poor, mother, day('2026-01-01'))).toBe(false);
		expect(isEligible(parseTarget('idpoor&disability'), poor, grandfather, day('2026-01-01'))).toBe(
			true
		);
		expect(isEligible(parseTarget('sex=F&age>=18&age<60'), poor, mother, day('2026-01-01'))).toBe(
			true
		);
		expect(isEligible(parseTarget('all'), rich, baby, day('2023-01-01'))).toBe(false); // unborn
		expect(isEligible(parseTarget('pregnant'), poor, mother, day('2026-01-01'))).toBe(false);
	});

	it('gives windows that agree with the point test on every day', () => {
		const from = day('2018-01-01');
		const to = day('2027-01-01');
		const rng = new Rng('windows');
		for (const p of PROGRAMMES) {
			const terms = parseTarget(p.target);
			const units = p.unit === 'household' ? [undefined] : poor.members;
			for (const unit of units) {
				const windows = eligibleWindows(terms, poor, unit, from, to);
				for (let k = 0; k < 300; k++) {
					const d = rng.int(from, to - 1);
					const inside = windows.some(([a, b]) => d >= a && d < b);
					expect(inside, `${p.code} ${d}`).toBe(isEligible(terms, poor, unit, d));
				}
			}
		}
	});

	it('computes the exact window of a cash transfer for a child under two', () => {
		const windows = eligibleWindows(
			parseTarget('idpoor&age<2'),
			poor,
			undefined,
			day('2023-06-01'),
			day('2027-01-01')
		);
		expect(windows).toEqual([[day('2024-02-29'), day('2026-03-01')]]);
	});
});

describe('window algebra', () => {
	it('merges and intersects', () => {
		expect(
			union([
				[5, 8],
				[1, 3],
				[3, 4],
				[7, 10]
			])
		).toEqual([
			[1, 4],
			[5, 10]
		]);
		expect(
			intersect(
				[
					[1, 4],
					[5, 10]
				],
				[[3, 6]]
			)
		).toEqual([
			[3, 4],
			[5, 6]
		]);
	});
});
