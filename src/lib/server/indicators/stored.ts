/**
 * Where each indicator's stored rows are. Most indicators have a row per unit, period,
 * programme and group in `indicator_values` (numerator, denominator, value). The five programme
 * indicators share one row of counts in `programme_values` (see `programme-indicators.ts`),
 * which `storedValues` shows in the same shape, so readers need not know.
 */
import { sql, type SQL } from 'drizzle-orm';

/** Each programme indicator's numerator and denominator among `programme_values`' counts. */
const PROGRAMME_VALUES: Record<string, { numerator: string; denominator: string | null }> = {
	eligible: { numerator: 'e', denominator: null },
	enrolment_coverage: { numerator: 'en', denominator: 'e' },
	take_up: { numerator: 'ab', denominator: 'a' },
	effective_coverage: { numerator: 'eb', denominator: 'e' },
	inclusion_outside_target: { numerator: 'n_not_e', denominator: 'n' }
};

/**
 * The stored rows of indicator `id` as a relation with the columns of `indicator_values`
 * (`indicator_id`, `period`, `level`, `geo_code`, `programme`, `group_by`, `group_value`,
 * `numerator`, `denominator`, `value`), sparse as it is: no row where the numerator and the
 * denominator are both zero. Filters on it reach the table's key.
 */
export function storedValues(id: string): SQL {
	const columns = PROGRAMME_VALUES[id];
	if (!columns) return sql`indicator_values`;
	const numerator = sql`${sql.identifier(columns.numerator)}`;
	const denominator = columns.denominator
		? sql`${sql.identifier(columns.denominator)}`
		: sql`NULL::double precision`;
	// Counts are their own value; the programme rates are fractions (`%` in the catalogue).
	const value = columns.denominator
		? sql`CASE WHEN ${denominator} > 0 THEN ${numerator} / ${denominator} END`
		: numerator;
	return sql`(SELECT ${id}::text AS indicator_id, period, level, geo_code, programme, group_by,
			group_value, ${numerator} AS numerator, ${denominator} AS denominator, ${value} AS value
		FROM programme_values
		WHERE ${numerator} <> 0 OR coalesce(${denominator}, 0) <> 0)`;
}
