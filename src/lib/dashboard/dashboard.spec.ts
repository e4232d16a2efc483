import { describe, expect, it } from 'vitest';
import { barShares, rankAmong, unitFunnels } from './funnels';
import { childView, parseView, viewSearch, ViewError } from './view';

describe('parseView and viewSearch', () => {
	it('reads every choice and writes it back unchanged', () => {
		const search =
			'level=commune&code=1701&indicator=enrolment_coverage&programme=CCT&period=2025-Q2&by=idpoor&group=1&classes=fixed&k=4&thresholds=50,80&unit=170101';
		const view = parseView(new URLSearchParams(search));
		expect(view.level).toBe('commune');
		expect(view.indicator.id).toBe('enrolment_coverage');
		expect(view.thresholds).toEqual([50, 80]);
		// URLSearchParams writes the comma as %2C, which reads back the same.
		expect(viewSearch(view)).toBe(`?${search.replace('50,80', '50%2C80')}`);
	});

	it('leaves defaults out of links', () => {
		expect(viewSearch(parseView(new URLSearchParams('')))).toBe('');
	});

	it('drills down a level, or opens a commune', () => {
		const provinces = parseView(new URLSearchParams('indicator=take_up'));
		expect(viewSearch(childView(provinces, '17'))).toBe(
			'?level=district&code=17&indicator=take_up'
		);
		const communes = parseView(new URLSearchParams('level=commune&code=1701'));
		expect(viewSearch(childView(communes, '170102'))).toBe('?level=commune&code=1701&unit=170102');
	});

	it('refuses what it cannot show, saying which parameter', () => {
		const bad = (search: string) => () => parseView(new URLSearchParams(search));
		expect(bad('level=village')).toThrow(/Unknown level "village"/);
		expect(bad('level=district&code=1')).toThrow(/2-digit code/);
		expect(bad('indicator=possible_duplicates')).toThrow(ViewError);
		expect(bad('by=sex')).toThrow(/cannot be split by "sex"/);
		expect(bad('k=12')).toThrow(/from 3 to 7/);
		expect(bad('period=2025-13')).toThrow(/Unknown period/);
	});

	it('starts fixed classes of a rate at a target of 80 %', () => {
		expect(parseView(new URLSearchParams('classes=fixed')).thresholds).toEqual([80]);
		expect(
			parseView(new URLSearchParams('classes=fixed&indicator=offices_open')).thresholds
		).toEqual([]);
	});

	it('falls back to the first group when the group belongs to another split', () => {
		const view = parseView(new URLSearchParams('indicator=take_up&by=idpoor&group=F'));
		expect(view.group).toBe('1');
	});
});

describe('unitFunnels', () => {
	it('takes each step from the numerator or denominator of its indicator', () => {
		const funnels = unitFunnels([
			{ indicator: 'registration_coverage', numerator: 400, denominator: 500 },
			{ indicator: 'eligible', numerator: 120, denominator: null },
			{ indicator: 'enrolment_coverage', numerator: 90, denominator: 120 },
			{ indicator: 'effective_coverage', numerator: 70, denominator: 120 },
			{ indicator: 'applications_received', numerator: 30, denominator: null },
			{ indicator: 'approval_rate', numerator: 18, denominator: 25 },
			{ indicator: 'appeals_rate', numerator: 6, denominator: 400 },
			{ indicator: 'appeals_resolved_rate', numerator: 3, denominator: 4 }
		]);
		expect(funnels.registration.map((s) => s.count)).toEqual([400, 120, 90, 70]);
		expect(funnels.applications.map((s) => s.count)).toEqual([30, 25, 18]);
		expect(funnels.appeals.map((s) => s.count)).toEqual([6, 4, 3]);
	});

	it('gives a suppressed figure no count (null), never 0; a missing indicator counts 0', () => {
		const hidden = { numerator: null, denominator: null, suppressed: true };
		const funnels = unitFunnels([
			{ indicator: 'registration_coverage', numerator: 40, denominator: 50, suppressed: false },
			{ indicator: 'eligible', ...hidden },
			{ indicator: 'approval_rate', ...hidden }
		]);
		expect(funnels.registration.map((s) => s.count)).toEqual([40, null, 0, 0]);
		expect(funnels.applications.map((s) => s.count)).toEqual([0, null, null]);
	});
});

describe('barShares', () => {
	it("sizes each bar by the funnel's largest count, even when it is not the first", () => {
		// 800 registered households, 7,186 eligible units over every programme, 338 enrolled,
		// 118 paid: the eligible's bar is the longest, the registered's 800/7186 of it.
		const shares = barShares([
			{ key: 'registered', count: 800 },
			{ key: 'eligible', count: 7186 },
			{ key: 'enrolled', count: 338 },
			{ key: 'received', count: 118 }
		]);
		expect(shares).toEqual([800 / 7186, 1, 338 / 7186, 118 / 7186]);
	});

	it('gives a suppressed step and an empty funnel no bar', () => {
		expect(
			barShares([
				{ key: 'applications_received', count: 12 },
				{ key: 'decided', count: null },
				{ key: 'approved', count: 3 }
			])
		).toEqual([1, 0, 0.25]);
		expect(
			barShares([
				{ key: 'appeals_lodged', count: 0 },
				{ key: 'appeals_closed', count: 0 }
			])
		).toEqual([0, 0]);
	});
});

describe('rankAmong', () => {
	const siblings = [
		{ code: 'a', value: 0.5 },
		{ code: 'b', value: 0.9 },
		{ code: 'c', value: null },
		{ code: 'd', value: 0.5 },
		{ code: 'e', value: 0.1 }
	];

	it('ranks best first, ties sharing a rank, units without value left out', () => {
		expect(rankAmong('b', siblings, true)).toEqual({ rank: 1, count: 4 });
		expect(rankAmong('d', siblings, true)).toEqual({ rank: 2, count: 4 });
		expect(rankAmong('e', siblings, true)).toEqual({ rank: 4, count: 4 });
		expect(rankAmong('e', siblings, false)).toEqual({ rank: 1, count: 4 });
		expect(rankAmong('c', siblings, true)).toBeNull();
	});
});
