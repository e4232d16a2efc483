import { describe, expect, it } from 'vitest';
import { indicatorById } from './catalogue';
import {
	defaultThreshold,
	FINDER_INDICATORS,
	isWorseThan,
	lowCoverageCsv,
	rankWorseThan,
	trendChange,
	trendMonths,
	type CommuneValue,
	type LowCoverageLine
} from './low-coverage';

const coverage = indicatorById('registration_coverage')!;
const outsideTarget = indicatorById('inclusion_outside_target')!;
const appealsRate = indicatorById('appeals_rate')!;
const processingDays = indicatorById('processing_days_median')!;

/** A commune row as the indicator API lists it: a rate's value is numerator / denominator. */
function commune(code: string, numerator: number, denominator: number): CommuneValue {
	return {
		code,
		name_en: `Commune ${code}`,
		name_km: `ឃុំ ${code}`,
		numerator,
		denominator,
		value: denominator > 0 ? numerator / denominator : null
	};
}

const codesAndRanks = (ranking: ReturnType<typeof rankWorseThan>) =>
	ranking.ranked.map(({ rank, commune }) => [rank, commune.code]);

describe('FINDER_INDICATORS', () => {
	it('holds the public rates and medians, no counts and nothing internal', () => {
		expect(FINDER_INDICATORS.map((i) => i.id)).toEqual([
			'registration_coverage',
			'commune_office_coverage',
			'enrolment_coverage',
			'take_up',
			'effective_coverage',
			'inclusion_outside_target',
			'combined_package',
			'approval_rate',
			'processing_days_median',
			'appeals_rate',
			'appeals_resolved_rate',
			'appeal_days_median'
		]);
	});

	it('offers a default threshold in each display unit and direction', () => {
		expect(defaultThreshold(coverage)).toBe(80);
		expect(defaultThreshold(outsideTarget)).toBe(20);
		expect(defaultThreshold(appealsRate)).toBe(10);
		expect(defaultThreshold(processingDays)).toBe(30);
	});
});

describe('isWorseThan', () => {
	it('reads the threshold in display units: 80 means 80 % for a stored fraction', () => {
		expect(isWorseThan(3 / 4, 80, coverage)).toBe(true); // 75 % < 80 %
		expect(isWorseThan(5 / 6, 80, coverage)).toBe(false); // 83.3 % ≥ 80 %
		// Exactly on the threshold meets it: 4/5 and 80/100 are the same double, 0.8.
		expect(isWorseThan(4 / 5, 80, coverage)).toBe(false);
		// 57/100 * 100 is 56.99999999999999 in floating point; 57 % still meets 57 %.
		expect(isWorseThan(57 / 100, 57, coverage)).toBe(false);
		expect(isWorseThan(56 / 100, 57, coverage)).toBe(true);
	});

	it('turns "below" into "above" when higher is worse', () => {
		expect(isWorseThan(0.25, 20, outsideTarget)).toBe(true); // 25 % > 20 %
		expect(isWorseThan(0.2, 20, outsideTarget)).toBe(false);
		expect(isWorseThan(0.1, 20, outsideTarget)).toBe(false);
	});

	it('compares rates per 1,000 and days as stored (already in display units)', () => {
		expect(isWorseThan(12.5, 10, appealsRate)).toBe(true);
		expect(isWorseThan(10, 10, appealsRate)).toBe(false);
		expect(isWorseThan(31, 30, processingDays)).toBe(true);
		expect(isWorseThan(29.5, 30, processingDays)).toBe(false);
	});
});

describe('rankWorseThan', () => {
	it('lists the communes below the threshold, worst first, and counts those compared', () => {
		const rows = [
			commune('170101', 9, 10), // 90 %: meets 80 %
			commune('170102', 1, 4), // 25 %
			commune('170103', 7, 10), // 70 %
			commune('170104', 4, 5), // 80 %: meets 80 %
			commune('170105', 1, 2) // 50 %
		];
		const ranking = rankWorseThan(rows, coverage, 80);
		expect(codesAndRanks(ranking)).toEqual([
			[1, '170102'],
			[2, '170105'],
			[3, '170103']
		]);
		expect(ranking.compared).toBe(5);
		expect(ranking.withoutValue).toEqual([]);
	});

	it('leaves communes with a zero denominator out of the ranking, with the reason', () => {
		const rows = [commune('170102', 0, 0), commune('170101', 0, 7), commune('170103', 3, 0)];
		const ranking = rankWorseThan(rows, coverage, 80);
		// 0 of 7 households is 0 %, the worst there is; 0 of 0 is no value at all.
		expect(codesAndRanks(ranking)).toEqual([[1, '170101']]);
		expect(ranking.compared).toBe(1);
		expect(ranking.withoutValue.map((w) => [w.commune.code, w.reason])).toEqual([
			['170102', 'zero_denominator'],
			['170103', 'zero_denominator']
		]);
	});

	it('says "no records" for a median over nothing (medians have no denominator)', () => {
		const rows: CommuneValue[] = [
			{ code: '170101', name_en: 'A', name_km: 'ក', numerator: 0, denominator: null, value: null },
			{ code: '170102', name_en: 'B', name_km: 'ខ', numerator: 4, denominator: null, value: 45 },
			{ code: '170103', name_en: 'C', name_km: 'គ', numerator: 2, denominator: null, value: 30 }
		];
		const ranking = rankWorseThan(rows, processingDays, 30);
		// Higher is worse: 45 days is above 30; exactly 30 days meets the threshold.
		expect(codesAndRanks(ranking)).toEqual([[1, '170102']]);
		expect(ranking.withoutValue.map((w) => [w.commune.code, w.reason])).toEqual([
			['170101', 'no_records']
		]);
	});

	it('leaves suppressed communes out of the ranking as suppressed, whatever their denominator', () => {
		const hidden = { numerator: null, denominator: null, value: null, suppressed: true };
		const rows: CommuneValue[] = [
			{ code: '170101', name_en: 'A', name_km: 'ក', ...hidden },
			commune('170102', 1, 10),
			commune('170103', 0, 0)
		];
		const ranking = rankWorseThan(rows, coverage, 80);
		expect(codesAndRanks(ranking)).toEqual([[1, '170102']]);
		expect(ranking.withoutValue.map((w) => [w.commune.code, w.reason])).toEqual([
			['170101', 'suppressed'],
			['170103', 'zero_denominator']
		]);
	});

	it('ranks the highest first when higher is worse', () => {
		const rows = [
			commune('170101', 1, 10), // 10 %: meets 20 %
			commune('170102', 3, 10), // 30 %
			commune('170103', 1, 2), // 50 %
			commune('170104', 1, 4) // 25 %
		];
		expect(codesAndRanks(rankWorseThan(rows, outsideTarget, 20))).toEqual([
			[1, '170103'],
			[2, '170102'],
			[3, '170104']
		]);
	});

	it('gives equal values one rank, the larger denominator listed first, then by code', () => {
		const rows = [
			commune('170101', 1, 2), // 50 %
			commune('170102', 1, 4), // 25 %
			commune('170103', 5, 10), // 50 %, ten households behind it
			commune('170104', 3, 6), // 50 %
			commune('170105', 3, 5) // 60 %
		];
		expect(codesAndRanks(rankWorseThan(rows, coverage, 80))).toEqual([
			[1, '170102'],
			[2, '170103'],
			[2, '170104'],
			[2, '170101'],
			[5, '170105']
		]);
	});

	it('lists nothing when every commune meets the threshold', () => {
		const ranking = rankWorseThan([commune('170101', 9, 10)], coverage, 80);
		expect(ranking.ranked).toEqual([]);
		expect(ranking.compared).toBe(1);
	});
});

describe('trendChange and trendMonths', () => {
	it('is the last valued month minus the first, in percentage points', () => {
		const change = trendChange(
			[
				{ period: '2025-01', value: null },
				{ period: '2025-02', value: 0.5 },
				{ period: '2025-03', value: 0.6 },
				{ period: '2025-04', value: 0.75 },
				{ period: '2025-05', value: null }
			],
			'%'
		);
		expect(change?.from).toBe('2025-02');
		expect(change?.to).toBe('2025-04');
		expect(change?.change).toBeCloseTo(25, 10);
	});

	it('is null with fewer than two valued months', () => {
		expect(trendChange([{ period: '2025-01', value: 0.5 }], '%')).toBeNull();
		expect(trendChange([], '%')).toBeNull();
	});

	it('keeps the last twelve computed months up to the period', () => {
		const months = Array.from({ length: 15 }, (_, i) => {
			const index = 2025 * 12 + i;
			return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
		});
		expect(trendMonths(months, '2026-02')).toEqual([
			'2025-03',
			'2025-04',
			'2025-05',
			'2025-06',
			'2025-07',
			'2025-08',
			'2025-09',
			'2025-10',
			'2025-11',
			'2025-12',
			'2026-01',
			'2026-02'
		]);
		expect(trendMonths(months, '2025-02', 12)).toEqual(['2025-01', '2025-02']);
	});
});

describe('lowCoverageCsv', () => {
	it('writes percentages rounded to 4 decimals, each month, and the change in points', () => {
		const line: LowCoverageLine = {
			rank: 1,
			commune: {
				code: '170101',
				name_en: 'Chi Kraeng',
				name_km: 'ជីក្រែង',
				numerator: 2,
				denominator: 3,
				value: 2 / 3
			},
			district: { code: '1701', name_en: 'Angkor Chum', name_km: 'អង្គរជុំ' },
			trend: [
				{ period: '2025-01', value: 0.5 },
				{ period: '2025-02', value: null },
				{ period: '2025-03', value: 2 / 3 }
			]
		};
		const csv = lowCoverageCsv([line], '%', ['2025-01', '2025-02', '2025-03']);
		expect(csv.header).toEqual([
			'rank',
			'commune_code',
			'commune_en',
			'commune_km',
			'district_code',
			'district_en',
			'district_km',
			'numerator',
			'denominator',
			'value_percent',
			'value_percent_2025-01',
			'value_percent_2025-02',
			'value_percent_2025-03',
			'change_percent'
		]);
		// 2/3 = 66.666…% → 66.6667; change 66.6667 − 50 = 16.6667 points; no value → empty cell.
		expect(csv.rows).toEqual([
			[
				1,
				'170101',
				'Chi Kraeng',
				'ជីក្រែង',
				'1701',
				'Angkor Chum',
				'អង្គរជុំ',
				2,
				3,
				66.6667,
				50,
				null,
				66.6667,
				16.6667
			]
		]);
	});

	it('names the unit of rates per 1,000 and leaves the change empty without a trend', () => {
		const line: LowCoverageLine = {
			rank: 1,
			commune: {
				code: '170101',
				name_en: 'A',
				name_km: 'ក',
				numerator: 3,
				denominator: 200,
				value: 15
			},
			district: { code: '1701', name_en: 'D', name_km: 'ឃ' },
			trend: [{ period: '2025-03', value: 15 }]
		};
		const csv = lowCoverageCsv([line], 'per 1,000', ['2025-03']);
		expect(csv.header.slice(9)).toEqual([
			'value_per_1000',
			'value_per_1000_2025-03',
			'change_per_1000'
		]);
		expect(csv.rows[0]!.slice(9)).toEqual([15, 15, null]);
	});
});
