/**
 * The import contract (`shared/domain.md` §3) as data: each feed's columns, their types and
 * the references a row must satisfy. The validator, the staging table and the upsert are all
 * derived from these specs, so a new column is added in one place.
 */

/** The feeds of the contract, in the order a directory is imported (dependencies first). */
export const FEED_ORDER = [
	'gazetteer',
	'population',
	'offices',
	'programmes',
	'households',
	'members',
	'applications',
	'enrolments',
	'benefits',
	'appeals'
] as const;

export type FeedName = (typeof FEED_ORDER)[number];

/** NCDD code lengths by level (§1): province 2, district 4, commune 6, village 8 digits. */
export const CODE_LENGTH = { province: 2, district: 4, commune: 6, village: 8 } as const;
export type GeoLevel = keyof typeof CODE_LENGTH;

/** How a column's text is checked and what Postgres type it is stored as. */
export type ColumnType =
	| { kind: 'text' }
	| { kind: 'geo'; level: GeoLevel | 'any' | 'office' }
	| { kind: 'date' }
	| { kind: 'month' }
	| { kind: 'int'; min?: number }
	| { kind: 'number' }
	| { kind: 'yesno' }
	| { kind: 'enum'; values: readonly string[] };

export interface ColumnSpec {
	name: string;
	type: ColumnType;
	required: boolean;
	/** Postgres type the staged text is cast to when written. */
	sqlType: 'text' | 'date' | 'integer' | 'smallint' | 'bigint' | 'boolean' | 'double precision';
}

/** A reference to another table that must exist; checked in SQL against the registry. */
export interface ReferenceSpec {
	column: string;
	table: string;
	key: string;
	/** What the referenced thing is called in messages ("household", "programme"). */
	noun: string;
}

/** A rule comparing a staged row with the registry (e.g. a person in another household). */
export interface ConsistencySpec {
	column: string;
	/** SQL condition over the staged row `s` that is TRUE when the row breaks the rule. */
	violation: string;
	error: string;
}

export interface FeedSpec {
	name: FeedName;
	/** Target table; for the gazetteer, rows fan out to geo_units (see the import runner). */
	table: string;
	/** Column(s) that identify a row; imports are upserts on this key. */
	key: readonly string[];
	columns: readonly ColumnSpec[];
	references: readonly ReferenceSpec[];
	consistency: readonly ConsistencySpec[];
	/** Pairs [later, earlier]: the later date may not precede the earlier one. */
	dateOrder: readonly (readonly [string, string])[];
	/**
	 * Target columns computed from the row in SQL (over the staged text columns) and
	 * written with it; the staging table computes them as rows arrive.
	 */
	derived?: readonly { name: string; expression: string }[];
	/**
	 * Target columns copied from another registry table when the row is written: `column` of
	 * the `table` row whose `key` equals the staged row's (the references checked it exists).
	 */
	copied?: readonly { name: string; table: string; key: string; column: string }[];
	/**
	 * Target columns an update sets from the stored row (`t`) and the staged one (`s`); a new
	 * row takes the column's default.
	 */
	updated?: readonly { name: string; expression: string }[];
}

/**
 * A member's full name folded for duplicate detection (§3 "normalised full name"): lower
 * case, each run of spaces and ASCII punctuation as one space, trimmed; NULL when empty.
 */
export const NAME_KEY_SQL = `nullif(btrim(regexp_replace(lower(full_name), '[[:space:][:punct:]]+', ' ', 'g')), '')`;

const text = (name: string, required = false): ColumnSpec => ({
	name,
	type: { kind: 'text' },
	required,
	sqlType: 'text'
});
const geo = (name: string, level: GeoLevel | 'any' | 'office', required = true): ColumnSpec => ({
	name,
	type: { kind: 'geo', level },
	required,
	sqlType: 'text'
});
const date = (name: string, required = false): ColumnSpec => ({
	name,
	type: { kind: 'date' },
	required,
	sqlType: 'date'
});
const int = (
	name: string,
	required = false,
	sqlType: ColumnSpec['sqlType'] = 'integer'
): ColumnSpec => ({ name, type: { kind: 'int', min: 0 }, required, sqlType });
const oneOf = (name: string, values: readonly string[], required = true): ColumnSpec => ({
	name,
	type: { kind: 'enum', values },
	required,
	sqlType: 'text'
});

const ref = (column: string, table: string, key: string, noun: string): ReferenceSpec => ({
	column,
	table,
	key,
	noun
});

/**
 * The household's village, which members, applications and enrolments keep (`copied`; see
 * `registry/village-moves.ts`).
 */
const HOUSEHOLD_VILLAGE = {
	name: 'village_code',
	table: 'households',
	key: 'household_id',
	column: 'village_code'
};

/** A row naming a person must name that person's own household (§3). */
const PERSON_IN_HOUSEHOLD: ConsistencySpec = {
	column: 'person_id',
	violation: `s.person_id IS NOT NULL AND EXISTS (SELECT 1 FROM members m WHERE m.person_id = s.person_id AND m.household_id <> s.household_id)`,
	error: 'the person belongs to another household'
};

/** The gazetteer's code and name columns, shared with the geo pipeline and the demo generator. */
export const GAZETTEER_COLUMNS = [
	'province_code',
	'province_en',
	'province_km',
	'district_code',
	'district_en',
	'district_km',
	'commune_code',
	'commune_en',
	'commune_km',
	'village_code',
	'village_en',
	'village_km'
] as const;

/** Every feed of §3. Column names are lower case; headers are matched case-insensitively. */
export const FEEDS: Record<FeedName, FeedSpec> = {
	gazetteer: {
		name: 'gazetteer',
		table: 'geo_units',
		key: ['village_code'],
		columns: [
			...GAZETTEER_COLUMNS.map((name) =>
				name.endsWith('_code') ? geo(name, name.slice(0, -5) as GeoLevel) : text(name)
			),
			{ name: 'lat', type: { kind: 'number' }, required: false, sqlType: 'double precision' },
			{ name: 'lon', type: { kind: 'number' }, required: false, sqlType: 'double precision' }
		],
		references: [],
		consistency: [],
		dateOrder: []
	},
	population: {
		name: 'population',
		table: 'population',
		key: ['geo_code', 'year'],
		columns: [
			geo('geo_code', 'any'),
			{ name: 'year', type: { kind: 'int', min: 1990 }, required: true, sqlType: 'smallint' },
			int('households', true),
			int('persons'),
			int('persons_female'),
			int('persons_0_17'),
			int('persons_60_plus')
		],
		references: [ref('geo_code', 'geo_units', 'code', 'geographic unit')],
		consistency: [],
		dateOrder: []
	},
	offices: {
		name: 'offices',
		table: 'offices',
		key: ['office_code'],
		columns: [
			text('office_code', true),
			oneOf('level', ['commune_front', 'district_back', 'province_back']),
			geo('geo_code', 'office'),
			date('opened_on', true),
			date('closed_on'),
			int('staff_count'),
			int('staff_trained')
		],
		references: [ref('geo_code', 'geo_units', 'code', 'geographic unit')],
		consistency: [],
		dateOrder: [['closed_on', 'opened_on']]
	},
	programmes: {
		name: 'programmes',
		table: 'programmes',
		key: ['programme_code'],
		columns: [
			text('programme_code', true),
			text('name_en', true),
			text('name_km'),
			text('ministry'),
			oneOf('kind', ['social_assistance', 'social_insurance', 'employment', 'social_service']),
			oneOf('unit', ['household', 'person']),
			text('target', true),
			oneOf('life_cycle', ['children', 'working_age', 'older_persons', 'all'], false)
		],
		references: [],
		consistency: [],
		dateOrder: []
	},
	households: {
		name: 'households',
		table: 'households',
		key: ['household_id'],
		columns: [
			text('household_id', true),
			geo('village_code', 'village'),
			date('registered_on', true),
			{ ...oneOf('idpoor_level', ['1', '2'], false), sqlType: 'smallint' },
			text('office_code')
		],
		references: [
			ref('village_code', 'geo_units', 'code', 'village'),
			ref('office_code', 'offices', 'office_code', 'office')
		],
		consistency: [],
		dateOrder: []
	},
	members: {
		name: 'members',
		table: 'members',
		key: ['person_id'],
		columns: [
			text('person_id', true),
			text('household_id', true),
			oneOf('sex', ['F', 'M']),
			date('birth_date', true),
			text('full_name'),
			text('national_id'),
			{ name: 'disability', type: { kind: 'yesno' }, required: false, sqlType: 'boolean' },
			text('relationship')
		],
		references: [ref('household_id', 'households', 'household_id', 'household')],
		consistency: [],
		dateOrder: [],
		derived: [{ name: 'name_key', expression: NAME_KEY_SQL }],
		// Whether the person ever changed household: their enrolments may name the old one.
		updated: [
			{
				name: 'moved_household',
				expression: 't.moved_household OR t.household_id <> s.household_id::text'
			}
		],
		// Kept with the member for the incremental refresh (see `members.village_code`); the
		// households import moves it with a household that moves.
		copied: [HOUSEHOLD_VILLAGE]
	},
	applications: {
		name: 'applications',
		table: 'applications',
		key: ['application_id'],
		columns: [
			text('application_id', true),
			text('programme_code', true),
			text('household_id', true),
			text('person_id'),
			text('office_code'),
			date('applied_on', true),
			oneOf('status', ['pending', 'approved', 'rejected', 'withdrawn']),
			date('decided_on')
		],
		references: [
			ref('programme_code', 'programmes', 'programme_code', 'programme'),
			ref('household_id', 'households', 'household_id', 'household'),
			ref('person_id', 'members', 'person_id', 'person'),
			ref('office_code', 'offices', 'office_code', 'office')
		],
		consistency: [PERSON_IN_HOUSEHOLD],
		dateOrder: [['decided_on', 'applied_on']],
		// Kept with the application for the incremental refresh and the medians (see
		// `applications.village_code`); the households import moves it with a household that moves.
		copied: [HOUSEHOLD_VILLAGE]
	},
	enrolments: {
		name: 'enrolments',
		table: 'enrolments',
		key: ['enrolment_id'],
		columns: [
			text('enrolment_id', true),
			text('programme_code', true),
			text('household_id', true),
			text('person_id'),
			date('enrolled_on', true),
			date('exited_on')
		],
		references: [
			ref('programme_code', 'programmes', 'programme_code', 'programme'),
			ref('household_id', 'households', 'household_id', 'household'),
			ref('person_id', 'members', 'person_id', 'person')
		],
		consistency: [PERSON_IN_HOUSEHOLD],
		dateOrder: [['exited_on', 'enrolled_on']],
		// Kept with the enrolment for the incremental refresh (see `enrolments.village_code`); the
		// households import moves it with a household that moves.
		copied: [HOUSEHOLD_VILLAGE]
	},
	benefits: {
		name: 'benefits',
		table: 'benefits',
		key: ['benefit_id'],
		columns: [
			text('benefit_id', true),
			text('enrolment_id', true),
			{ name: 'period', type: { kind: 'month' }, required: true, sqlType: 'text' },
			date('delivered_on', true),
			int('amount_khr', false, 'bigint'),
			oneOf('kind', ['cash', 'in_kind', 'service'], false)
		],
		references: [ref('enrolment_id', 'enrolments', 'enrolment_id', 'enrolment')],
		consistency: [],
		dateOrder: [],
		// Kept with the benefit for the incremental refresh (see `benefits.village_code`); the
		// households and enrolments imports move it with an enrolment that moves.
		copied: [
			{ name: 'village_code', table: 'enrolments', key: 'enrolment_id', column: 'village_code' }
		]
	},
	appeals: {
		name: 'appeals',
		table: 'appeals',
		key: ['appeal_id'],
		columns: [
			text('appeal_id', true),
			text('household_id'),
			text('programme_code'),
			geo('village_code', 'village'),
			date('lodged_on', true),
			oneOf('channel', ['village_chief', 'commune_office', 'hotline', 'other']),
			oneOf('category', ['exclusion', 'payment', 'service_quality', 'other']),
			oneOf('status', ['open', 'resolved', 'rejected', 'escalated']),
			date('resolved_on')
		],
		references: [
			ref('village_code', 'geo_units', 'code', 'village'),
			ref('household_id', 'households', 'household_id', 'household'),
			ref('programme_code', 'programmes', 'programme_code', 'programme')
		],
		consistency: [
			{
				column: 'village_code',
				violation: `s.household_id IS NOT NULL AND EXISTS (SELECT 1 FROM households h WHERE h.household_id = s.household_id AND h.village_code <> s.village_code)`,
				error: 'the household lives in another village'
			}
		],
		dateOrder: [['resolved_on', 'lodged_on']]
	}
};

/** Recognises a feed from a file name such as `members.csv` or `2025-03_members.xlsx`. */
export function feedFromFileName(fileName: string): FeedName | undefined {
	const base = fileName.toLowerCase().replace(/\.(csv|xlsx)$/, '');
	return FEED_ORDER.find(
		(feed) => base === feed || base.endsWith(`_${feed}`) || base.endsWith(`-${feed}`)
	);
}
