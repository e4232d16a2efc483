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
import { IDPOOR_GROUP, inScope, type ComputeContext } from './context';
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

/** Units meeting the programme's target at each period's end: rows (unit_id, period). */
function eligibleUnits(context: ComputeContext, programme: ProgrammeRow): SQL {
	const target = eligibilitySql(programme.target);
	const scope = inScope(context, sql`h.village_code`);
	const registered = sql`h.registered_on <= p.end_date`;
	if (programme.unit === 'person') {
		return sql`SELECT m.person_id AS unit_id, p.label AS period
			FROM members m JOIN households h ON h.household_id = m.household_id
			JOIN ix_periods p ON ${registered} AND ${target.member(sql`p.end_date`)}
			WHERE ${target.household} AND ${scope}`;
	}
	if (target.needsMember) {
		return sql`SELECT DISTINCT h.household_id AS unit_id, p.label AS period
			FROM households h JOIN members m ON m.household_id = h.household_id
			JOIN ix_periods p ON ${registered} AND ${target.member(sql`p.end_date`)}
			WHERE ${target.household} AND ${scope}`;
	}
	return sql`SELECT h.household_id AS unit_id, p.label AS period
		FROM households h JOIN ix_periods p ON ${registered}
		WHERE ${target.household} AND ${scope}`;
}

/**
 * One row per programme, unit and period where the unit is eligible at the end (`e`),
 * enrolled at the end (`n`), enrolled during the period (`a`) or received a benefit in it
 * (`b`).
 */
async function computeFlags(context: ComputeContext, programmes: readonly ProgrammeRow[]) {
	const { tx } = context;
	await tx.execute(sql`CREATE TEMP TABLE ix_flags (
		programme text NOT NULL, unit_id text NOT NULL, period text NOT NULL,
		e boolean NOT NULL, n boolean NOT NULL, a boolean NOT NULL, b boolean NOT NULL
	) ON COMMIT DROP`);
	for (const programme of programmes) {
		const unit = programme.unit === 'person' ? sql`e.person_id` : sql`e.household_id`;
		const enrolments = sql`enrolments e JOIN households h ON h.household_id = e.household_id`;
		const where = sql`e.programme_code = ${programme.programme_code} AND ${unit} IS NOT NULL
			AND ${inScope(context, sql`h.village_code`)}`;
		await tx.execute(sql`INSERT INTO ix_flags
			SELECT ${programme.programme_code}, unit_id, period,
				bool_or(e), bool_or(n), bool_or(a), bool_or(b)
			FROM (
				SELECT unit_id, period, TRUE AS e, FALSE AS n, FALSE AS a, FALSE AS b
				FROM (${eligibleUnits(context, programme)}) eligible
				UNION ALL
				SELECT ${unit}, p.label, FALSE,
					e.exited_on IS NULL OR e.exited_on > p.end_date, TRUE, FALSE
				FROM ${enrolments} JOIN ix_periods p ON e.enrolled_on <= p.end_date
					AND (e.exited_on IS NULL OR e.exited_on > p.start_date)
				WHERE ${where}
				UNION ALL
				SELECT ${unit}, p.label, FALSE, FALSE, FALSE, TRUE
				FROM benefits b JOIN ${enrolments} ON e.enrolment_id = b.enrolment_id
				JOIN ix_periods p ON b.delivered_on BETWEEN p.start_date AND p.end_date
				WHERE ${where}
			) flags (unit_id, period, e, n, a, b)
			GROUP BY unit_id, period`);
	}
}

/** Counts per village, programme, period and group, unpivoted into the five indicators. */
async function countFlags(context: ComputeContext) {
	const adult = ageAtLeast(sql`m.birth_date`, 18, sql`p.end_date`);
	const older = ageAtLeast(sql`m.birth_date`, 60, sql`p.end_date`);
	await context.tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code,
			programme, group_by, group_value, numerator, denominator)
		WITH units AS (
			SELECT f.*, h.village_code, m.sex,
				CASE WHEN ${older} THEN 'older_persons' WHEN ${adult} THEN 'working_age'
					ELSE 'children' END AS life_cycle,
				CASE WHEN m.disability THEN 'yes' ELSE 'no' END AS disability,
				${IDPOOR_GROUP} AS idpoor
			FROM ix_flags f JOIN programmes pr ON pr.programme_code = f.programme
			JOIN members m ON m.person_id = f.unit_id
			JOIN households h ON h.household_id = m.household_id
			JOIN ix_periods p ON p.label = f.period
			WHERE pr.unit = 'person'
			UNION ALL
			SELECT f.*, h.village_code, NULL, NULL, NULL, ${IDPOOR_GROUP}
			FROM ix_flags f JOIN programmes pr ON pr.programme_code = f.programme
			JOIN households h ON h.household_id = f.unit_id
			WHERE pr.unit = 'household'
		), counts AS (
			SELECT period, programme, village_code,
				CASE WHEN GROUPING(sex) = 0 THEN 'sex'
					WHEN GROUPING(life_cycle) = 0 THEN 'life_cycle'
					WHEN GROUPING(disability) = 0 THEN 'disability'
					WHEN GROUPING(idpoor) = 0 THEN 'idpoor' ELSE '' END AS group_by,
				coalesce(sex, life_cycle, disability, idpoor, '') AS group_value,
				count(*) FILTER (WHERE e) AS e, count(*) FILTER (WHERE e AND n) AS en,
				count(*) FILTER (WHERE n) AS n, count(*) FILTER (WHERE n AND NOT e) AS n_not_e,
				count(*) FILTER (WHERE a) AS a, count(*) FILTER (WHERE a AND b) AS ab,
				count(*) FILTER (WHERE e AND b) AS eb
			FROM units
			GROUP BY period, programme, village_code,
				GROUPING SETS ((), (sex), (life_cycle), (disability), (idpoor))
		)
		SELECT x.indicator_id, c.period, 'village', c.village_code, c.programme, c.group_by,
			c.group_value, x.numerator, x.denominator
		FROM counts c CROSS JOIN LATERAL (VALUES
			('eligible', c.e, NULL::bigint),
			('enrolment_coverage', c.en, c.e),
			('take_up', c.ab, c.a),
			('effective_coverage', c.eb, c.e),
			('inclusion_outside_target', c.n_not_e, c.n)
		) AS x (indicator_id, numerator, denominator)
		-- Household units have no sex, life-cycle group or disability.
		WHERE NOT (c.group_by <> '' AND c.group_value = '')
			AND (x.numerator <> 0 OR coalesce(x.denominator, 0) <> 0)`);
}

/** Computes the programme indicators into `ix_base` (village level, per programme). */
export async function computeProgrammeIndicators(context: ComputeContext) {
	const programmes = await queryRows<ProgrammeRow>(
		context.tx,
		sql`SELECT programme_code, unit, target FROM programmes ORDER BY programme_code`
	);
	await computeFlags(context, programmes);
	await countFlags(context);
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
			GROUP BY p.label, h.household_id
		)
		SELECT 'combined_package', period, 'village', village_code,
			CASE WHEN GROUPING(idpoor) = 0 THEN 'idpoor' ELSE '' END, coalesce(idpoor, ''),
			count(*) FILTER (WHERE programmes >= 2), count(*)
		FROM enrolled GROUP BY period, village_code, GROUPING SETS ((), (idpoor))`);
}
