/**
 * Re-aggregation of the additive indicators (`shared/domain.md` §5): the numerators and
 * denominators in `ix_base` (at villages, or at an office's own level) are stored for their
 * units, and every unit above gets its own base rows plus the sums of its children's rows,
 * level by level. A parent's rate is therefore always the ratio of summed numerators and
 * denominators, never an average of rates.
 *
 * Rows are stored sparsely: a unit with numerator and denominator both zero has no row, and
 * readers show it as zero (see `query.ts`).
 */
import { sql } from 'drizzle-orm';
import { indicatorById, LEVELS } from '../../indicators/catalogue';
import type { ComputeContext } from './context';

/** The value column from numerator and denominator, by the indicator's unit. */
function valueSql(indicatorIds: readonly string[]) {
	const units = indicatorIds.map((id) => sql`(${id}, ${indicatorById(id)!.unit})`);
	return {
		units: sql`(VALUES ${sql.join(units, sql`, `)}) AS u(indicator_id, unit)`,
		value: sql`CASE
			WHEN u.unit = 'count' THEN r.numerator
			WHEN r.denominator > 0 AND u.unit = 'per 1,000' THEN 1000 * r.numerator / r.denominator
			WHEN r.denominator > 0 THEN r.numerator / r.denominator
		END`
	};
}

/**
 * Adds, for each per-programme indicator, the rows of all programmes together: their sums,
 * for the groups every programme has (none and IDPoor level).
 */
export async function addAllProgrammes(context: ComputeContext, indicatorIds: readonly string[]) {
	await context.tx.execute(sql`INSERT INTO ix_base
		SELECT indicator_id, period, level, geo_code, '', group_by, group_value,
			sum(numerator), sum(denominator)
		FROM ix_base
		WHERE indicator_id IN ${indicatorIds} AND programme <> '' AND group_by IN ('', 'idpoor')
		GROUP BY indicator_id, period, level, geo_code, group_by, group_value`);
}

/**
 * Replaces the stored values of `indicatorIds` for the refresh's periods with `ix_base`
 * rolled up to every level. `scoped`: only the villages in `ix_scope` and their ancestors are
 * replaced; the other units keep their stored rows, which the ancestors' sums read.
 */
export async function rollUp(
	context: ComputeContext,
	indicatorIds: readonly string[],
	scoped = context.scoped
) {
	const { tx } = context;
	const { units, value } = valueSql(indicatorIds);
	// The units replaced: every unit, or the villages in scope and everything above them.
	const replaced = (level: string) =>
		!scoped
			? sql`TRUE`
			: level === 'village'
				? sql`r.geo_code IN (SELECT code FROM ix_scope)`
				: level === 'national'
					? sql`TRUE`
					: sql`r.geo_code IN (SELECT g.${sql.identifier(`${level}_code`)} FROM geo_units g
							JOIN ix_scope s ON s.code = g.code)`;

	await tx.execute(sql`DELETE FROM indicator_values r
		WHERE r.indicator_id IN ${indicatorIds} AND r.period IN (SELECT label FROM ix_periods)
			AND CASE r.level ${sql.join(
				LEVELS.map((level) => sql`WHEN ${level} THEN ${replaced(level)}`),
				sql` `
			)} END`);

	// From the village up: each level is its own base rows plus its children's stored rows.
	const bottomUp = [...LEVELS].reverse();
	for (const [i, level] of bottomUp.entries()) {
		const children =
			i === 0
				? sql``
				: sql`UNION ALL
					SELECT v.indicator_id, v.period, child.parent_code, v.programme, v.group_by,
						v.group_value, v.numerator, v.denominator
					FROM indicator_values v JOIN geo_units child ON child.code = v.geo_code
					WHERE v.indicator_id IN ${indicatorIds} AND v.level = ${bottomUp[i - 1]}
						AND v.period IN (SELECT label FROM ix_periods)`;
		await tx.execute(sql`INSERT INTO indicator_values (indicator_id, period, level, geo_code,
				programme, group_by, group_value, numerator, denominator, value)
			WITH rows AS (
				SELECT indicator_id, period, geo_code, programme, group_by, group_value,
					numerator, denominator
				FROM ix_base WHERE indicator_id IN ${indicatorIds} AND level = ${level}
				${children}
			), r AS (
				SELECT indicator_id, period, geo_code, programme, group_by, group_value,
					sum(numerator) AS numerator, sum(denominator) AS denominator
				FROM rows GROUP BY 1, 2, 3, 4, 5, 6
			)
			SELECT r.indicator_id, r.period, ${level}, r.geo_code, r.programme, r.group_by,
				r.group_value, r.numerator, r.denominator, ${value}
			FROM r JOIN ${units} USING (indicator_id)
			WHERE ${replaced(level)}`);
	}
}
