/**
 * The office, application, appeal and data-quality indicators of `shared/domain.md` §5 that
 * add up across units, into `ix_base` (see `rollup.ts`):
 *
 * - `offices_open`: offices opened on or before the period end and not closed by then
 *   (a closure on day d closes the office that day), counted at the office's own unit;
 * - `commune_office_coverage`: communes with an open `commune_front` office / communes;
 * - `applications_received`: applications lodged (`applied_on`) in the period;
 * - `approval_rate`: applications approved / decided (approved or rejected) in the period,
 *   by `decided_on`;
 * - `applications_backlog`: applications pending at period end (not decided by then) lodged
 *   more than 30 days before it;
 * - `appeals_rate`: appeals lodged in the period per 1,000 households registered at its end;
 * - `appeals_resolved_rate`: appeals resolved / closed (resolved or rejected) in the period,
 *   by `resolved_on`;
 * - `appeals_overdue`: appeals open at period end (not closed by then) lodged more than 30
 *   days before it;
 * - `possible_duplicates`: members flagged as possible duplicates whose household is
 *   registered at period end.
 *
 * Applications count at their household's village and by its IDPoor level; appeals at their
 * own village.
 */
import { sql } from 'drizzle-orm';
import { OPEN_AT_END } from '../registry/offices';
import {
	among,
	datesBefore,
	householdRows,
	IDPOOR_GROUP,
	inScope,
	memberRows,
	periodsOf,
	type ComputeContext
} from './context';

export const OFFICE_INDICATORS = ['offices_open', 'commune_office_coverage'] as const;
export const APPLICATION_INDICATORS = [
	'applications_received',
	'approval_rate',
	'applications_backlog'
] as const;
export const APPEAL_INDICATORS = [
	'appeals_rate',
	'appeals_resolved_rate',
	'appeals_overdue'
] as const;

/** Whether row `a`'s date `column` falls in period `p`. */
const inPeriod = (column: string) =>
	sql`a.${sql.identifier(column)} BETWEEN p.start_date AND p.end_date`;

/** Office indicators into `ix_base`: always for every unit (offices sit above villages). */
export async function computeOfficeIndicators(context: ComputeContext) {
	const { tx } = context;
	await tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code, numerator)
		SELECT 'offices_open', p.label, g.level, o.geo_code, count(*)
		FROM offices o JOIN geo_units g ON g.code = o.geo_code
		JOIN ix_periods p ON ${OPEN_AT_END}
		GROUP BY p.label, g.level, o.geo_code`);
	await tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code, numerator,
			denominator)
		SELECT 'commune_office_coverage', p.label, 'commune', c.code,
			CASE WHEN EXISTS (SELECT 1 FROM offices o WHERE o.geo_code = c.code
				AND o.level = 'commune_front' AND ${OPEN_AT_END})
				THEN 1 ELSE 0 END,
			1
		FROM geo_units c CROSS JOIN ix_periods p WHERE c.level = 'commune'`);
}

/**
 * Application indicators into `ix_base` (village level, per programme and for all programmes
 * together, by IDPoor level), one row per key (see `rollUp`). The counts by date join each
 * application to the few periods its lodging or decision falls in. The backlog holds an
 * application over a run of period ends (from the first more than 30 days after its lodging to
 * the last before its decision, or to the last if pending), so it is counted as the number of
 * applications starting and ending a run at each end, summed over the ends in order, instead
 * of joining each to every period it is pending in.
 */
export async function computeApplicationIndicators(context: ComputeContext) {
	// The number K of period ends (`ix_periods.k` numbers them 1..K in order).
	const kmax = sql`${context.ends.length}::int`;
	// Each programme's rows and all programmes' together (`''`), in total and by IDPoor level.
	const groupings = sql`GROUPING SETS ((a.programme_code), (a.programme_code, a.idpoor), (),
		(a.idpoor))`;
	const groups = sql`CASE WHEN GROUPING(a.programme_code) = 0 THEN a.programme_code ELSE '' END
			AS programme_code,
		CASE WHEN GROUPING(a.idpoor) = 0 THEN 'idpoor' ELSE '' END AS group_by,
		coalesce(a.idpoor, '') AS group_value`;
	await context.tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code,
			programme, group_by, group_value, numerator, denominator)
		WITH a AS (
			SELECT a.programme_code, a.applied_on, a.decided_on, a.status, h.village_code,
				${IDPOOR_GROUP} AS idpoor
			FROM applications a JOIN ${householdRows(context)} h ON h.household_id = a.household_id
			-- In scope: one range of their index by village (a hash join would read every
			-- application).
			${context.scoped ? sql`WHERE ${among(sql`a.village_code`, sql`SELECT code FROM ix_scope`)}` : sql``}
		), counts AS (
			SELECT p.label AS period, a.village_code, ${groups},
				count(*) FILTER (WHERE ${inPeriod('applied_on')}) AS received,
				count(*) FILTER (WHERE a.status = 'approved' AND ${inPeriod('decided_on')}) AS approved,
				count(*) FILTER (WHERE a.status IN ('approved', 'rejected')
					AND ${inPeriod('decided_on')}) AS decided
			FROM a JOIN ix_periods p ON ${inPeriod('applied_on')} OR ${inPeriod('decided_on')}
			GROUP BY p.label, a.village_code, ${groupings}
		), runs AS (
			-- Pending at end k (lodged more than 30 days before it, decided after it or never):
			-- k from the first end after lodging + 30 days to the last before the decision.
			SELECT a.programme_code, a.village_code, a.idpoor,
				${datesBefore(context.ends, sql`a.applied_on + 31`)} + 1 AS first,
				CASE WHEN a.decided_on IS NOT NULL THEN ${datesBefore(context.ends, sql`a.decided_on`)}
					WHEN a.status = 'pending' THEN ${kmax} ELSE 0 END AS last
			FROM a
		), changes AS (
			SELECT a.village_code, ${groups}, ev.k, sum(ev.delta) AS delta
			FROM runs a
			CROSS JOIN LATERAL (VALUES (a.first, 1), (a.last + 1, -1)) ev (k, delta)
			WHERE a.first <= a.last AND ev.k <= ${kmax}
			GROUP BY a.village_code, ev.k, ${groupings}
		), backlog AS (
			SELECT programme_code, village_code, group_by, group_value, k,
				sum(delta) OVER w AS n, lead(k) OVER w AS next_k
			FROM changes
			WINDOW w AS (PARTITION BY programme_code, village_code, group_by, group_value ORDER BY k)
		)
		SELECT x.indicator_id, c.period, 'village', c.village_code, c.programme_code, c.group_by,
			c.group_value, x.numerator, x.denominator
		FROM counts c CROSS JOIN LATERAL (VALUES
			('applications_received', c.received, NULL::bigint),
			('approval_rate', c.approved, c.decided)
		) AS x (indicator_id, numerator, denominator)
		WHERE x.numerator <> 0 OR coalesce(x.denominator, 0) <> 0
		UNION ALL
		SELECT 'applications_backlog', p.label, 'village', b.village_code, b.programme_code,
			b.group_by, b.group_value, b.n, NULL
		FROM backlog b
		JOIN ix_end_runs p ON p.first = b.k AND p.last = coalesce(b.next_k - 1, ${kmax})
		WHERE b.n <> 0`);
}

/**
 * Appeal indicators into `ix_base` (village level, one row per key, see `rollUp`). Lodged and
 * closed appeals are joined to the periods their day falls in (by label, see `periodsOf`);
 * the overdue, open over a run of period ends (from the first more than 30 days after lodging
 * to the last before the resolution, or to the last if still open), are counted as the
 * application backlog is, instead of joining each open appeal to every period after it.
 */
export async function computeAppealIndicators(context: ComputeContext) {
	const kmax = sql`${context.ends.length}::int`;
	await context.tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code,
			numerator, denominator)
		WITH a AS (
			SELECT village_code, lodged_on, resolved_on, status FROM appeals a
			WHERE ${inScope(context, sql`a.village_code`)}
		), dated AS (
			SELECT p.label AS period, a.village_code, 1 AS lodged, 0 AS resolved, 0 AS closed
			FROM a ${periodsOf(sql`a.lodged_on`)}
			UNION ALL
			SELECT p.label, a.village_code, 0, (a.status = 'resolved')::int, 1
			FROM a ${periodsOf(sql`a.resolved_on`)}
			WHERE a.status IN ('resolved', 'rejected')
		), counts AS (
			SELECT period, village_code, sum(lodged) AS lodged, sum(resolved) AS resolved,
				sum(closed) AS closed
			FROM dated GROUP BY period, village_code
		), runs AS (
			-- Overdue at end k (lodged more than 30 days before it, resolved after it or still
			-- open): k from the first end after lodging + 30 days to the last before resolution.
			SELECT a.village_code,
				${datesBefore(context.ends, sql`a.lodged_on + 31`)} + 1 AS first,
				CASE WHEN a.resolved_on IS NOT NULL THEN ${datesBefore(context.ends, sql`a.resolved_on`)}
					WHEN a.status IN ('open', 'escalated') THEN ${kmax} ELSE 0 END AS last
			FROM a
		), changes AS (
			SELECT a.village_code, ev.k, sum(ev.delta) AS delta
			FROM runs a
			CROSS JOIN LATERAL (VALUES (a.first, 1), (a.last + 1, -1)) ev (k, delta)
			WHERE a.first <= a.last AND ev.k <= ${kmax}
			GROUP BY a.village_code, ev.k
		), overdue AS (
			SELECT village_code, k, sum(delta) OVER w AS n, lead(k) OVER w AS next_k
			FROM changes
			WINDOW w AS (PARTITION BY village_code ORDER BY k)
		)
		-- The appeals rate: per 1,000 households registered at period end (ix_registered).
		SELECT 'appeals_rate', coalesce(c.period, r.period), 'village',
			coalesce(c.village_code, r.village_code), coalesce(c.lodged, 0), coalesce(r.n, 0)
		FROM counts c FULL JOIN ix_registered r
			ON r.period = c.period AND r.village_code = c.village_code
		WHERE coalesce(c.lodged, 0) <> 0 OR coalesce(r.n, 0) <> 0
		UNION ALL
		SELECT 'appeals_resolved_rate', period, 'village', village_code, resolved, closed
		FROM counts WHERE resolved <> 0 OR closed <> 0
		UNION ALL
		SELECT 'appeals_overdue', p.label, 'village', o.village_code, o.n, NULL
		FROM overdue o
		JOIN ix_end_runs p ON p.first = o.k AND p.last = coalesce(o.next_k - 1, ${kmax})
		WHERE o.n <> 0`);
}

/**
 * `possible_duplicates` into `ix_base` (village level). An import that flags or clears a
 * member's partner in another village touches that village too (see `householdsTouch`), so
 * the villages in scope are enough. Only flagged members are read.
 */
export async function computeDuplicateIndicator(context: ComputeContext) {
	await context.tx.execute(sql`INSERT INTO ix_base (indicator_id, period, level, geo_code,
			numerator)
		SELECT 'possible_duplicates', p.label, 'village', h.village_code, count(*)
		FROM ${memberRows(context)} m
		JOIN ${householdRows(context)} h ON h.household_id = m.household_id
		JOIN ix_periods p ON h.registered_on <= p.end_date
		WHERE m.possible_duplicate
		GROUP BY p.label, h.village_code`);
}
