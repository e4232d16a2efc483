/**
 * The contract of a published release (issue #6, domain.md §6): which files a release holds,
 * their names and URLs, and the columns of every dataset. Shared by the release job (writes
 * them), the downloads page (lists them) and the explore page (reads the Parquet in DuckDB-WASM).
 *
 * A release is a directory `<RELEASES_DIR>/<release id>/` with, for each public level, one
 * dataset in four formats, plus `datapackage.json` (Frictionless Data) and `changelog.json`.
 * Release ids sort in time order: `YYYY-MM-DD.N` (the as-of date, then a counter for that day).
 */

/** The levels published (public figures stop at communes: domain.md §6). */
export const RELEASE_LEVELS = ['national', 'province', 'district', 'commune'] as const;
export type ReleaseLevel = (typeof RELEASE_LEVELS)[number];

/** The formats of every dataset. */
export const RELEASE_FORMATS = ['csv', 'json', 'parquet', 'xlsx'] as const;
export type ReleaseFormat = (typeof RELEASE_FORMATS)[number];

/** A release id: the as-of date and the counter of that day. */
export const RELEASE_ID = /^\d{4}-\d{2}-\d{2}\.\d+$/;

/** The alias that always points at the newest release. */
export const LATEST = 'latest';

/** File name of a level's dataset in a format: `commune.parquet`. */
export function datasetFileName(level: ReleaseLevel, format: ReleaseFormat): string {
	return `${level}.${format}`;
}

/** The URL of a release file: `/releases/2026-11-25.1/commune.parquet`, or under `latest`. */
export function releaseFileUrl(release: string, fileName: string): string {
	return `/releases/${release}/${fileName}`;
}

/** One column of a dataset, as `datapackage.json` describes it (Frictionless table schema types). */
export interface ReleaseColumn {
	name: string;
	type: 'string' | 'number' | 'integer' | 'boolean';
	description: string;
}

/**
 * The columns of every dataset, in order. One row per unit, indicator, period, programme and
 * group. A suppressed cell has `suppressed` true and empty numerator, denominator and value:
 * never 0 (domain.md §6). A suppressed cell whose unit above (same indicator, period,
 * programme and group) is suppressed too may be left out: a missing row is a suppressed cell.
 * Rows are sorted by indicator, period, code, programme, group_by and group_value.
 */
export const RELEASE_COLUMNS: readonly ReleaseColumn[] = [
	{
		name: 'indicator',
		type: 'string',
		description: 'Indicator id of the catalogue (domain.md §5)'
	},
	{
		name: 'period',
		type: 'string',
		description: 'YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year)'
	},
	{ name: 'period_kind', type: 'string', description: 'month, quarter or year' },
	{ name: 'level', type: 'string', description: 'national, province, district or commune' },
	{ name: 'code', type: 'string', description: 'NCDD code of the unit (KH for the nation)' },
	{ name: 'name_en', type: 'string', description: 'Name of the unit in English' },
	{ name: 'name_km', type: 'string', description: 'Name of the unit in Khmer' },
	{
		name: 'province_code',
		type: 'string',
		description: 'Province of the unit (empty for the nation)'
	},
	{
		name: 'district_code',
		type: 'string',
		description: 'District of the unit (communes and districts)'
	},
	{
		name: 'programme',
		type: 'string',
		description:
			'Programme code; empty for all programmes together or an indicator not per programme'
	},
	{
		name: 'group_by',
		type: 'string',
		description: 'Disaggregation (sex, life_cycle, disability, idpoor); empty for everyone'
	},
	{
		name: 'group_value',
		type: 'string',
		description: 'Group of the disaggregation (F, M, children, …); empty for everyone'
	},
	{
		name: 'numerator',
		type: 'number',
		description: 'Numerator (or count, or records of a median); empty when suppressed'
	},
	{
		name: 'denominator',
		type: 'number',
		description: 'Denominator of a rate; empty for counts and medians, and when suppressed'
	},
	{
		name: 'value',
		type: 'number',
		description:
			'The indicator value (a share for %, per 1,000, days, count); empty when suppressed or the denominator is 0'
	},
	{
		name: 'suppressed',
		type: 'boolean',
		description: 'True when withheld by disclosure control (domain.md §6)'
	}
];

/** One row of a dataset. */
export interface ReleaseRow {
	indicator: string;
	period: string;
	period_kind: 'month' | 'quarter' | 'year';
	level: ReleaseLevel;
	code: string;
	name_en: string;
	name_km: string;
	province_code: string;
	district_code: string;
	programme: string;
	group_by: string;
	group_value: string;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	suppressed: boolean;
}

/**
 * The units of a release (`units.csv`): every published unit with its names and parents, so
 * a reader can list the units a dataset left out (a missing row is a suppressed cell), and
 * when the first SSDM office inside it opened. Sorted by level (nation first), then code.
 */
export const UNITS_FILE = 'units.csv';

/** The columns of `units.csv`, in order: the unit's columns of the datasets, then its office. */
export const UNIT_COLUMNS: readonly ReleaseColumn[] = [
	...RELEASE_COLUMNS.filter((column) =>
		['level', 'code', 'name_en', 'name_km', 'province_code', 'district_code'].includes(column.name)
	),
	{
		name: 'first_office_opened',
		type: 'string',
		description:
			'Date (YYYY-MM-DD) the first SSDM office inside the unit opened; empty when none has'
	}
];

/** One row of `units.csv`. */
export interface ReleaseUnitRow {
	level: ReleaseLevel;
	code: string;
	name_en: string;
	name_km: string;
	province_code: string;
	district_code: string;
	first_office_opened: string;
}

/** A programme as a release describes it (`datapackage.json`'s `programmes`). */
export interface ReleaseProgramme {
	code: string;
	name_en: string;
	name_km: string;
	/** Whether the programme enrols households or persons (person groups need persons). */
	unit: 'household' | 'person';
}

/**
 * The SSDM offices of a release (`offices.csv`): level, the unit served, and when each opened
 * and closed, for the rollout view's whole history. Sorted by opening date, then unit.
 */
export const OFFICES_FILE = 'offices.csv';

/** The columns of `offices.csv`, in order. */
export const OFFICE_COLUMNS: readonly ReleaseColumn[] = [
	{
		name: 'level',
		type: 'string',
		description: 'commune_front, district_back or province_back'
	},
	{ name: 'geo_code', type: 'string', description: 'NCDD code of the unit the office serves' },
	{ name: 'opened_on', type: 'string', description: 'Date the office opened (YYYY-MM-DD)' },
	{
		name: 'closed_on',
		type: 'string',
		description: 'Date the office closed (YYYY-MM-DD); empty while open'
	}
];
