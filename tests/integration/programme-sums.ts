/**
 * Checks of the stored programme counts (`programme_values`) against their own definitions as
 * sums, for the property tests: every unit's counts are its children's summed, and all
 * programmes' are every programme's summed.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/lib/server/db';

const COUNTS = ['e', 'en', 'n', 'n_not_e', 'a', 'ab', 'eb'];
const sums = (alias: string) => sql.raw(COUNTS.map((c) => `sum(${alias}.${c}) AS ${c}`).join(', '));
const differ = sql.raw(
	COUNTS.map((c) => `coalesce(p.${c}, 0) <> coalesce(c.${c}, 0)`).join(' OR ')
);

/** Programme counts whose sums differ from their children's (villages have totals only). */
export function programmeRollUpViolations(db: Db) {
	return queryRows(
		db,
		sql`WITH children AS (
				SELECT v.period, g.parent_code AS geo_code, v.programme, v.group_by, v.group_value,
					${sums('v')}
				FROM programme_values v JOIN geo_units g ON g.code = v.geo_code
				WHERE v.level <> 'national' AND NOT (v.level = 'village' AND v.group_by <> '')
				GROUP BY 1, 2, 3, 4, 5
			)
			SELECT c.* FROM children c LEFT JOIN programme_values p ON p.period = c.period
				AND p.geo_code = c.geo_code AND p.programme = c.programme AND p.group_by = c.group_by
				AND p.group_value = c.group_value
			WHERE ${differ}`
	);
}

/**
 * Rows of all programmes together (programme `''`: the totals and IDPoor groups) that differ
 * from the programmes' rows summed, either way (a row on one side only counts as zero).
 */
export function allProgrammesViolations(db: Db) {
	return queryRows(
		db,
		sql`WITH c AS (
				SELECT period, geo_code, group_by, group_value, ${sums('v')}
				FROM programme_values v
				WHERE programme <> '' AND group_by IN ('', 'idpoor')
				GROUP BY 1, 2, 3, 4
			), p AS (SELECT * FROM programme_values WHERE programme = '')
			SELECT coalesce(c.period, p.period) AS period, coalesce(c.geo_code, p.geo_code) AS geo_code,
				coalesce(c.group_by, p.group_by) AS group_by,
				coalesce(c.group_value, p.group_value) AS group_value
			FROM c FULL JOIN p ON p.period = c.period AND p.geo_code = c.geo_code
				AND p.group_by = c.group_by AND p.group_value = c.group_value
			WHERE ${differ}`
	);
}
