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
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../db';
import { addAgeCutoffs, IDPOOR_GROUP, inScope, unitInScope, type ComputeContext } from './context';
import { ageAtLeast, eligibilitySql } from './eligibility';

export const PROGRAMME_INDICATORS = [
	'eligible',
	'enrolment_coverage',
	'take_up',
	'effective_coverage',
	'inclusion_outside_target'
] as const;

interface ProgrammeRow {
	programme_code: string;
	unit: 'household' | 'person';
	target: string;
}

/** A unit's groups: sex, life-cycle group at the period's end, disability, IDPoor level. */
function personGroups(): SQL {
	const adult = ageAtLeast(sql`m.birth_date`, 18);
	const older = ageAtLeast(sql`m.birth_date`, 60);
	return sql`m.sex,
		CASE WHEN ${older} THEN 'older_persons' WHEN ${adult} THEN 'working_age'
			ELSE 'children' END,
		CASE WHEN m.disability THEN 'yes' ELSE 'no' END, ${IDPOOR_GROUP}`;
}
const NO_PERSON_GROUPS = sql`NULL::text, NULL::text, NULL::text, ${IDPOOR_GROUP}`;

/**
 * Whether unit `m` (person programme) or `h` (household programme) meets the target at the
 * end of period `p`, registration included. A household programme whose target names a
 * member reads the households found by `materialiseMemberTargets` (`ix_member_match`).
 */
function eligibleAtEnd(programme: ProgrammeRow): SQL {
	const target = eligibilitySql(programme.target);
	const registered = sql`h.registered_on <= p.end_date AND ${target.household}`;
	if (programme.unit === 'person') return sql`${registered} AND ${target.member}`;
	if (!target.needsMember) return registered;
	return sql`${registered} AND (h.household_id, p.label) IN
		(SELECT household_id, period FROM ix_member_match)`;
}

/**
 * For a household programme whose target names a member (`idpoor&age<2`): the households with
 * such a member at each period's end, found in one hash join (no per-household look-up).
 */
async function materialiseMemberTargets(context: ComputeContext, programme: ProgrammeRow) {
	const target = eligibilitySql(programme.target);
	await context.tx.execute(sql`DROP TABLE IF EXISTS ix_member_match`);
	await context.tx.execute(sql`CREATE TEMP TABLE ix_member_match ON COMMIT DROP AS
		SELECT DISTINCT m.household_id, p.label AS period
		FROM members m JOIN households h ON h.household_id = m.household_id
		JOIN ix_periods p ON h.registered_on <= p.end_date AND ${target.member}
		WHERE ${target.household} AND ${inScope(context, sql`h.village_code`)}
			AND ${unitInScope(context, 'person', sql`m.person_id`)}`);
	await context.tx.execute(sql`ANALYZE ix_member_match`);
}

/**
 * The programme's counts into `ix_cube`, per period, village and groups, in two parts that
 * never count a unit twice:
 *
 * 1. every eligible unit, counted straight from the registry (no per-unit rows: most
 *    eligible units are never enrolled);
 * 2. every unit enrolled or paid during the period (few), with its flags.
 */
async function computeCube(context: ComputeContext, programme: ProgrammeRow) {
	const { tx } = context;
	const code = programme.programme_code;
	const person = programme.unit === 'person';
	const groups = person ? personGroups() : NO_PERSON_GROUPS;
	const unitRows = person
		? sql`members m JOIN households h ON h.household_id = m.household_id`
		: sql`households h`;
	// Through the unit too: an incremental refresh then reads its few members by key.
	const scope = sql`${inScope(context, sql`h.village_code`)}
		AND ${unitInScope(context, programme.unit, person ? sql`m.person_id` : sql`h.household_id`)}`;
	if (!person && eligibilitySql(programme.target).needsMember) {
		await materialiseMemberTargets(context, programme);
	}

	await tx.execute(sql`INSERT INTO ix_cube (period, programme, village_code, sex, life_cycle,
			disability, idpoor, e)
		SELECT p.label, ${code}, h.village_code, ${groups}, count(*)
		FROM ${unitRows} JOIN ix_periods p ON ${eligibleAtEnd(programme)}
		WHERE ${scope}
		GROUP BY 1, 2, 3, 4, 5, 6, 7`);

	// Units with an enrolment during the period or a benefit in it (those in scope).
	const unit = person ? sql`e.person_id` : sql`e.household_id`;
	const unitScope = unitInScope(context, programme.unit, unit);
	// The programme's enrolments first (of the units in scope: for an incremental refresh a
	// few, whose benefits are then looked up by enrolment, one at a time, instead of scanning
	// them all).
	// (OFFSET 0 keeps the planner from turning the look-up back into a join over every benefit.)
	const benefitsOfE = context.scoped
		? sql`CROSS JOIN LATERAL (SELECT b.delivered_on FROM benefits b
			WHERE b.enrolment_id = e.enrolment_id OFFSET 0) b`
		: sql`JOIN benefits b ON b.enrolment_id = e.enrolment_id`;
	await tx.execute(sql`CREATE TEMP TABLE ix_activity ON COMMIT DROP AS
		WITH e AS MATERIALIZED (
			SELECT e.enrolment_id, ${unit} AS unit_id, e.enrolled_on, e.exited_on FROM enrolments e
			WHERE e.programme_code = ${code} AND ${unit} IS NOT NULL AND ${unitScope}
		)
		SELECT unit_id, period, bool_or(n) AS n, bool_or(a) AS a, bool_or(b) AS b
		FROM (
			SELECT e.unit_id, p.label AS period,
				e.exited_on IS NULL OR e.exited_on > p.end_date AS n, TRUE AS a, FALSE AS b
			FROM e JOIN ix_periods p ON e.enrolled_on <= p.end_date
				AND (e.exited_on IS NULL OR e.exited_on > p.start_date)
			UNION ALL
			SELECT e.unit_id, p.label, FALSE, FALSE, TRUE
			FROM e ${benefitsOfE} JOIN ix_periods p ON b.delivered_on BETWEEN p.start_date AND p.end_date
		) activity
		GROUP BY unit_id, period`);
	const join = person
		? sql`JOIN members m ON m.person_id = x.unit_id JOIN households h ON h.household_id = m.household_id`
		: sql`JOIN households h ON h.household_id = x.unit_id`;
	await tx.execute(sql`INSERT INTO ix_cube (period, programme, village_code, sex, life_cycle,
			disability, idpoor, e, en, n, n_not_e, a, ab, eb)
		SELECT period, ${code}, village_code, sex, life_cycle, disability, idpoor, 0,
			count(*) FILTER (WHERE e AND n), count(*) FILTER (WHERE n),
			count(*) FILTER (WHERE n AND NOT e), count(*) FILTER (WHERE a),
			count(*) FILTER (WHERE a AND b), count(*) FILTER (WHERE e AND b)
		FROM (
			SELECT x.period, h.village_code, ${groups}, x.n, x.a, x.b,
				${eligibleAtEnd(programme)} AS e
			FROM ix_activity x ${join} JOIN ix_periods p ON p.label = x.period
			WHERE ${scope}
		) u (period, village_code, sex, life_cycle, disability, idpoor, n, a, b, e)
		GROUP BY period, village_code, sex, life_cycle, disability, idpoor`);
	await tx.execute(sql`DROP TABLE ix_activity`);
}

/**
 * The cube summed, unpivoted into the five indicators: villages get their totals, communes
 * their groups (villages keep no groups, see `rollup.ts`; the roll-up adds the villages'
 * totals to the communes' own group rows).
 */
async function countCube(context: ComputeContext) {
	await context.tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code,
			programme, group_by, group_value, numerator, denominator)
		WITH counts AS (
			SELECT period, programme, 'village' AS level, village_code AS geo_code,
				'' AS group_by, '' AS group_value,
				sum(e) AS e, sum(en) AS en, sum(n) AS n, sum(n_not_e) AS n_not_e, sum(a) AS a,
				sum(ab) AS ab, sum(eb) AS eb
			FROM ix_cube GROUP BY period, programme, village_code
			UNION ALL
			SELECT period, programme, 'commune', g.commune_code,
				CASE WHEN GROUPING(sex) = 0 THEN 'sex'
					WHEN GROUPING(life_cycle) = 0 THEN 'life_cycle'
					WHEN GROUPING(disability) = 0 THEN 'disability' ELSE 'idpoor' END,
				coalesce(sex, life_cycle, disability, idpoor, ''),
				sum(e), sum(en), sum(n), sum(n_not_e), sum(a), sum(ab), sum(eb)
			FROM ix_cube c JOIN geo_units g ON g.code = c.village_code
			GROUP BY period, programme, g.commune_code,
				GROUPING SETS ((sex), (life_cycle), (disability), (idpoor))
		)
		SELECT x.indicator_id, c.period, c.level, c.geo_code, c.programme, c.group_by,
			c.group_value, x.numerator, x.denominator
		FROM counts c CROSS JOIN LATERAL (VALUES
			('eligible', c.e, NULL::numeric),
			('enrolment_coverage', c.en, c.e),
			('take_up', c.ab, c.a),
			('effective_coverage', c.eb, c.e),
			('inclusion_outside_target', c.n_not_e, c.n)
		) AS x (indicator_id, numerator, denominator)
		-- Household units have no sex, life-cycle group or disability.
		WHERE (c.group_value <> '' OR c.group_by = '')
			AND (x.numerator <> 0 OR coalesce(x.denominator, 0) <> 0)`);
}

/** Computes the programme indicators into `ix_base` (village level, per programme). */
export async function computeProgrammeIndicators(context: ComputeContext) {
	const programmes = await queryRows<ProgrammeRow>(
		context.tx,
		sql`SELECT programme_code, unit, target FROM programmes ORDER BY programme_code`
	);
	// Life-cycle groups: 18 and 60 (domain.md §5); targets: their own ages.
	await addAgeCutoffs(context, [
		18,
		60,
		...programmes.flatMap((p) => eligibilitySql(p.target).ages)
	]);
	await context.tx.execute(sql`CREATE TEMP TABLE ix_cube (
		period text NOT NULL, programme text NOT NULL, village_code text NOT NULL, sex text,
		life_cycle text, disability text, idpoor text NOT NULL, e bigint NOT NULL DEFAULT 0,
		en bigint NOT NULL DEFAULT 0, n bigint NOT NULL DEFAULT 0,
		n_not_e bigint NOT NULL DEFAULT 0, a bigint NOT NULL DEFAULT 0,
		ab bigint NOT NULL DEFAULT 0, eb bigint NOT NULL DEFAULT 0
	) ON COMMIT DROP`);
	for (const programme of programmes) await computeCube(context, programme);
	await context.tx.execute(sql`ANALYZE ix_cube`);
	await countCube(context);
}

/** `combined_package` into `ix_base` (village level, by IDPoor level). */
export async function computeCombinedPackage(context: ComputeContext) {
	await context.tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code,
			group_by, group_value, numerator, denominator)
		WITH enrolled AS (
			SELECT p.label AS period, h.village_code, ${IDPOOR_GROUP} AS idpoor,
				count(DISTINCT e.programme_code) AS programmes
			FROM enrolments e JOIN households h ON h.household_id = e.household_id
			JOIN ix_periods p ON e.enrolled_on <= p.end_date
				AND (e.exited_on IS NULL OR e.exited_on > p.end_date)
			WHERE ${inScope(context, sql`h.village_code`)}
				AND ${unitInScope(context, 'household', sql`e.household_id`)}
			GROUP BY p.label, h.household_id
		)
		SELECT 'combined_package', period, 'village', village_code,
			CASE WHEN GROUPING(idpoor) = 0 THEN 'idpoor' ELSE '' END, coalesce(idpoor, ''),
			count(*) FILTER (WHERE programmes >= 2), count(*)
		FROM enrolled GROUP BY period, village_code, GROUPING SETS ((), (idpoor))`);
}
