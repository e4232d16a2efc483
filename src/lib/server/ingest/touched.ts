/**
 * What an import changes for the indicators, read from the staged rows before the upsert
 * (so a household moving village touches both villages): the communes of the villages, old and
 * new, of the rows that are new or changed (a row a file repeats as it is stored touches
 * nothing), and the earliest date that matters (every period, for the registry
 * feeds whose rows change how older records count). The incremental refresh then
 * recomputes only those communes, for the periods ending on or after that date.
 *
 * Reference feeds (gazetteer, population, offices, programmes) change every unit or every
 * eligibility rule: they touch everything.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Tx } from '../db';
import type { FeedName, FeedSpec } from './feeds';
import { MEDIAN_INDICATORS, type MedianIndicator } from '../indicators/medians';
import { castColumn } from './staged';
import { BEFORE_EVERY_PERIOD } from '../../indicators/periods';

/**
 * Everything, or some communes from a date on; `medians`: the median indicators a touched row
 * can change, in the catalogue's order (the days to decide an application count by the
 * household's village and IDPoor level, so applications and the households that have them;
 * the days to close an appeal by the appeal's own village, so appeals only; a new household
 * has no application yet).
 */
export type Touch =
	'all' | { communes: string[]; since: string; medians: readonly MedianIndicator[] };

/** A date before every period. */
const EVER = sql`${BEFORE_EVERY_PERIOD}::date`;

/**
 * Which staged rows and stored rows count: a good staged row that is new or differs from the
 * stored row it replaces in a column of the feed an indicator reads (`fresh`, over `s`), and a
 * stored row that a good staged row changes there (`changed(alias)`, the stored row as `alias`
 * beside its staged `s`). A row a file repeats as it is (a corrected spreadsheet uploaded again
 * whole), or with changes only in columns no indicator reads (`UNREAD`), touches nothing.
 */
interface Changes {
	fresh: SQL;
	changed: (stored: string) => SQL;
}

/**
 * The columns of the registry feeds that no stored indicator reads (see `indicators/`): a row
 * that changes only in these (a name's spelling, an amount, an appeal's channel) touches
 * nothing. A changed name or national ID may change possible-duplicate flags, whose households
 * are touched apart (`householdsTouch`). An indicator that comes to read one of these columns
 * must take it off this list.
 */
const UNREAD: Partial<Record<FeedName, readonly string[]>> = {
	households: ['office_code'],
	members: ['full_name', 'national_id', 'relationship'],
	applications: ['person_id', 'office_code'],
	benefits: ['period', 'amount_khr', 'kind'],
	appeals: ['household_id', 'programme_code', 'channel', 'category']
};

function changesOf(feed: FeedSpec): Changes {
	const table = sql.identifier(feed.table);
	const sameKey = (stored: string) =>
		sql.join(
			feed.key.map(
				(k) => sql`${sql.identifier(stored)}.${sql.identifier(k)} = ${castColumn(feed, k)}`
			),
			sql` AND `
		);
	const unread = UNREAD[feed.name] ?? [];
	for (const name of unread)
		if (!feed.columns.some((c) => c.name === name))
			throw new Error(`UNREAD names ${name}, not a column of the ${feed.name} feed`);
	const values = feed.columns.filter((c) => !feed.key.includes(c.name) && !unread.includes(c.name));
	const differs = (stored: string) =>
		sql`(${sql.join(
			values.map((c) => sql`${sql.identifier(stored)}.${sql.identifier(c.name)}`),
			sql`, `
		)}) IS DISTINCT FROM (${sql.join(
			values.map((c) => castColumn(feed, c.name)),
			sql`, `
		)})`;
	return {
		fresh: sql`s.error IS NULL AND NOT EXISTS (SELECT 1 FROM ${table} o
			WHERE ${sameKey('o')} AND NOT ${differs('o')})`,
		changed: (stored) => sql`s.error IS NULL AND ${differs(stored)}`
	};
}

/**
 * Per feed: (village, date, median) rows of the staged rows `s` that are new or changed and
 * of the stored rows they change; `median`: the median indicator the row can change, if any
 * (see `Touch`).
 */
const TOUCHED_ROWS: Partial<Record<FeedName, (c: Changes) => SQL>> = {
	// A household's or member's village, IDPoor level, age, sex or disability also changes how
	// its earlier applications, enrolments and benefits count: every period. A new household
	// (or member) has none of these yet, and counts only once its household is registered:
	// from that date (the stored rows, which would say every period, do not exist).
	households: (c) => sql`SELECT s.village_code, s.registered_on::date AS since, NULL AS median
		FROM import_stage s
		WHERE ${c.fresh}
		UNION ALL SELECT h.village_code, ${EVER}, 'processing_days_median' FROM households h
		JOIN import_stage s ON s.household_id = h.household_id WHERE ${c.changed('h')}`,
	members: (c) => sql`SELECT h.village_code, h.registered_on AS since, NULL AS median
		FROM import_stage s
		JOIN households h ON h.household_id = s.household_id WHERE ${c.fresh}
		UNION ALL SELECT h.village_code, ${EVER}, NULL FROM members m
		JOIN import_stage s ON s.person_id = m.person_id
		JOIN households h ON h.household_id = m.household_id WHERE ${c.changed('m')}`,
	applications: (c) => sql`SELECT h.village_code, s.applied_on::date AS since,
		'processing_days_median' AS median
		FROM import_stage s
		JOIN households h ON h.household_id = s.household_id WHERE ${c.fresh}
		UNION ALL SELECT h.village_code, a.applied_on, 'processing_days_median' FROM applications a
		JOIN import_stage s ON s.application_id = a.application_id
		JOIN households h ON h.household_id = a.household_id WHERE ${c.changed('a')}`,
	// An enrolment's benefits may be dated before it (a data-quality issue that still counts).
	enrolments: (c) => sql`SELECT h.village_code, ${EVER} AS since, NULL AS median
		FROM import_stage s
		JOIN households h ON h.household_id = s.household_id WHERE ${c.fresh}
		UNION ALL SELECT h.village_code, ${EVER}, NULL FROM enrolments e
		JOIN import_stage s ON s.enrolment_id = e.enrolment_id
		JOIN households h ON h.household_id = e.household_id WHERE ${c.changed('e')}`,
	benefits: (c) => sql`SELECT h.village_code, s.delivered_on::date AS since, NULL AS median
		FROM import_stage s
		JOIN enrolments e ON e.enrolment_id = s.enrolment_id
		JOIN households h ON h.household_id = e.household_id WHERE ${c.fresh}
		UNION ALL SELECT h.village_code, b.delivered_on, NULL FROM benefits b
		JOIN import_stage s ON s.benefit_id = b.benefit_id
		JOIN enrolments e ON e.enrolment_id = b.enrolment_id
		JOIN households h ON h.household_id = e.household_id WHERE ${c.changed('b')}`,
	appeals: (
		c
	) => sql`SELECT s.village_code, s.lodged_on::date AS since, 'appeal_days_median' AS median
		FROM import_stage s
		WHERE ${c.fresh}
		UNION ALL SELECT a.village_code, a.lodged_on, 'appeal_days_median' FROM appeals a
		JOIN import_stage s ON s.appeal_id = a.appeal_id WHERE ${c.changed('a')}`
};

/**
 * What the staged good rows that are new or changed touch; call inside the import, before
 * the upsert.
 */
export async function collectTouch(tx: Tx, feed: FeedSpec): Promise<Touch | undefined> {
	const rows = TOUCHED_ROWS[feed.name];
	return rows ? touchOf(tx, rows(changesOf(feed))) : 'all';
}

/**
 * What the households listed in `table` (column `household_id`) touch from their
 * registration on: after an import of members changed their members' possible-duplicate
 * flags, which they count in from then (a partner may live in any village).
 */
export function householdsTouch(tx: Tx, table: string): Promise<Touch | undefined> {
	return touchOf(
		tx,
		sql`SELECT h.village_code, h.registered_on AS since, NULL AS median FROM households h
			WHERE h.household_id IN (SELECT household_id FROM ${sql.identifier(table)})`
	);
}

/** The communes, earliest date and medians of `rows` (see `TOUCHED_ROWS`); none for no row. */
async function touchOf(tx: Tx, rows: SQL): Promise<Touch | undefined> {
	// Per median indicator, whether a row can change it: m0, m1, … in `MEDIAN_INDICATORS`' order.
	const flags = (of: (i: number) => SQL) =>
		sql.join(
			MEDIAN_INDICATORS.map((_, i) => sql`bool_or(${of(i)}) AS ${sql.identifier(`m${i}`)}`),
			sql`, `
		);
	const [touch] = await queryRows<{
		communes: string[] | null;
		since: string | null;
		[flag: string]: unknown;
	}>(
		tx,
		// Grouped by village first (one hash aggregate; a DISTINCT inside array_agg would sort
		// every staged row), then by commune.
		sql`WITH v AS (SELECT t.village_code, min(t.since) AS since,
					${flags((i) => sql`t.median = ${MEDIAN_INDICATORS[i]!}`)}
				FROM (${rows}) t GROUP BY 1),
			c AS (SELECT g.commune_code, min(v.since) AS since,
					${flags((i) => sql`v.${sql.identifier(`m${i}`)}`)} FROM v
				JOIN geo_units g ON g.code = v.village_code GROUP BY 1)
			SELECT array_agg(commune_code ORDER BY commune_code) AS communes,
				to_char(min(since), 'YYYY-MM-DD') AS since,
				${flags((i) => sql`c.${sql.identifier(`m${i}`)}`)} FROM c`
	);
	// No row touched any village (rows changed only where no indicator reads): nothing.
	if (!touch?.communes || !touch.since) return undefined;
	return {
		communes: touch.communes,
		since: touch.since,
		medians: MEDIAN_INDICATORS.filter((_, i) => touch[`m${i}`] === true)
	};
}

/** Two imports' touches together. */
export function mergeTouch(a: Touch | undefined, b: Touch | undefined): Touch | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	if (a === 'all' || b === 'all') return 'all';
	return {
		communes: [...new Set([...a.communes, ...b.communes])].sort(),
		since: a.since < b.since ? a.since : b.since,
		medians: MEDIAN_INDICATORS.filter((m) => a.medians.includes(m) || b.medians.includes(m))
	};
}
