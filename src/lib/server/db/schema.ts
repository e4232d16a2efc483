/**
 * The registry schema: one table per feed of the import contract (`shared/domain.md` §3),
 * plus import bookkeeping and stored indicator values.
 *
 * Primary keys are the contract's own ids (strings), so a re-imported row finds its earlier
 * version. Geographic codes are NCDD codes kept as text: leading zeros matter (`01`).
 */
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp
} from 'drizzle-orm/pg-core';

/** Provinces, districts, communes and villages from the gazetteer, plus the nation (`KH`). */
export const geoUnits = pgTable(
	'geo_units',
	{
		code: text('code').primaryKey(),
		level: text('level', {
			enum: ['national', 'province', 'district', 'commune', 'village']
		}).notNull(),
		parentCode: text('parent_code'),
		/** The unit's own province, district and commune (itself included), for scoped queries. */
		provinceCode: text('province_code'),
		districtCode: text('district_code'),
		communeCode: text('commune_code'),
		nameEn: text('name_en').notNull(),
		nameKm: text('name_km').notNull(),
		lat: doublePrecision('lat'),
		lon: doublePrecision('lon')
	},
	(t) => [
		index('geo_units_parent_idx').on(t.parentCode),
		index('geo_units_level_idx').on(t.level),
		index('geo_units_province_idx').on(t.provinceCode),
		index('geo_units_district_idx').on(t.districtCode)
	]
);

/** Households (and optionally persons) in the population, per geographic unit and year. */
export const population = pgTable(
	'population',
	{
		geoCode: text('geo_code')
			.notNull()
			.references(() => geoUnits.code),
		year: smallint('year').notNull(),
		households: integer('households').notNull(),
		persons: integer('persons'),
		personsFemale: integer('persons_female'),
		persons0To17: integer('persons_0_17'),
		persons60Plus: integer('persons_60_plus')
	},
	(t) => [primaryKey({ columns: [t.geoCode, t.year] })]
);

/** SSDM offices: commune front offices and district/province back offices. */
export const offices = pgTable(
	'offices',
	{
		officeCode: text('office_code').primaryKey(),
		level: text('level', { enum: ['commune_front', 'district_back', 'province_back'] }).notNull(),
		geoCode: text('geo_code')
			.notNull()
			.references(() => geoUnits.code),
		openedOn: date('opened_on').notNull(),
		closedOn: date('closed_on'),
		staffCount: integer('staff_count'),
		staffTrained: integer('staff_trained')
	},
	(t) => [index('offices_geo_idx').on(t.geoCode)]
);

/** Social protection and employment programmes, with their eligibility target (§4). */
export const programmes = pgTable('programmes', {
	programmeCode: text('programme_code').primaryKey(),
	nameEn: text('name_en').notNull(),
	nameKm: text('name_km'),
	ministry: text('ministry'),
	kind: text('kind', {
		enum: ['social_assistance', 'social_insurance', 'employment', 'social_service']
	}).notNull(),
	unit: text('unit', { enum: ['household', 'person'] }).notNull(),
	target: text('target').notNull(),
	lifeCycle: text('life_cycle', { enum: ['children', 'working_age', 'older_persons', 'all'] })
});

/** Families registered once in the single registry. */
export const households = pgTable(
	'households',
	{
		householdId: text('household_id').primaryKey(),
		villageCode: text('village_code')
			.notNull()
			.references(() => geoUnits.code),
		registeredOn: date('registered_on').notNull(),
		/** 1 or 2; null = not IDPoor. */
		idpoorLevel: smallint('idpoor_level'),
		officeCode: text('office_code').references(() => offices.officeCode)
	},
	(t) => [
		// Every column an incremental refresh reads of a commune's households, so that it reads
		// them from this index alone (an index-only scan: the commune's entries lie together,
		// where its rows lie anywhere in the table), as the medians and imports look up villages.
		index('households_village_idx').on(t.villageCode, t.registeredOn, t.householdId, t.idpoorLevel),
		check('households_idpoor_check', sql`${t.idpoorLevel} in (1, 2)`)
	]
);

/**
 * Household members. Personal data: never leaves the server.
 *
 * `household_id` has no foreign key: the importer is the only writer and checks every
 * member's household against the registry and the file in SQL (`import-file.ts`), and a
 * per-row foreign-key trigger doubled the cost of importing members.
 */
export const members = pgTable(
	'members',
	{
		personId: text('person_id').primaryKey(),
		householdId: text('household_id').notNull(),
		sex: text('sex', { enum: ['F', 'M'] }).notNull(),
		birthDate: date('birth_date').notNull(),
		fullName: text('full_name'),
		nationalId: text('national_id'),
		disability: boolean('disability'),
		relationship: text('relationship'),
		/** Set at import when the person looks like another registry person (§3). */
		possibleDuplicate: boolean('possible_duplicate').notNull().default(false),
		/**
		 * The full name folded for duplicate detection (`NAME_KEY_SQL` in the import contract's
		 * feeds: lower case, each run of spaces and ASCII punctuation as one space, trimmed).
		 * Only ASCII classes are used because Postgres' character classes outside ASCII depend
		 * on the locale. Computed by the importer, the only writer of members, in its staging
		 * table while the file streams in: a generated column cost the upsert a second pass of
		 * the regular expression over every row.
		 */
		nameKey: text('name_key'),
		/**
		 * Whether the person ever changed household (set by the importer): enrolments name the
		 * person's household when imported, so only such a person's may name another one (an
		 * incremental refresh looks those up by person).
		 */
		movedHousehold: boolean('moved_household').notNull().default(false),
		/**
		 * The village of the person's household (`households.village_code`), kept by the importer,
		 * the only writer, as `enrolments.village_code` is: set from the household when a member
		 * is written, and again for the members of households that move (see
		 * `registry/village-moves.ts`). It puts a commune's members together in `members_village_idx`.
		 */
		villageCode: text('village_code').notNull()
	},
	(t) => [
		// Partial: duplicate detection only ever looks up present keys (`=` never matches NULL).
		index('members_national_id_idx')
			.on(t.nationalId)
			.where(sql`${t.nationalId} IS NOT NULL`),
		index('members_name_key_idx')
			.on(t.nameKey, t.birthDate, t.sex)
			.where(sql`${t.nameKey} IS NOT NULL`),
		// The flagged few, for the possible-duplicates indicator (every refresh reads them all).
		index('members_possible_duplicate_idx')
			.on(t.householdId)
			.where(sql`${t.possibleDuplicate}`),
		// An incremental refresh reads a commune's members, every column it needs, from this index
		// alone (an index-only scan: the commune's entries lie together, where its households'
		// members lie anywhere in the table); a household that moves finds its members here by
		// its old village and id. It replaced the index by household alone (migration 0015): a
		// members import writes as many indexes as before.
		index('members_village_idx').on(
			t.villageCode,
			t.householdId,
			t.personId,
			t.sex,
			t.birthDate,
			t.disability,
			t.possibleDuplicate,
			t.movedHousehold
		)
	]
);

/** Applications to programmes. */
export const applications = pgTable(
	'applications',
	{
		applicationId: text('application_id').primaryKey(),
		programmeCode: text('programme_code')
			.notNull()
			.references(() => programmes.programmeCode),
		householdId: text('household_id')
			.notNull()
			.references(() => households.householdId),
		personId: text('person_id').references(() => members.personId),
		officeCode: text('office_code').references(() => offices.officeCode),
		appliedOn: date('applied_on').notNull(),
		status: text('status', { enum: ['pending', 'approved', 'rejected', 'withdrawn'] }).notNull(),
		decidedOn: date('decided_on'),
		/**
		 * The village of the application's household (`households.village_code`), kept by the
		 * importer, the only writer, as `enrolments.village_code` is (see
		 * `registry/village-moves.ts`). It puts a commune's (or a district's) applications
		 * together in `applications_village_idx`.
		 */
		villageCode: text('village_code').notNull()
	},
	(t) => [
		// An incremental refresh reads a commune's applications, and the medians a district's,
		// every column they need, from one range of this index (where by their households' ids
		// they lay anywhere). It replaced the index by household (migration 0017); a household
		// that moves finds its applications here by its old village and id.
		index('applications_village_idx').on(
			t.villageCode,
			t.householdId,
			t.programmeCode,
			t.status,
			t.appliedOn,
			t.decidedOn
		),
		index('applications_programme_idx').on(t.programmeCode, t.appliedOn)
	]
);

/** Enrolments of households or persons in programmes. */
export const enrolments = pgTable(
	'enrolments',
	{
		enrolmentId: text('enrolment_id').primaryKey(),
		programmeCode: text('programme_code')
			.notNull()
			.references(() => programmes.programmeCode),
		householdId: text('household_id')
			.notNull()
			.references(() => households.householdId),
		personId: text('person_id').references(() => members.personId),
		enrolledOn: date('enrolled_on').notNull(),
		exitedOn: date('exited_on'),
		/**
		 * The village of the enrolment's household (`households.village_code`), kept by the
		 * importer, the only writer: set from the household when an enrolment is written, and
		 * again for the enrolments of households that move (see `registry/village-moves.ts`). It
		 * puts a commune's enrolments together in `enrolments_village_idx`.
		 */
		villageCode: text('village_code').notNull()
	},
	(t) => [
		index('enrolments_household_idx').on(t.householdId),
		// An incremental refresh reads a commune's enrolments, every column, from this index alone
		// (at national scale a large commune's 14,000 in 0.03 s, against 0.3–0.8 s through its
		// households' and persons' scattered ids).
		index('enrolments_village_idx').on(
			t.villageCode,
			t.enrolmentId,
			t.programmeCode,
			t.householdId,
			t.personId,
			t.enrolledOn,
			t.exitedOn
		),
		index('enrolments_person_idx')
			.on(t.personId)
			.where(sql`${t.personId} IS NOT NULL`),
		index('enrolments_programme_idx').on(t.programmeCode, t.enrolledOn)
	]
);

/** Benefits delivered to an enrolment, one row per period. */
export const benefits = pgTable(
	'benefits',
	{
		benefitId: text('benefit_id').primaryKey(),
		enrolmentId: text('enrolment_id')
			.notNull()
			.references(() => enrolments.enrolmentId),
		/** `YYYY-MM`. */
		period: text('period').notNull(),
		deliveredOn: date('delivered_on').notNull(),
		amountKhr: bigint('amount_khr', { mode: 'number' }),
		kind: text('kind', { enum: ['cash', 'in_kind', 'service'] }),
		/**
		 * The village of the benefit's enrolment (`enrolments.village_code`), kept by the importer,
		 * the only writer: set from the enrolment when a benefit is written, and again for the
		 * benefits of enrolments that move (see `registry/village-moves.ts`). It puts a
		 * commune's benefits together in `benefits_village_idx`.
		 */
		villageCode: text('village_code').notNull()
	},
	// With the delivery day, so that an incremental refresh reads a commune's benefits from one
	// range of the index alone (an index-only scan), where by their enrolments' ids they lay
	// anywhere (at national scale the largest commune's 89,000 in 0.4–1.5 s); an enrolment's
	// benefits are found by its village and id. It replaced the index by enrolment (migration
	// 0016): a benefits import writes as many indexes as before.
	(t) => [index('benefits_village_idx').on(t.villageCode, t.enrolmentId, t.period, t.deliveredOn)]
);

/** Complaints and appeals, gathered by village chiefs, commune offices and the hotline. */
export const appeals = pgTable(
	'appeals',
	{
		appealId: text('appeal_id').primaryKey(),
		householdId: text('household_id').references(() => households.householdId),
		programmeCode: text('programme_code').references(() => programmes.programmeCode),
		villageCode: text('village_code')
			.notNull()
			.references(() => geoUnits.code),
		lodgedOn: date('lodged_on').notNull(),
		channel: text('channel', {
			enum: ['village_chief', 'commune_office', 'hotline', 'other']
		}).notNull(),
		category: text('category', {
			enum: ['exclusion', 'payment', 'service_quality', 'other']
		}).notNull(),
		status: text('status', { enum: ['open', 'resolved', 'rejected', 'escalated'] }).notNull(),
		resolvedOn: date('resolved_on')
	},
	(t) => [index('appeals_village_idx').on(t.villageCode, t.lodgedOn)]
);

/** One row per imported file. */
export const importBatches = pgTable('import_batches', {
	id: serial('id').primaryKey(),
	feed: text('feed').notNull(),
	fileName: text('file_name').notNull(),
	/** SHA-256 of the file's bytes. */
	checksum: text('checksum').notNull(),
	importedBy: text('imported_by').notNull(),
	startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
	finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
	durationMs: integer('duration_ms').notNull(),
	rowsRead: integer('rows_read').notNull(),
	rowsInserted: integer('rows_inserted').notNull(),
	rowsUpdated: integer('rows_updated').notNull(),
	rowsUnchanged: integer('rows_unchanged').notNull(),
	rowsRejected: integer('rows_rejected').notNull(),
	/** Unknown columns and other file-level remarks. */
	warnings: jsonb('warnings').$type<string[]>().notNull().default([])
});

/** Rejected rows of a batch, with their original columns, so they can be downloaded later. */
export const importRejections = pgTable(
	'import_rejections',
	{
		batchId: integer('batch_id')
			.notNull()
			.references(() => importBatches.id, { onDelete: 'cascade' }),
		/** 1-based data row number (the header is row 0). */
		rowNumber: integer('row_number').notNull(),
		errorColumn: text('error_column').notNull(),
		error: text('error').notNull(),
		/** The original cells as [column, value] pairs: a jsonb object would lose their order. */
		row: jsonb('row').$type<[string, string][]>().notNull()
	},
	(t) => [primaryKey({ columns: [t.batchId, t.rowNumber] })]
);

/**
 * Stored indicator values. Rates keep numerator and denominator so that any level can be
 * re-aggregated exactly (§5). `programme` and `group_*` are '' when not applicable, so the
 * primary key stays total.
 */
export const indicatorValues = pgTable(
	'indicator_values',
	{
		indicatorId: text('indicator_id').notNull(),
		period: text('period').notNull(),
		level: text('level', {
			enum: ['national', 'province', 'district', 'commune', 'village']
		}).notNull(),
		geoCode: text('geo_code').notNull(),
		programme: text('programme').notNull().default(''),
		groupBy: text('group_by').notNull().default(''),
		groupValue: text('group_value').notNull().default(''),
		numerator: doublePrecision('numerator'),
		denominator: doublePrecision('denominator'),
		value: doublePrecision('value')
	},
	(t) => [
		primaryKey({
			columns: [t.indicatorId, t.period, t.geoCode, t.programme, t.groupBy, t.groupValue]
		})
		// Readers look rows up by the whole key (one unit's value), so the key is the only index.
	]
);

/**
 * The five programme indicators (§5) in one row per unit, period, programme (or all, `''`)
 * and group: the counts their numerators and denominators are made of. `e` eligible units,
 * `en` eligible and enrolled at the period's end, `n` enrolled at the end, `n_not_e`
 * enrolled at the end but not eligible, `a` enrolled during the period, `ab` enrolled during
 * it and paid in it, `eb` eligible and paid. Five times fewer rows to write than one per
 * indicator; readers see them as `indicator_values` rows (`storedValues`).
 */
export const programmeValues = pgTable(
	'programme_values',
	{
		period: text('period').notNull(),
		level: text('level', {
			enum: ['national', 'province', 'district', 'commune', 'village']
		}).notNull(),
		geoCode: text('geo_code').notNull(),
		programme: text('programme').notNull(),
		groupBy: text('group_by').notNull().default(''),
		groupValue: text('group_value').notNull().default(''),
		e: doublePrecision('e').notNull().default(0),
		en: doublePrecision('en').notNull().default(0),
		n: doublePrecision('n').notNull().default(0),
		nNotE: doublePrecision('n_not_e').notNull().default(0),
		a: doublePrecision('a').notNull().default(0),
		ab: doublePrecision('ab').notNull().default(0),
		eb: doublePrecision('eb').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.period, t.geoCode, t.programme, t.groupBy, t.groupValue] })]
);

/**
 * How many of a district's records took each number of days, per median indicator (§5),
 * period, programme (`''` for appeals) and IDPoor level (`''` for appeals), and the same summed
 * per province (`district_code` `''`) and for the nation (`province_code` and `district_code`
 * `''`): the provinces' and the nation's medians are read from these sums, so that an
 * incremental refresh recounts only the districts it touched and moves their province's and
 * the nation's counts by the change, instead of counting every record of their provinces or of
 * the country (see `medians.ts`).
 */
export const medianDays = pgTable(
	'median_days',
	{
		indicatorId: text('indicator_id').notNull(),
		period: text('period').notNull(),
		provinceCode: text('province_code').notNull(),
		districtCode: text('district_code').notNull(),
		programme: text('programme').notNull(),
		idpoor: text('idpoor').notNull(),
		days: integer('days').notNull(),
		n: integer('n').notNull()
	},
	(t) => [
		primaryKey({
			name: 'median_days_pk',
			columns: [
				t.period,
				t.provinceCode,
				t.districtCode,
				t.indicatorId,
				t.programme,
				t.idpoor,
				t.days
			]
		})
	]
);

/** The periods whose `median_days` are counted (every district's and province's). */
export const medianDaysPeriods = pgTable('median_days_periods', {
	period: text('period').primaryKey()
});

/** Bookkeeping of indicator refreshes (what ran, when, how long). */
export const refreshRuns = pgTable('refresh_runs', {
	id: serial('id').primaryKey(),
	kind: text('kind').notNull(),
	startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
	finishedAt: timestamp('finished_at', { withTimezone: true }),
	durationMs: integer('duration_ms'),
	periods: jsonb('periods').$type<string[]>().notNull().default([]),
	/** For an incremental refresh, the communes it recomputed; null for a full one. */
	communes: jsonb('communes').$type<string[]>(),
	/**
	 * For a full refresh after imports (when they touched too many communes to recompute alone,
	 * see `FULL_AFTER_IMPORT`), how many communes they touched; null for the others (an
	 * incremental refresh lists its communes in `communes`).
	 */
	touchedCommunes: integer('touched_communes'),
	/** The step running now (`3/9 eligibility, enrolment, benefits and combined packages`), while it runs. */
	progress: text('progress'),
	error: text('error')
});
export * from './schema-auth';
