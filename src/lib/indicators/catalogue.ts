/**
 * The indicator catalogue (`shared/domain.md` §5): every indicator's definition, shared by
 * the server (computation, API) and the browser (legends, definitions page). The server's
 * `COMPUTED_INDICATORS` lists what the engine computes; a test keeps the two lists equal.
 */

/** Geographic levels, from the nation down to the village. */
export const LEVELS = ['national', 'province', 'district', 'commune', 'village'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * One unit's value of an indicator for a period, as `GET /api/indicators/{id}` returns it.
 * `value` is null when the denominator is zero or missing, never 0.
 */
export interface IndicatorRow {
	code: string;
	name_en: string;
	name_km: string;
	period: string;
	/** The programme code, or null for all programmes together. */
	programme: string | null;
	/** The group value (`F`, `children`, `yes`, `none`…) when disaggregated, else null. */
	group: string | null;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	/**
	 * Withheld by disclosure control (public figures, domain.md §6): numerator, denominator
	 * and value are null, never 0. Always false for unsuppressed figures.
	 */
	suppressed: boolean;
}

/** One point of an indicator's series for a unit (`/api/indicators/{id}/series`). */
export interface SeriesPoint {
	code: string;
	period: string;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	/** Withheld by disclosure control (public figures): numerator, denominator, value null. */
	suppressed: boolean;
}

/** The columns of indicator rows as CSV, in order (the API's `format=csv`, the map's export). */
export const INDICATOR_ROW_COLUMNS = [
	'code',
	'name_en',
	'name_km',
	'period',
	'programme',
	'group',
	'numerator',
	'denominator',
	'value',
	'suppressed'
] as const satisfies readonly (keyof IndicatorRow)[];

/** The groups a person-level indicator can be split by (§5). */
export const DISAGGREGATIONS = ['sex', 'life_cycle', 'disability', 'idpoor'] as const;
export type Disaggregation = (typeof DISAGGREGATIONS)[number];

/** The values of each disaggregation, in display order. */
export const GROUP_VALUES: Record<Disaggregation, readonly string[]> = {
	sex: ['F', 'M'],
	life_cycle: ['children', 'working_age', 'older_persons'],
	disability: ['yes', 'no'],
	idpoor: ['1', '2', 'none']
};

/** Disaggregations that need a person (a person programme): all but the IDPoor level. */
export const PERSON_ONLY_GROUPS: readonly Disaggregation[] = ['sex', 'life_cycle', 'disability'];

/** One indicator of the catalogue (`shared/domain.md` §5). */
export interface IndicatorDefinition {
	id: string;
	name: { en: string; km: string };
	definition: string;
	numerator: string;
	/** Null for counts and medians. */
	denominator: string | null;
	unit: '%' | 'per 1,000' | 'days' | 'count';
	/** Whether a higher value is better (colour scales and rankings follow this). */
	direction: 'higher_is_better' | 'higher_is_worse';
	/** Stock indicators are measured at the period's last day, flows during the period. */
	timing: 'stock' | 'flow';
	/** Whether the indicator is computed per programme (and for all programmes together). */
	perProgramme: boolean;
	disaggregations: readonly Disaggregation[];
	/** Internal indicators are never published (§5: possible duplicates). */
	internal: boolean;
	/** The lowest level with values, when above the village (offices sit at communes and up). */
	lowestLevel?: Level;
}

const PERSON_GROUPS = DISAGGREGATIONS;
const HOUSEHOLD_GROUPS = ['idpoor'] as const;

/** The whole catalogue of §5, in its order. */
export const CATALOGUE: readonly IndicatorDefinition[] = [
	{
		id: 'registration_coverage',
		name: { en: 'Registration coverage', km: 'អត្រាចុះឈ្មោះក្នុងបញ្ជី' },
		definition:
			'Households in the single registry as a share of the households in the population (latest population year not after the period), at the end of the period.',
		numerator: 'households registered on or before the last day of the period',
		denominator: 'households in the population (latest year not after the period)',
		unit: '%',
		direction: 'higher_is_better',
		timing: 'stock',
		perProgramme: false,
		disaggregations: [],
		internal: false
	},
	{
		id: 'offices_open',
		name: { en: 'Offices open', km: 'ការិយាល័យដែលកំពុងបើក' },
		definition: 'SSDM offices (front and back) open at the end of the period.',
		numerator: 'offices opened on or before the period end and not closed by then',
		denominator: null,
		unit: 'count',
		direction: 'higher_is_better',
		timing: 'stock',
		perProgramme: false,
		disaggregations: [],
		internal: false,
		lowestLevel: 'commune'
	},
	{
		id: 'commune_office_coverage',
		name: { en: 'Communes with a front office', km: 'ឃុំ/សង្កាត់ដែលមានការិយាល័យជួរមុខ' },
		definition: 'Share of communes with an open commune front office at the end of the period.',
		numerator: 'communes with an open commune_front office at period end',
		denominator: 'communes',
		unit: '%',
		direction: 'higher_is_better',
		timing: 'stock',
		perProgramme: false,
		disaggregations: [],
		internal: false,
		lowestLevel: 'commune'
	},
	{
		id: 'eligible',
		name: { en: 'Eligible units', km: 'ចំនួនអ្នកមានសិទ្ធិ' },
		definition:
			"Registered households or persons meeting the programme's target at the end of the period.",
		numerator: "registered units meeting the programme's target",
		denominator: null,
		unit: 'count',
		direction: 'higher_is_better',
		timing: 'stock',
		perProgramme: true,
		disaggregations: PERSON_GROUPS,
		internal: false
	},
	{
		id: 'enrolment_coverage',
		name: { en: 'Enrolment coverage', km: 'អត្រាចុះឈ្មោះចូលកម្មវិធី' },
		definition: 'Share of eligible units enrolled in the programme at the end of the period.',
		numerator: 'eligible units enrolled at period end',
		denominator: 'eligible units',
		unit: '%',
		direction: 'higher_is_better',
		timing: 'stock',
		perProgramme: true,
		disaggregations: PERSON_GROUPS,
		internal: false
	},
	{
		id: 'take_up',
		name: { en: 'Take-up', km: 'អត្រាទទួលអត្ថប្រយោជន៍' },
		definition:
			'Share of the units enrolled at any time during the period that received at least one benefit delivered in the period.',
		numerator: 'units enrolled during the period with a benefit delivered in the period',
		denominator: 'units enrolled for at least one day of the period',
		unit: '%',
		direction: 'higher_is_better',
		timing: 'flow',
		perProgramme: true,
		disaggregations: PERSON_GROUPS,
		internal: false
	},
	{
		id: 'effective_coverage',
		name: { en: 'Effective coverage', km: 'គម្របជាក់ស្តែង' },
		definition:
			'Share of the units eligible at the end of the period that received a benefit delivered in the period.',
		numerator: 'eligible units with a benefit delivered in the period',
		denominator: 'units eligible at period end',
		unit: '%',
		direction: 'higher_is_better',
		timing: 'flow',
		perProgramme: true,
		disaggregations: PERSON_GROUPS,
		internal: false
	},
	{
		id: 'inclusion_outside_target',
		name: { en: 'Enrolled outside target', km: 'ការចុះឈ្មោះក្រៅក្រុមគោលដៅ' },
		definition:
			"Share of the units enrolled at the end of the period that do not meet the programme's target then.",
		numerator: 'units enrolled at period end not meeting the target',
		denominator: 'units enrolled at period end',
		unit: '%',
		direction: 'higher_is_worse',
		timing: 'stock',
		perProgramme: true,
		disaggregations: PERSON_GROUPS,
		internal: false
	},
	{
		id: 'combined_package',
		name: { en: 'Combined packages', km: 'កញ្ចប់អត្ថប្រយោជន៍រួម' },
		definition:
			'Share of the households enrolled at the end of the period (themselves or a member) that are enrolled in two or more programmes.',
		numerator: 'households enrolled in two or more programmes at period end',
		denominator: 'households enrolled in at least one programme at period end',
		unit: '%',
		direction: 'higher_is_better',
		timing: 'stock',
		perProgramme: false,
		disaggregations: HOUSEHOLD_GROUPS,
		internal: false
	},
	{
		id: 'applications_received',
		name: { en: 'Applications received', km: 'ពាក្យស្នើសុំដែលបានទទួល' },
		definition: 'Applications lodged during the period.',
		numerator: 'applications with applied_on in the period',
		denominator: null,
		unit: 'count',
		direction: 'higher_is_better',
		timing: 'flow',
		perProgramme: true,
		disaggregations: HOUSEHOLD_GROUPS,
		internal: false
	},
	{
		id: 'approval_rate',
		name: { en: 'Approval rate', km: 'អត្រាអនុម័ត' },
		definition:
			'Share of the applications decided (approved or rejected) in the period that were approved.',
		numerator: 'applications approved, decided in the period',
		denominator: 'applications approved or rejected in the period',
		unit: '%',
		direction: 'higher_is_better',
		timing: 'flow',
		perProgramme: true,
		disaggregations: HOUSEHOLD_GROUPS,
		internal: false
	},
	{
		id: 'processing_days_median',
		name: { en: 'Processing time', km: 'រយៈពេលដំណើរការពាក្យស្នើសុំ' },
		definition:
			'Median days from application to decision, for applications decided in the period (computed from the records at every level).',
		numerator: 'median of decided_on − applied_on in days',
		denominator: null,
		unit: 'days',
		direction: 'higher_is_worse',
		timing: 'flow',
		perProgramme: true,
		disaggregations: HOUSEHOLD_GROUPS,
		internal: false
	},
	{
		id: 'applications_backlog',
		name: { en: 'Application backlog', km: 'ពាក្យស្នើសុំដែលនៅកកស្ទះ' },
		definition: 'Pending applications older than 30 days at the end of the period.',
		numerator: 'applications pending at period end, applied more than 30 days before it',
		denominator: null,
		unit: 'count',
		direction: 'higher_is_worse',
		timing: 'stock',
		perProgramme: true,
		disaggregations: HOUSEHOLD_GROUPS,
		internal: false
	},
	{
		id: 'appeals_rate',
		name: { en: 'Appeals per 1,000 households', km: 'បណ្តឹងតវ៉ាក្នុង ១០០០ គ្រួសារ' },
		definition: 'Appeals lodged in the period per 1,000 registered households.',
		numerator: 'appeals lodged in the period',
		denominator: 'registered households (per 1,000)',
		unit: 'per 1,000',
		direction: 'higher_is_worse',
		timing: 'flow',
		perProgramme: false,
		disaggregations: [],
		internal: false
	},
	{
		id: 'appeals_resolved_rate',
		name: { en: 'Appeals resolved', km: 'បណ្តឹងតវ៉ាដែលបានដោះស្រាយ' },
		definition: 'Share of appeals closed in the period that were resolved (not rejected).',
		numerator: 'appeals resolved in the period',
		denominator: 'appeals closed (resolved + rejected) in the period',
		unit: '%',
		direction: 'higher_is_better',
		timing: 'flow',
		perProgramme: false,
		disaggregations: [],
		internal: false
	},
	{
		id: 'appeal_days_median',
		name: { en: 'Appeal resolution time', km: 'រយៈពេលដោះស្រាយបណ្តឹងតវ៉ា' },
		definition:
			'Median days from lodging to resolved_on, for appeals closed (resolved or rejected) in the period (computed from the records at every level).',
		numerator: 'median of resolved_on − lodged_on in days',
		denominator: null,
		unit: 'days',
		direction: 'higher_is_worse',
		timing: 'flow',
		perProgramme: false,
		disaggregations: [],
		internal: false
	},
	{
		id: 'appeals_overdue',
		name: { en: 'Overdue appeals', km: 'បណ្តឹងតវ៉ាហួសពេលកំណត់' },
		definition: 'Appeals still open more than 30 days after lodging, at the end of the period.',
		numerator: 'appeals open at period end, lodged more than 30 days before it',
		denominator: null,
		unit: 'count',
		direction: 'higher_is_worse',
		timing: 'stock',
		perProgramme: false,
		disaggregations: [],
		internal: false
	},
	{
		id: 'possible_duplicates',
		name: { en: 'Possible duplicates', km: 'ករណីអាចស្ទួនគ្នា' },
		definition:
			'Registry persons flagged as possible duplicates: the same national ID, or the same normalised name, birth date and sex, in another household.',
		numerator: 'persons flagged as possible duplicates',
		denominator: null,
		unit: 'count',
		direction: 'higher_is_worse',
		timing: 'stock',
		perProgramme: false,
		disaggregations: [],
		internal: true
	}
];

/** Looks an indicator up by id. */
export function indicatorById(id: string): IndicatorDefinition | undefined {
	return CATALOGUE.find((indicator) => indicator.id === id);
}
