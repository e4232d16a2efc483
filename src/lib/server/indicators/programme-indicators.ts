/**
 * The programme indicators of `shared/domain.md` §5, per programme and period, for the
 * programme's unit (household or person):
 *
 * | id | numerator / denominator |
 * |---|---|
 * | `eligible` | units meeting the target at period end (count) |
 * | `enrolment_coverage` | eligible units enrolled at period end / eligible units |
 * | `take_up` | units enrolled during the period that received a benefit in it / units enrolled during the period |
 * | `effective_coverage` | eligible units that received a benefit in the period / eligible units |
 * | `inclusion_outside_target` | units enrolled at period end not meeting the target / units enrolled at period end |
 * | `combined_package` | households enrolled in two or more programmes at period end / households enrolled in one or more |
 *
 * A unit is registered once its household is; "enrolled at period end" means enrolled on or
 * before the last day and not exited by then (an exit on day d ends the enrolment that day);
 * "enrolled during the period" means enrolled for at least one day of it; a benefit is
 * received in the period when it was delivered (`delivered_on`) in it. Person units are
 * grouped by sex, life-cycle group (age at period end), disability (`no` includes not
 * reported) and their household's IDPoor level; household units by IDPoor level.
 *
 * How they are counted without a row per unit and period (which at national scale is
 * hundreds of millions of rows):
 *
 * - **eligible**: persons alike in village, groups and where their registration and birthdays
 *   fall among the period ends are one row (`ix_persons`); a target holds on one run of
 *   period ends (see `eligibilityBounds`), which becomes +n at its first end and −n after its
 *   last, and a running sum over the ends gives every period's count;
 * - **enrolled and paid**: each unit's periods are bits of a `bigint` (enrolment spans and
 *   delivery days are looked up once, `ix_spans` and an array of days), alike units are
 *   grouped and their periods counted three at a time in 21-bit lanes of packed words
 *   (`periodCounts`).
 *
 * The counts go into `ix_programme_base` as the seven counts of `programme_values` (see
 * `stored.ts`), per village and per commune group; `rollup.ts` sums them to every level.
 *
 * This is how incremental refreshes, and every refresh on PGlite, count. A full refresh on
 * Postgres counts the same in this process as the registry streams out of the database
 * (`streamed-counts.ts`, which shares the programmes, ages and groups made here); the tests
 * run both on the same registries.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../db';
import {
	addAgeCutoffs,
	benefitRows,
	datesBefore,
	enrolmentRows,
	householdRows,
	IDPOOR_GROUP,
	memberRows,
	unitInScope,
	withoutPlans,
	type ComputeContext
} from './context';
import { ageCutoffColumn, ageIndexColumn, eligibilityBounds } from './eligibility';

export const PROGRAMME_INDICATORS = [
	'eligible',
	'enrolment_coverage',
	'take_up',
	'effective_coverage',
	'inclusion_outside_target'
] as const;

export interface ProgrammeRow {
	programme_code: string;
	unit: 'household' | 'person';
	target: string;
}

/**
 * Programme counts are kept for each village's total, and each commune's by one group at a time
 * (villages keep no groups, see `rollup.ts`): grouped by commune and these sets of rows with
 * columns `sex`, `life_cycle`, `disability` and `idpoor`. Household units, without sex,
 * life-cycle group or disability, get rows without a value for those, which are left out.
 *
 * While counting, every key is a small integer, quicker to hash, compare and carry than text: a
 * programme is its position in the refresh's list, a village or commune its code as a number
 * (`geoKey`), a group and its value positions in `GROUPS` (`g` 0 for a village's total, `gv`
 * from 1). `decodedKeys` turns them back into the stored columns once the counts are summed.
 * At national scale the eligible counts took 22 s instead of 27 s, the units' 40 s instead
 * of 43 s, for the same rows.
 */
export const GROUPS = [
	{ by: 'sex', values: ['F', 'M'] },
	{ by: 'life_cycle', values: ['children', 'working_age', 'older_persons'] },
	{ by: 'disability', values: ['yes', 'no'] },
	{ by: 'idpoor', values: ['1', '2', 'none'] }
] as const;
type Group = (typeof GROUPS)[number];

/** `item`'s position from 1 in `list`, as an SQL literal (a key of `GROUPS`). */
function position(list: readonly string[], item: string): SQL {
	const index = list.indexOf(item);
	if (index < 0) throw new Error(`${item} is not one of ${list.join(', ')}`);
	return sql.raw(String(index + 1));
}
/** A group's `g`: its position in `GROUPS`. */
const groupKey = (by: Group['by']) =>
	position(
		GROUPS.map((g) => g.by),
		by
	);
/** A group value's `gv`: its position in the group's values. */
const valueKey = (by: Group['by'], value: string) =>
	position(GROUPS.find((g) => g.by === by)!.values, value);

/** The columns named by the groups, each grouped alone: a commune's rows, group by group. */
const COMMUNE_GROUPING_SETS = sql`GROUPING SETS (${sql.join(
	GROUPS.map((g) => sql`(${sql.identifier(g.by)})`),
	sql`, `
)})`;
/** A commune row's `g` and `gv` (NULL for a group a household unit does not have). */
const COMMUNE_GROUP = sql`CASE ${sql.join(
	GROUPS.map((g) => sql`WHEN GROUPING(${sql.identifier(g.by)}) = 0 THEN ${groupKey(g.by)}`),
	sql` `
)} END AS g, coalesce(${sql.join(
	GROUPS.map((g) => sql.identifier(g.by)),
	sql`, `
)}) AS gv`;
/** A person's sex (`u.sex`), disability (`u.disability`) and IDPoor level as `gv`. */
const SEX_VALUE = sql`CASE u.sex WHEN 'F' THEN ${valueKey('sex', 'F')}
	WHEN 'M' THEN ${valueKey('sex', 'M')} END`;
const DISABILITY_VALUE = sql`CASE WHEN u.disability THEN ${valueKey('disability', 'yes')}
	WHEN NOT u.disability THEN ${valueKey('disability', 'no')} END`;
const idpoorValue = (level: SQL) => sql`CASE ${level} WHEN 1 THEN ${valueKey('idpoor', '1')}
	WHEN 2 THEN ${valueKey('idpoor', '2')} ELSE ${valueKey('idpoor', 'none')} END`;
/** Life-cycle groups by the ages bounding them: `gv`, the first end and the last end. */
const lifeCycles = (kmax: SQL) => sql`(VALUES
	(${valueKey('life_cycle', 'children')}, 1, u.a_18),
	(${valueKey('life_cycle', 'working_age')}, u.a_18 + 1, u.a_60),
	(${valueKey('life_cycle', 'older_persons')}, u.a_60 + 1, ${kmax})) l (life_cycle, first, last)`;

/**
 * NCDD codes are digits, 8 for a village and 6 for a commune (checked on import): as an
 * integer a code keeps every digit but its leading zeros, which `geoCode` restores.
 */
const geoKey = (code: SQL) => sql`${code}::int`;
const geoCode = (key: SQL, digits: number) => sql`lpad(${key}::text, ${digits}, '0')`;

/**
 * The stored key columns (programme, level, geo_code, group_by, group_value) of counts keyed
 * `r.programme`, `r.g`, `r.unit` and `r.gv` (see `GROUPS`).
 */
function decodedKeys(programmes: readonly ProgrammeRow[]): SQL {
	const codes = programmes.map((p) => p.programme_code);
	const values = GROUPS.map(
		(group, i) => sql`WHEN ${i + 1} THEN (${sql.param([...group.values])}::text[])[r.gv]`
	);
	return sql`(${sql.param(codes)}::text[])[r.programme],
		CASE WHEN r.g = 0 THEN 'village' ELSE 'commune' END,
		CASE WHEN r.g = 0 THEN ${geoCode(sql`r.unit`, 8)} ELSE ${geoCode(sql`r.unit`, 6)} END,
		(${sql.param(['', ...GROUPS.map((group) => group.by)])}::text[])[r.g + 1],
		CASE r.g WHEN 0 THEN '' ${sql.join(values, sql` `)} END`;
}

/** The column `a_Y` of a unit row for each age (see `eligibilityBounds`). */
function ageIndices(endIndex: EndIndices, ages: readonly number[], birthDate: SQL): SQL {
	return sql.join(
		ages.map(
			(years) => sql`${endIndex.age(years, birthDate)} AS ${sql.identifier(ageIndexColumn(years))}`
		),
		sql`, `
	);
}

/** The period ends' indices (see `eligibilityBounds`), as SQL over values read once. */
interface EndIndices {
	/** K, the number of distinct period ends. */
	kmax: SQL;
	/** The last period end. */
	lastEnd: SQL;
	/** `r` of a household registered on `registeredOn`: the ends before it. */
	registration(registeredOn: SQL): SQL;
	/** `a_Y` of a person born on `birthDate`: the ends whose cut-off for `years` is before it. */
	age(years: number, birthDate: SQL): SQL;
	/** Each age's cut-off birth dates (`YYYY-MM-DD`), one per period end in order. */
	cutoffs: ReadonlyMap<number, readonly string[]>;
}

/**
 * What the programme computations share: the refresh's context, the period ends and the
 * programmes (a programme's key is its position in this list, from 1).
 */
type ProgrammeContext = ComputeContext & {
	endIndex: EndIndices;
	programmes: readonly ProgrammeRow[];
};
const programmeKey = (context: ProgrammeContext, programme: ProgrammeRow) =>
	sql`${context.programmes.indexOf(programme) + 1}::smallint`;

/**
 * Reads the refreshed periods' ends (numbered 1…K in `ix_periods.k`, see `createContext`) and
 * each age's cut-off birth dates in that order, which the statements then carry as constants
 * (an index is a binary search in them, `width_bucket`).
 */
async function endIndices(context: ComputeContext, ages: readonly number[]): Promise<EndIndices> {
	const cuts = ages.map(
		(years) =>
			sql`${sql.identifier(ageCutoffColumn(years))}::text AS ${sql.identifier(`cut_${years}`)}`
	);
	const rows = await queryRows<Record<string, string>>(
		context.tx,
		sql`SELECT DISTINCT ON (k) k, ${sql.join(cuts, sql`, `)}
			FROM ix_periods ORDER BY k`
	);
	const dates = (column: string) => rows.map((r) => r[column]!);
	return {
		kmax: sql`${context.ends.length}::int`,
		lastEnd: sql`${context.ends.at(-1)!}::date`,
		registration: (registeredOn) => datesBefore(context.ends, registeredOn),
		age: (years, birthDate) => datesBefore(dates(`cut_${years}`), birthDate),
		cutoffs: new Map(ages.map((years) => [years, dates(`cut_${years}`)]))
	};
}

/**
 * The persons in scope, as one row per village (`village`, its key: see `geoKey`), sex,
 * disability, IDPoor level, registration index `r` and age indices `a_Y` (see
 * `eligibilityBounds`) with their number `c`: persons alike in all of these are eligible for
 * the same programmes at the same period ends.
 */
async function groupPersons(context: ProgrammeContext, ages: readonly number[]) {
	const { endIndex } = context;
	const ageColumns = ages.map((years) => sql.identifier(ageIndexColumn(years)));
	await context.tx.execute(sql`CREATE TEMP TABLE ix_persons ON COMMIT DROP AS
		SELECT village, sex, disability, idpoor_level, r, ${sql.join(ageColumns, sql`, `)},
			count(*) AS c
		FROM (
			SELECT ${geoKey(sql`h.village_code`)} AS village, m.sex,
				m.disability IS TRUE AS disability, h.idpoor_level,
				${endIndex.registration(sql`h.registered_on`)} AS r,
				${ageIndices(endIndex, ages, sql`m.birth_date`)}
			FROM ${memberRows(context)} m
			JOIN ${householdRows(context)} h ON h.household_id = m.household_id
			WHERE h.registered_on <= ${endIndex.lastEnd}
		) u
		GROUP BY village, sex, disability, idpoor_level, r, ${sql.join(ageColumns, sql`, `)}`);
	await context.tx.execute(sql`CREATE TEMP TABLE ix_households ON COMMIT DROP AS
		SELECT ${geoKey(sql`h.village_code`)} AS village, h.idpoor_level,
			${endIndex.registration(sql`h.registered_on`)} AS r, count(*) AS c
		FROM ${householdRows(context)} h
		WHERE h.registered_on <= ${endIndex.lastEnd}
		GROUP BY 1, 2, 3`);
	await context.tx.execute(sql`ANALYZE ix_persons`);
	await context.tx.execute(sql`ANALYZE ix_households`);
}

/** The first and last period-end index of a target's run for unit row `u` (and `life`). */
function runBounds(target: string, first: SQL, last: SQL): { first: SQL; last: SQL } {
	const bounds = eligibilityBounds(target);
	const index = (years: number) => sql`u.${sql.identifier(ageIndexColumn(years))}`;
	return {
		first: sql`greatest(${sql.join([first, ...bounds.from.map((y) => sql`${index(y)} + 1`)], sql`, `)})`,
		last: sql`least(${sql.join([last, ...bounds.until.map(index)], sql`, `)})`
	};
}

/**
 * The programme's eligible units as changes of the count at period-end indices, into
 * `ix_events`: a run of ends from `first` to `last` adds the unit row's number at `first` and
 * takes it away after `last`, split where a person's life-cycle group changes. Counting is
 * then a running sum over at most K ends, however many periods there are.
 */
async function eligibleEvents(context: ProgrammeContext, programme: ProgrammeRow) {
	const { endIndex, tx } = context;
	const code = programmeKey(context, programme);
	const bounds = eligibilityBounds(programme.target);
	const events = (first: SQL, last: SQL, count: SQL) => sql`CROSS JOIN LATERAL (VALUES
		(${first}, ${count}), (${last} + 1, -${count})) ev (k, delta)`;
	if (programme.unit === 'person') {
		const run = runBounds(programme.target, sql`u.r + 1, l.first`, sql`l.last`);
		await tx.execute(sql`INSERT INTO ix_events
			SELECT ${code}, ev.k, u.village, ${SEX_VALUE}, l.life_cycle, ${DISABILITY_VALUE},
				${idpoorValue(sql`u.idpoor_level`)}, ev.delta
			FROM ix_persons u
			CROSS JOIN LATERAL ${lifeCycles(endIndex.kmax)}
			CROSS JOIN LATERAL (SELECT ${run.first} AS first, ${run.last} AS last) s
			${events(sql`s.first`, sql`s.last`, sql`u.c`)}
			WHERE ${bounds.household} AND ${bounds.member} AND s.first <= s.last
				AND ev.k <= ${endIndex.kmax}`);
	} else if (!bounds.needsMember) {
		await tx.execute(sql`INSERT INTO ix_events
			SELECT ${code}, u.r + 1, u.village, NULL, NULL, NULL,
				${idpoorValue(sql`u.idpoor_level`)}, u.c
			FROM ix_households u
			WHERE ${bounds.household} AND u.r < ${endIndex.kmax}`);
	} else {
		// A household is eligible at the ends where any of its members meets the member terms:
		// the union of its members' runs, one end at a time (few households qualify).
		await tx.execute(sql`INSERT INTO ix_events
			SELECT ${code}, ev.k, x.village, NULL, NULL, NULL, x.idpoor, ev.delta
			FROM (
				SELECT DISTINCT r.household_id, r.village,
					${idpoorValue(sql`r.idpoor_level`)} AS idpoor, k.k
				FROM ${memberRuns(context, programme, sql`TRUE`)} r
				CROSS JOIN LATERAL generate_series(r.first, r.last) k (k)
			) x
			${events(sql`x.k`, sql`x.k`, sql`1`)}
			WHERE ev.k <= ${endIndex.kmax}`);
	}
}

/**
 * A household programme's member terms, member by member: the household, its village and
 * IDPoor level, and the run of period ends (`first`…`last`) in which the member meets the
 * terms (their household's registered and its own terms met); `where` (over members `m` and
 * households `h`) picks the members read.
 */
function memberRuns(context: ProgrammeContext, programme: ProgrammeRow, where: SQL): SQL {
	const { endIndex } = context;
	const bounds = eligibilityBounds(programme.target);
	const ages = [...bounds.from, ...bounds.until];
	const run = runBounds(programme.target, sql`u.r + 1`, endIndex.kmax);
	return sql`(SELECT u.household_id, u.village, u.idpoor_level, ${run.first} AS first,
			${run.last} AS last
		FROM (
			SELECT h.household_id, ${geoKey(sql`h.village_code`)} AS village, h.idpoor_level,
				m.sex,
				m.disability IS TRUE AS disability, ${endIndex.registration(sql`h.registered_on`)} AS r
				${ages.length ? sql`, ${ageIndices(endIndex, ages, sql`m.birth_date`)}` : sql``}
			FROM ${memberRows(context)} m
			JOIN ${householdRows(context)} h ON h.household_id = m.household_id
			WHERE ${where}
		) u
		WHERE ${bounds.household} AND ${bounds.member} AND ${run.first} <= ${run.last})`;
}

/**
 * The events summed per village and per commune and group, then run through the ends: the
 * number of eligible units of each programme at each period's end, into `ix_programme_base`. A sum
 * holds from its end index to the one before the next change (or K), whose periods `ix_end_runs`
 * gives. Counts are summed as `int`s (a commune's group never holds 2^31 persons), whose sums
 * are plain integers, not `numeric`s.
 */
async function countEligible(context: ProgrammeContext) {
	const { endIndex, tx } = context;
	await tx.execute(sql`INSERT INTO ix_programme_base (period, programme, level, geo_code,
			group_by, group_value, e)
		WITH changes AS (
			-- Village totals, then each commune's groups from the events summed per commune and
			-- all four groups first (five grouping sets straight over the events took 32 s to
			-- group at national scale, by text keys then; 24 s this way).
			SELECT programme, k, village AS unit, 0 AS g, 0 AS gv, sum(delta)::int AS delta
			FROM ix_events GROUP BY programme, k, village
			UNION ALL
			SELECT programme, k, commune, ${COMMUNE_GROUP}, sum(delta)::int
			FROM (
				SELECT programme, k, x.commune, sex, life_cycle, disability, idpoor,
					sum(delta)::int AS delta
				FROM ix_events ev JOIN ix_villages x ON x.village = ev.village
				GROUP BY programme, k, x.commune, sex, life_cycle, disability, idpoor
			) c
			GROUP BY programme, k, commune, ${COMMUNE_GROUPING_SETS}
		), runs AS (
			SELECT programme, g, unit, gv, k, sum(delta) OVER w AS e, lead(k) OVER w AS next_k
			FROM changes WINDOW w AS (PARTITION BY programme, g, unit, gv ORDER BY k)
		)
		SELECT p.label, ${decodedKeys(context.programmes)}, r.e
		FROM runs r
		JOIN ix_end_runs p ON p.first = r.k AND p.last = coalesce(r.next_k - 1, ${endIndex.kmax})
		WHERE r.e <> 0 AND r.gv IS NOT NULL`);
}

/** Periods are bits of a `bigint`: at most this many at a time. */
const PERIODS_PER_PASS = 62;

/**
 * `ix_spans` for one pass over the periods whose `ix_periods.bit` is set: an enrolment's first
 * and exit days → the periods it is enrolled during (`a_bits`) and at the end of (`n_bits`),
 * for the enrolments of the units in scope and of the households in scope (combined packages
 * count by household).
 */
async function enrolmentSpans(context: ComputeContext) {
	const { tx } = context;
	const spanScope = sql`(pr.unit = 'person' AND ${unitInScope(context, 'person', sql`e.person_id`)})
		OR ${unitInScope(context, 'household', sql`e.household_id`)}`;
	await tx.execute(sql`CREATE TEMP TABLE ix_spans ON COMMIT DROP AS
		SELECT s.enrolled_on, s.ends_on,
			coalesce(bit_or(1::bigint << p.bit) FILTER (WHERE s.ends_on > p.start_date), 0) AS a_bits,
			coalesce(bit_or(1::bigint << p.bit) FILTER (WHERE s.ends_on > p.end_date), 0) AS n_bits
		FROM (
			SELECT DISTINCT e.enrolled_on, coalesce(e.exited_on, 'infinity') AS ends_on
			FROM ${enrolmentRows(context)} e JOIN programmes pr ON pr.programme_code = e.programme_code
			WHERE ${spanScope}
		) s JOIN ix_periods p ON s.enrolled_on <= p.end_date AND p.bit IS NOT NULL
		GROUP BY 1, 2`);
	await tx.execute(sql`ANALYZE ix_spans`);
}

/**
 * Look-ups for one pass over the periods whose `ix_periods.bit` is set (one bit each):
 * `ix_run_bits` (a run of period-end indices `first`…`last` → the periods ending in it) and
 * `ix_spans` (see `enrolmentSpans`); then with them and the periods of each delivery day, the units
 * enrolled or paid (`ix_enrolled`: the programme's key, see `programmeKey`, whether its units
 * are persons, the unit and its periods' bits).
 */
async function periodBitLookups(context: ProgrammeContext) {
	const { endIndex, tx } = context;
	// Each day from the pass's first to its last, with the periods containing it (none in a gap
	// between periods), read once and carried as a constant array: the benefits' look-up then
	// reads the registry's table only, which the planner may split among parallel workers.
	const [days] = await queryRows<{ first: string; last: string; bits: string[] }>(
		tx,
		sql`SELECT min(d)::date::text AS first, max(d)::date::text AS last,
			array_agg(coalesce(b.bits, 0) ORDER BY d)::text[] AS bits
		FROM (SELECT min(start_date) AS first, max(end_date) AS last FROM ix_periods
			WHERE bit IS NOT NULL) r
		CROSS JOIN LATERAL generate_series(r.first, r.last, interval '1 day') d
		LEFT JOIN (
			SELECT d::date AS day, bit_or(1::bigint << p.bit) AS bits
			FROM ix_periods p
			CROSS JOIN LATERAL generate_series(p.start_date, p.end_date, interval '1 day') d
			WHERE p.bit IS NOT NULL GROUP BY 1
		) b ON b.day = d::date`
	);
	const { first, last, bits } = days!;
	await tx.execute(sql`CREATE TEMP TABLE ix_run_bits ON COMMIT DROP AS
		SELECT f AS first, l AS last,
			coalesce(bit_or(1::bigint << p.bit) FILTER (WHERE p.k BETWEEN f AND l), 0) AS bits
		FROM generate_series(1, ${endIndex.kmax}) f CROSS JOIN generate_series(f, ${endIndex.kmax}) l
		CROSS JOIN ix_periods p WHERE p.bit IS NOT NULL GROUP BY f, l`);
	await tx.execute(sql`ANALYZE ix_run_bits`);
	await enrolmentSpans(context);
	const enrolmentScope = sql`(pr.unit = 'person' AND ${unitInScope(context, 'person', sql`e.person_id`)})
		OR (pr.unit = 'household' AND ${unitInScope(context, 'household', sql`e.household_id`)})`;
	// Each programme's units (persons or households) with their enrolments' and benefits'
	// periods, those in scope with any.
	const benefits = sql`LEFT JOIN (
			SELECT b.enrolment_id,
				bit_or((${sql.param(bits)}::bigint[])[b.delivered_on - ${first}::date + 1]) AS bits
			FROM ${benefitRows(context)} b
			WHERE b.delivered_on BETWEEN ${first}::date AND ${last}::date GROUP BY 1
		) pay ON pay.enrolment_id = e.enrolment_id`;
	const programmeCodes = context.programmes.map((p) => p.programme_code);
	await tx.execute(sql`CREATE TEMP TABLE ix_enrolled ON COMMIT DROP AS
		SELECT array_position(${sql.param(programmeCodes)}::text[], e.programme_code)::smallint
				AS programme,
			pr.unit = 'person' AS person, u.unit_id, bit_or(coalesce(s.a_bits, 0)) AS a_bits,
			bit_or(coalesce(s.n_bits, 0)) AS n_bits, bit_or(coalesce(pay.bits, 0)) AS b_bits
		FROM ${enrolmentRows(context)} e JOIN programmes pr ON pr.programme_code = e.programme_code
		CROSS JOIN LATERAL (SELECT CASE WHEN pr.unit = 'person' THEN e.person_id
			ELSE e.household_id END AS unit_id) u
		LEFT JOIN ix_spans s ON s.enrolled_on = e.enrolled_on
			AND s.ends_on = coalesce(e.exited_on, 'infinity')
		${benefits}
		WHERE u.unit_id IS NOT NULL AND (${enrolmentScope})
		GROUP BY 1, 2, 3
		HAVING bit_or(coalesce(s.a_bits, 0)) | bit_or(coalesce(pay.bits, 0)) <> 0`);
	await tx.execute(sql`ANALYZE ix_enrolled`);
}

/**
 * One row per unit of each programme enrolled or paid in the pass's periods, into
 * `ix_units`, with the periods (bits) where it is: eligible and enrolled at the end
 * (`en`), enrolled at the end (`n`), enrolled at the end but not eligible (`n_not_e`),
 * enrolled during (`a`), enrolled during and paid (`ab`), eligible and paid (`eb`). A
 * person is split by life-cycle group, each row keeping the periods in which they belong to it.
 */
async function unitActivity(context: ProgrammeContext, programme: ProgrammeRow) {
	const { endIndex } = context;
	const code = programmeKey(context, programme);
	const bounds = eligibilityBounds(programme.target);
	const person = programme.unit === 'person';
	const run = runBounds(programme.target, sql`u.r + 1`, endIndex.kmax);
	let eligible: SQL;
	if (person || !bounds.needsMember) {
		eligible = sql`LEFT JOIN ix_run_bits eb ON ${bounds.household} AND ${bounds.member}
			AND eb.first = ${run.first} AND eb.last = ${run.last}`;
	} else {
		// A household with a member meeting the member terms: the union of its members' runs.
		const enrolled = sql`m.household_id IN
			(SELECT unit_id FROM ix_enrolled WHERE programme = ${code})`;
		eligible = sql`LEFT JOIN (
			SELECT r.household_id, bit_or(rb.bits) AS bits
			FROM ${memberRuns(context, programme, enrolled)} r
			JOIN ix_run_bits rb ON rb.first = r.first AND rb.last = r.last
			GROUP BY r.household_id
		) eb ON eb.household_id = u.unit_id`;
	}
	const lives = person
		? lifeCycles(endIndex.kmax)
		: sql`(VALUES (NULL::int, 1, ${endIndex.kmax})) l (life_cycle, first, last)`;
	await context.tx.execute(sql`INSERT INTO ix_units
		SELECT ${code}, u.village, u.commune, ${SEX_VALUE},
			l.life_cycle, ${DISABILITY_VALUE}, ${idpoorValue(sql`u.idpoor_level`)},
			f.e & u.n_bits & f.l, u.n_bits & f.l, u.n_bits & ~f.e & f.l, u.a_bits & f.l,
			u.a_bits & u.b_bits & f.l, f.e & u.b_bits & f.l
		FROM ix_active u
		${eligible}
		CROSS JOIN LATERAL ${lives}
		JOIN ix_run_bits lb ON lb.first = l.first AND lb.last = l.last
		CROSS JOIN LATERAL (SELECT coalesce(eb.bits, 0) AS e, lb.bits AS l) f
		WHERE u.programme = ${code} AND (u.a_bits | u.b_bits) & f.l <> 0`);
}

/**
 * The units of `ix_enrolled` in scope with their village, groups and (persons) the indices
 * of their registration and birthdays, into `ix_active`: every programme's at once, so that
 * the registry is read once.
 */
async function activeUnits(context: ProgrammeContext, ages: number[]) {
	const { endIndex } = context;
	// Persons' and households' units apart: each join then has one key.
	await context.tx.execute(sql`CREATE TEMP TABLE ix_active ON COMMIT DROP AS
		SELECT u.programme, u.unit_id, u.a_bits, u.n_bits, u.b_bits, x.village, x.commune,
			u.sex, u.disability, h.idpoor_level, ${endIndex.registration(sql`h.registered_on`)} AS r,
			${ageIndices(endIndex, ages, sql`u.birth_date`)}
		FROM (
			SELECT x.*, m.household_id, m.sex, m.disability IS TRUE AS disability, m.birth_date
			FROM ix_enrolled x
			JOIN ${memberRows(context)} m ON m.person_id = x.unit_id
			WHERE x.person
			UNION ALL
			SELECT x.*, x.unit_id, NULL, NULL, NULL
			FROM ix_enrolled x
			WHERE NOT x.person
		) u
		JOIN ${householdRows(context)} h ON h.household_id = u.household_id
		JOIN ix_villages x ON x.village = ${geoKey(sql`h.village_code`)}`);
	// Each programme reads its own units, by its key (a small integer: at national scale the
	// index over 6 million units took 2.8 s to build, against 6.1 s over the programme's code).
	await context.tx.execute(sql`CREATE INDEX ON ix_active (programme)`);
	await context.tx.execute(sql`ANALYZE ix_active`);
}

/**
 * Counts are summed three periods at a time: each period's bit of a unit's mask becomes a 1
 * in its own 21-bit lane of a `bigint` word, so one addition counts three periods (a
 * village's or commune's group never holds 2,097,152 units, so lanes never overflow).
 */
const LANE_BITS = 21;
const LANES = 3;
const UNIT_MEASURES = ['en', 'n', 'n_not_e', 'a', 'ab', 'eb'] as const;

/**
 * Word `word` of mask column `m`: its bits 3·word…3·word+2 spread over the lanes (of
 * `laneBits` bits each).
 */
function packedWord(m: string, word: number, laneBits = LANE_BITS): SQL {
	const column = sql.identifier(m);
	const lanes = Array.from(
		{ length: LANES },
		(_, lane) => sql`(((${column} >> ${LANES * word + lane}) & 1) << ${laneBits * lane})`
	);
	return sql.join(lanes, sql` | `);
}

/**
 * The distinct combinations of masks (`measures`) in `table` with their packed words
 * (`words` per mask), into `ix_tuples`: few, so each is packed once.
 */
async function packTuples(
	context: ComputeContext,
	table: string,
	measures: readonly string[],
	words: number
) {
	const masks = sql.join(
		measures.map((m) => sql.identifier(m)),
		sql`, `
	);
	const wordColumns = measures.flatMap((m) =>
		Array.from(
			{ length: words },
			(_, w) => sql`${packedWord(m, w)} AS ${sql.identifier(`${m}_${w}`)}`
		)
	);
	await context.tx.execute(sql`CREATE TEMP TABLE ix_tuples ON COMMIT DROP AS
		SELECT ${masks}, ${sql.join(wordColumns, sql`, `)}
		FROM (SELECT DISTINCT ${masks} FROM ${sql.identifier(table)}) t`);
}

/**
 * Runs `work` with the planner kept from merge joins and sorts: it underestimates the join of
 * classes to `ix_tuples` on their six masks (one row, from each mask's selectivity
 * multiplied), and would sort millions of rows for the join or to group them, on disk or by
 * the locale's rules, instead of hashing them.
 */
const hashingTuples = (context: ComputeContext, work: () => Promise<unknown>) =>
	withoutPlans(context.tx, ['enable_mergejoin', 'enable_sort'], work);

/**
 * Per-period counts of classes of alike units (`classes`: key columns, the masks of
 * `measures` and their number `c`, as `u`): the classes' packed words (`ix_tuples`) summed
 * by `grouping`, then each period's count read from its lane, as rows of `period`, the key
 * columns `names` (selected by `keys`) and one count per measure.
 */
function periodCounts(options: {
	measures: readonly string[];
	words: number;
	names: readonly string[];
	keys: SQL;
	classes: SQL;
	grouping: SQL;
}): SQL {
	const { measures, words } = options;
	const masks = sql.join(
		measures.map((m) => sql.identifier(m)),
		sql`, `
	);
	const sums = sql.join(
		measures.map(
			(m) =>
				sql`ARRAY[${sql.join(
					Array.from({ length: words }, (_, w) => sql`sum(u.c * t.${sql.identifier(`${m}_${w}`)})`),
					sql`, `
				)}]::bigint[] AS ${sql.identifier(m)}`
		),
		sql`, `
	);
	const counts = sql.join(
		measures.map(
			(m) =>
				sql`(s.${sql.identifier(m)}[p.bit / ${LANES} + 1] >> (${LANE_BITS} * (p.bit % ${LANES})))
					& ${2 ** LANE_BITS - 1} AS ${sql.identifier(m)}`
		),
		sql`, `
	);
	const names = sql.join(
		options.names.map((n) => sql`s.${sql.identifier(n)}`),
		sql`, `
	);
	return sql`SELECT p.label AS period, ${names}, ${counts}
		FROM (
			SELECT ${options.keys}, ${sums}
			FROM (${options.classes}) u JOIN ix_tuples t USING (${masks})
			GROUP BY ${options.grouping}
		) s JOIN ix_periods p ON p.bit IS NOT NULL`;
}

/**
 * The units' periods counted into `ix_programme_base` (`bits` periods in this pass): alike units (same
 * village or commune and groups, same periods) grouped and counted, then spread over the
 * periods (`periodCounts`), per village and per commune group.
 */
async function countUnits(context: ProgrammeContext, bits: number) {
	const { tx } = context;
	const words = Math.ceil(bits / LANES);
	await tx.execute(sql`ANALYZE ix_units`);
	await packTuples(context, 'ix_units', UNIT_MEASURES, words);
	const masks = sql.join(
		UNIT_MEASURES.map((m) => sql.identifier(m)),
		sql`, `
	);
	const insert = (
		keys: SQL,
		classes: SQL,
		grouping: SQL
	) => sql`INSERT INTO ix_programme_base (period,
			programme, level, geo_code, group_by, group_value, en, n, n_not_e, a, ab, eb)
		SELECT r.period, ${decodedKeys(context.programmes)}, en, n, n_not_e, a, ab, eb
		FROM (${periodCounts({
			measures: UNIT_MEASURES,
			words,
			names: ['programme', 'g', 'unit', 'gv'],
			keys: sql`u.programme, ${keys}`,
			classes,
			grouping
		})}) r
		-- Household units have no sex, life-cycle group or disability.
		WHERE (a <> 0 OR eb <> 0) AND r.gv IS NOT NULL`;
	await hashingTuples(context, async () => {
		await tx.execute(
			insert(
				sql`0 AS g, u.village AS unit, 0 AS gv`,
				sql`SELECT programme, village, ${masks}, count(*) AS c FROM ix_units
					GROUP BY programme, village, ${masks}`,
				sql`u.programme, u.village`
			)
		);
		await tx.execute(
			insert(
				sql`u.commune AS unit, ${COMMUNE_GROUP}`,
				sql`SELECT programme, commune, sex, life_cycle, disability, idpoor, ${masks}, count(*) AS c
					FROM ix_units
					GROUP BY programme, commune, sex, life_cycle, disability, idpoor, ${masks}`,
				sql`u.programme, u.commune, ${COMMUNE_GROUPING_SETS}`
			)
		);
	});
	await tx.execute(sql`DROP TABLE ix_tuples`);
}

/**
 * Counts of a household's programmes per period (see `countCombinedPackage`): packed words
 * (`packedWord`) of 10-bit lanes, three to an `int`.
 */
const TALLY_LANE_BITS = 10;
const MAX_PROGRAMMES = 2 ** TALLY_LANE_BITS - 1;

/**
 * `combined_package` into `ix_base` (village level, by IDPoor level) for this pass's periods:
 * each household's programmes enrolled at the end of each period as masks (from `ix_spans`),
 * the periods in which it is enrolled in one or more (`one`) and in two or more (`two`: in
 * the masks of two of its programmes), counted as the units are.
 */
async function countCombinedPackage(context: ComputeContext, bits: number) {
	const { tx } = context;
	await tx.execute(sql`CREATE TEMP TABLE ix_household_programmes ON COMMIT DROP AS
		SELECT e.household_id, e.programme_code, bit_or(s.n_bits) AS n
		FROM ${enrolmentRows(context)} e JOIN ix_spans s ON s.enrolled_on = e.enrolled_on
			AND s.ends_on = coalesce(e.exited_on, 'infinity')
		WHERE ${unitInScope(context, 'household', sql`e.household_id`)}
		GROUP BY 1, 2 HAVING bit_or(s.n_bits) <> 0`);
	// Its size, so that its households are joined to the registry's by hashing, not looked up
	// one by one (millions at national scale).
	await tx.execute(sql`ANALYZE ix_household_programmes`);
	// A period is in `two` when two or more of the household's programmes' masks have its bit:
	// each bit of a mask becomes a 1 in its own 10-bit lane of an integer, and the sums of these
	// per household count its programmes enrolled at each period's end (at most 1,023 programmes,
	// see `computeProgrammeIndicators`, so a lane never carries into the next). Sums of `int`s
	// keep a small state per household; the arrays of masks this replaced (paired with each
	// other) were estimated so large that the grouping spilled to disk.
	const tallies = Array.from({ length: Math.ceil(bits / LANES) }, (_, word) => word);
	const atLeastTwo = sql.join(
		Array.from({ length: bits }, (_, bit) => {
			const word = sql.identifier(`t_${Math.floor(bit / LANES)}`);
			const shift = TALLY_LANE_BITS * (bit % LANES);
			return sql`(((x.${word} >> ${shift}) & ${MAX_PROGRAMMES} >= 2)::int::bigint << ${bit})`;
		}),
		sql` | `
	);
	await tx.execute(sql`CREATE TEMP TABLE ix_households_enrolled ON COMMIT DROP AS
		SELECT h.village_code, ${IDPOOR_GROUP} AS idpoor, x.one, ${atLeastTwo} AS two
		FROM (
			SELECT household_id, bit_or(n) AS one, ${sql.join(
				tallies.map(
					(word) =>
						sql`sum((${packedWord('n', word, TALLY_LANE_BITS)})::int) AS ${sql.identifier(`t_${word}`)}`
				),
				sql`, `
			)}
			FROM ix_household_programmes GROUP BY household_id
		) x JOIN ${householdRows(context)} h ON h.household_id = x.household_id`);
	const words = Math.ceil(bits / LANES);
	await tx.execute(sql`ANALYZE ix_households_enrolled`);
	await packTuples(context, 'ix_households_enrolled', ['one', 'two'], words);
	await hashingTuples(context, () =>
		tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code, group_by,
				group_value, numerator, denominator)
			SELECT 'combined_package', period, 'village', geo_code, group_by, group_value, two, one
			FROM (${periodCounts({
				measures: ['one', 'two'],
				words,
				names: ['geo_code', 'group_by', 'group_value'],
				keys: sql`u.village_code AS geo_code,
					CASE WHEN GROUPING(u.idpoor) = 0 THEN 'idpoor' ELSE '' END AS group_by,
					coalesce(u.idpoor, '') AS group_value`,
				classes: sql`SELECT village_code, idpoor, one, two, count(*) AS c
					FROM ix_households_enrolled GROUP BY village_code, idpoor, one, two`,
				grouping: sql`u.village_code, GROUPING SETS ((), (u.idpoor))`
			})}) r
			WHERE one <> 0`)
	);
	for (const table of ['ix_tuples', 'ix_household_programmes', 'ix_households_enrolled'])
		await tx.execute(sql`DROP TABLE ${sql.identifier(table)}`);
}

/**
 * Runs `pass` for each pass over the periods (at most `PERIODS_PER_PASS` at a time), with
 * `ix_periods.bit` numbering the pass's periods (none for the others) and their number.
 */
async function inPasses(context: ComputeContext, pass: (bits: number) => Promise<void>) {
	const { tx } = context;
	// A transaction's second series of passes (the units' and the combined packages') finds it.
	await tx.execute(sql`ALTER TABLE ix_periods ADD COLUMN IF NOT EXISTS bit int`);
	for (let first = 0; first < context.periods.length; first += PERIODS_PER_PASS) {
		await tx.execute(sql`UPDATE ix_periods p SET bit = CASE
				WHEN o.n > ${first} AND o.n <= ${first + PERIODS_PER_PASS} THEN o.n - ${first} - 1 END
			FROM (SELECT label, row_number() OVER (ORDER BY label) AS n FROM ix_periods) o
			WHERE o.label = p.label`);
		await pass(Math.min(PERIODS_PER_PASS, context.periods.length - first));
	}
}

/**
 * Every programme's units enrolled or paid during the periods (few, against the eligible),
 * counted into `ix_programme_base`: one pass over enrolments and benefits for all programmes, each
 * unit's periods as bits; and the combined packages, from the same spans.
 */
async function countActivity(context: ProgrammeWork) {
	const { tx } = context;
	await tx.execute(sql`CREATE TEMP TABLE ix_units (
		programme smallint NOT NULL, village int NOT NULL, commune int NOT NULL, sex smallint,
		life_cycle smallint, disability smallint, idpoor smallint NOT NULL, en bigint NOT NULL,
		n bigint NOT NULL, n_not_e bigint NOT NULL, a bigint NOT NULL, ab bigint NOT NULL,
		eb bigint NOT NULL
	) ON COMMIT DROP`);
	await inPasses(context, async (bits) => {
		await periodBitLookups(context);
		await activeUnits(context, context.ages);
		for (const programme of context.programmes) await unitActivity(context, programme);
		await countUnits(context, bits);
		await countCombinedPackage(context, bits);
		for (const table of ['ix_run_bits', 'ix_spans', 'ix_enrolled', 'ix_active'])
			await tx.execute(sql`DROP TABLE ${sql.identifier(table)}`);
		await tx.execute(sql`TRUNCATE ix_units`);
	});
}

/**
 * What both halves of the programme counts start from, in `context`'s transaction: the
 * programmes, the ages their targets and the life-cycle groups test (with their cut-offs on
 * `ix_periods`), the period ends' indices and each village's commune (`ix_villages`).
 */
async function createProgrammeWork(context: ComputeContext): Promise<ProgrammeWork> {
	const { tx } = context;
	const programmes = await queryRows<ProgrammeRow>(
		tx,
		sql`SELECT programme_code, unit, target FROM programmes ORDER BY programme_code`
	);
	// Before any work: the combined packages' tallies hold this many programmes a household.
	if (programmes.length > MAX_PROGRAMMES)
		throw new Error(
			`The combined packages count at most ${MAX_PROGRAMMES} programmes a household; the registry has ${programmes.length} programmes.`
		);
	// Life-cycle groups: 18 and 60 (domain.md §5); targets: their own ages.
	const ages = [
		...new Set([
			18,
			60,
			...programmes.flatMap((p) => {
				const bounds = eligibilityBounds(p.target);
				return [...bounds.from, ...bounds.until];
			})
		])
	].sort((a, b) => a - b);
	await addAgeCutoffs(context, ages);
	// Each village's commune, by their keys (see `geoKey`).
	await tx.execute(sql`CREATE TEMP TABLE ix_villages ON COMMIT DROP AS
		SELECT ${geoKey(sql`code`)} AS village, ${geoKey(sql`commune_code`)} AS commune
		FROM geo_units WHERE level = 'village'`);
	await tx.execute(sql`ANALYZE ix_villages`);
	return { ...context, endIndex: await endIndices(context, ages), programmes, ages };
}

export type ProgrammeWork = ProgrammeContext & { ages: number[] };

/** Each context's programme work, made once (its tables are the transaction's). */
const programmeWorks = new WeakMap<ComputeContext, Promise<ProgrammeWork>>();

export function programmeWork(context: ComputeContext): Promise<ProgrammeWork> {
	let work = programmeWorks.get(context);
	if (!work) programmeWorks.set(context, (work = createProgrammeWork(context)));
	return work;
}

/**
 * The eligible units' counts (`e`) of every programme into `ix_programme_base`: alike persons
 * and households grouped, their runs of period ends as events, run through the ends.
 */
export async function computeEligibleCounts(context: ComputeContext) {
	const work = await programmeWork(context);
	const { tx } = work;
	// Keys and group values as in `GROUPS`.
	await tx.execute(sql`CREATE TEMP TABLE ix_events (
		programme smallint NOT NULL, k int NOT NULL, village int NOT NULL, sex smallint,
		life_cycle smallint, disability smallint, idpoor smallint NOT NULL, delta int NOT NULL
	) ON COMMIT DROP`);
	await groupPersons(work, work.ages);
	for (const programme of work.programmes) await eligibleEvents(work, programme);
	await tx.execute(sql`ANALYZE ix_events`);
	await countEligible(work);
}

/** `combined_package` into `ix_base` (see `countCombinedPackage`). */
export async function computeCombinedPackages(context: ComputeContext) {
	// Its checks first (at most `MAX_PROGRAMMES` programmes).
	await programmeWork(context);
	await inPasses(context, async (bits) => {
		await enrolmentSpans(context);
		await countCombinedPackage(context, bits);
		await context.tx.execute(sql`DROP TABLE ix_spans`);
	});
}

/**
 * Computes the programme indicators' counts into `ix_programme_base` (village level, per
 * programme) and the combined packages into `ix_base`, in one connection: the combined
 * packages from the spans the units' pass looks up.
 */
export async function computeProgrammeIndicators(context: ComputeContext) {
	await computeEligibleCounts(context);
	await computeUnitCounts(context);
}

/**
 * The enrolled and paid units' counts into `ix_programme_base` and the combined packages into
 * `ix_base`: the programme indicators but the eligible counts (which an incremental refresh on
 * Postgres counts on its side lane meanwhile, see `refresh.ts`).
 */
export async function computeUnitCounts(context: ComputeContext) {
	await countActivity(await programmeWork(context));
}
