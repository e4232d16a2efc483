/**
 * The demo programmes, modelled on Cambodia's social protection and employment programmes,
 * with the behaviour the generator simulates for each: who applies, how often it is
 * approved, how long people stay, and what a monthly benefit looks like.
 */
import type { Rng } from './random';

/** Programme kind (domain.md §3). */
export type ProgrammeKind =
	'social_assistance' | 'social_insurance' | 'employment' | 'social_service';

/** Benefit kind (domain.md §3). */
export type BenefitKind = 'cash' | 'in_kind' | 'service';

/** A programme as published in programmes.csv, plus how the generator simulates it. */
export interface ProgrammeSpec {
	code: string;
	nameEn: string;
	nameKm: string;
	ministry: string;
	kind: ProgrammeKind;
	unit: 'household' | 'person';
	/** Eligibility rule in the §4 grammar. */
	target: string;
	lifeCycle: 'children' | 'working_age' | 'older_persons' | 'all';
	/** First day applications are taken (`YYYY-MM-DD`). */
	launch: string;
	/** Share of eligible units that apply (before the commune's own factor). */
	applyRate: number;
	/** Chance that a unit never eligible while registered applies anyway. */
	ineligibleApplyRate: number;
	/** Share of eligible applications approved (the rest rejected or withdrawn). */
	approvalRate: number;
	/** Monthly chance an enrolled unit leaves for reasons other than losing eligibility. */
	monthlyDropout: number;
	/** A fixed course length in days [min, max], for time-bound programmes. */
	durationDays?: [number, number];
	benefitKind: BenefitKind;
	/** Share of active months with a benefit delivered (before the area's factor). */
	takeUp: number;
	/** Calendar months (1–12) in which benefits are paid; all when absent. */
	months?: readonly number[];
	/** Amount of one monthly benefit in riel, given the unit's age (person programmes). */
	amount: (rng: Rng, age: number | null) => number;
}

const round = (x: number, step: number) => Math.max(step, Math.round(x / step) * step);

/** The programmes, in programmes.csv order. */
export const PROGRAMMES: readonly ProgrammeSpec[] = [
	{
		code: 'HEF',
		nameEn: 'Health Equity Fund',
		nameKm: 'មូលនិធិសមធម៌សុខាភិបាល',
		ministry: 'Ministry of Health',
		kind: 'social_assistance',
		unit: 'household',
		target: 'idpoor',
		lifeCycle: 'all',
		launch: '2014-01-01',
		applyRate: 0.88,
		ineligibleApplyRate: 0.03,
		approvalRate: 0.93,
		monthlyDropout: 0.002,
		benefitKind: 'service',
		// A month with a benefit is a month the family used free care: not every month.
		takeUp: 0.3,
		amount: (rng) => round(60_000 * Math.exp(rng.normal(0, 0.7)), 1_000)
	},
	{
		code: 'CT-PW',
		nameEn: 'Cash transfer for poor pregnant women and children under two',
		nameKm: 'កម្មវិធីឧបត្ថម្ភសាច់ប្រាក់សម្រាប់ស្ត្រីមានផ្ទៃពោះ និងកុមារអាយុក្រោម២ឆ្នាំ',
		ministry: 'Ministry of Social Affairs, Veterans and Youth Rehabilitation',
		kind: 'social_assistance',
		unit: 'household',
		target: 'idpoor&age<2',
		lifeCycle: 'children',
		launch: '2019-07-01',
		applyRate: 0.8,
		ineligibleApplyRate: 0.01,
		approvalRate: 0.9,
		monthlyDropout: 0.005,
		// The programme covers a family's "first 1,000 days", whoever was enrolled.
		durationDays: [900, 1000],
		benefitKind: 'cash',
		takeUp: 0.82,
		amount: () => 40_000
	},
	{
		code: 'DIS',
		nameEn: 'Disability allowance',
		nameKm: 'ប្រាក់ឧបត្ថម្ភជនពិការ',
		ministry: 'Ministry of Social Affairs, Veterans and Youth Rehabilitation',
		kind: 'social_assistance',
		unit: 'person',
		target: 'idpoor&disability',
		lifeCycle: 'all',
		launch: '2016-01-01',
		applyRate: 0.72,
		ineligibleApplyRate: 0.002,
		approvalRate: 0.88,
		monthlyDropout: 0.003,
		benefitKind: 'cash',
		takeUp: 0.9,
		amount: () => 80_000
	},
	{
		code: 'OAA',
		nameEn: 'Old-age allowance',
		nameKm: 'ប្រាក់ឧបត្ថម្ភមនុស្សចាស់',
		ministry: 'Ministry of Social Affairs, Veterans and Youth Rehabilitation',
		kind: 'social_assistance',
		unit: 'person',
		target: 'age>=60&idpoor',
		lifeCycle: 'older_persons',
		launch: '2017-01-01',
		applyRate: 0.82,
		ineligibleApplyRate: 0.002,
		approvalRate: 0.92,
		// Mostly deaths.
		monthlyDropout: 0.004,
		benefitKind: 'cash',
		takeUp: 0.9,
		amount: () => 40_000
	},
	{
		code: 'SCH',
		nameEn: 'Scholarships for poor students',
		nameKm: 'អាហារូបករណ៍សម្រាប់សិស្សក្រីក្រ',
		ministry: 'Ministry of Education, Youth and Sport',
		kind: 'social_assistance',
		unit: 'person',
		target: 'idpoor&age>=6&age<18',
		lifeCycle: 'children',
		launch: '2014-06-01',
		applyRate: 0.66,
		ineligibleApplyRate: 0.002,
		approvalRate: 0.86,
		// School drop-out.
		monthlyDropout: 0.007,
		benefitKind: 'cash',
		takeUp: 0.86,
		// Paid over the school year, November to July.
		months: [11, 12, 1, 2, 3, 4, 5, 6, 7],
		amount: (_rng, age) => ((age ?? 12) < 12 ? 30_000 : 60_000)
	},
	{
		code: 'PWP',
		nameEn: 'Public works programme',
		nameKm: 'កម្មវិធីការងារសាធារណៈ',
		ministry: 'Ministry of Rural Development',
		kind: 'employment',
		unit: 'person',
		target: 'idpoor&age>=18&age<60',
		lifeCycle: 'working_age',
		launch: '2015-01-01',
		applyRate: 0.28,
		ineligibleApplyRate: 0.001,
		approvalRate: 0.8,
		monthlyDropout: 0.03,
		durationDays: [180, 540],
		benefitKind: 'cash',
		takeUp: 0.75,
		// Works run in the dry season, when farm work is slack.
		months: [12, 1, 2, 3, 4, 5],
		amount: (rng) => rng.int(5, 20) * 25_000
	},
	{
		code: 'NSSF-VHI',
		nameEn: 'NSSF voluntary health insurance',
		nameKm: 'ធានារ៉ាប់រងសុខភាពស្ម័គ្រចិត្ត ប.ស.ស.',
		ministry: 'National Social Security Fund',
		kind: 'social_insurance',
		unit: 'person',
		target: 'all',
		lifeCycle: 'all',
		launch: '2018-01-01',
		applyRate: 0.035,
		ineligibleApplyRate: 0,
		approvalRate: 0.95,
		monthlyDropout: 0.02,
		benefitKind: 'service',
		takeUp: 0.14,
		amount: (rng) => round(45_000 * Math.exp(rng.normal(0, 0.8)), 1_000)
	},
	{
		code: 'VTJ',
		nameEn: 'Vocational training and job placement',
		nameKm: 'បណ្តុះបណ្តាលវិជ្ជាជីវៈ និងការងារ',
		ministry: 'Ministry of Labour and Vocational Training',
		kind: 'employment',
		unit: 'person',
		target: 'age>=15&age<45',
		lifeCycle: 'working_age',
		launch: '2014-06-01',
		applyRate: 0.03,
		ineligibleApplyRate: 0.001,
		approvalRate: 0.75,
		monthlyDropout: 0.05,
		durationDays: [90, 180],
		benefitKind: 'in_kind',
		takeUp: 0.9,
		amount: () => 120_000
	},
	{
		code: 'FOOD',
		nameEn: 'Food support for IDPoor level 1 households',
		nameKm: 'ជំនួយស្បៀងអាហារសម្រាប់គ្រួសារក្រីក្រកម្រិត១',
		ministry: 'Ministry of Social Affairs, Veterans and Youth Rehabilitation',
		kind: 'social_assistance',
		unit: 'household',
		target: 'idpoor1',
		lifeCycle: 'all',
		launch: '2020-06-01',
		applyRate: 0.78,
		ineligibleApplyRate: 0.01,
		approvalRate: 0.9,
		monthlyDropout: 0.004,
		benefitKind: 'in_kind',
		takeUp: 0.88,
		// 25 kg of rice.
		amount: () => 62_500
	},
	{
		code: 'WEE',
		nameEn: "Women's entrepreneurship training",
		nameKm: 'បណ្តុះបណ្តាលសហគ្រិនភាពស្ត្រី',
		ministry: "Ministry of Women's Affairs",
		kind: 'employment',
		unit: 'person',
		target: 'sex=F&age>=18&age<60',
		lifeCycle: 'working_age',
		launch: '2021-01-01',
		applyRate: 0.05,
		ineligibleApplyRate: 0.0005,
		approvalRate: 0.8,
		monthlyDropout: 0.04,
		durationDays: [60, 120],
		benefitKind: 'in_kind',
		takeUp: 0.85,
		amount: () => 80_000
	}
];
