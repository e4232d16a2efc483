/**
 * Programme eligibility (`shared/domain.md` §4) as SQL: a programme's parsed `target` becomes
 * conditions on the household (`idpoor`, `idpoor1`) and on one member (`sex`, `disability`,
 * `pregnant`), and bounds from the member's ages (`age`) on the period ends at which it holds.
 *
 * For a person programme every term must hold for the person (household terms for the
 * person's household). For a household programme the household terms must hold for the
 * household and the member terms for at least one member, the same member for all of them:
 * `idpoor&age>=6&age<18` is a poor household with a child of school age, not a poor
 * household with a 3-year-old and a 30-year-old.
 *
 * Ages are in completed years at the period's end, counted as Postgres's `age()` does.
 */
import { sql, type SQL } from 'drizzle-orm';
import { parseTarget } from '../../indicators/target';

/**
 * The column of `ix_periods` holding the last birth date of a person aged at least `years` at
 * the period's end (`end_date - years`, as Postgres's `age()` counts: someone born on 29
 * February turns a year older on 1 March in other years). See `addAgeCutoffs`; a person is
 * at least `years` old at the end when born on or before it.
 */
export function ageCutoffColumn(years: number): string {
	return `born_by_${years}`;
}

/**
 * A target as bounds on period-end indices, for counting eligible units from one row per
 * unit (or group of alike units, `u`) instead of one per unit and period. Period ends are
 * numbered 1…K in date order; a unit row carries `r` (how many ends fall before its household's
 * registration) and, per age Y, `a_Y` (how many ends' cut-off birth dates fall before its birth
 * date: see `ageIndexColumn`). Then, at end k:
 *
 * - registered ⟺ k > r;
 * - aged at least Y ⟺ k > a_Y (cut-offs grow with k, so those before the birth date come first);
 * - aged below Z ⟺ k ≤ a_Z.
 *
 * So every target holds on one run of ends, `greatest(r, a_Y…) < k ≤ least(K, a_Z…)`, when its
 * other terms (on `u.idpoor_level`, `u.sex`, `u.disability`) hold.
 */
export interface EligibilityBounds {
	/** Conditions on the household's terms, over `u.idpoor_level` (at least `TRUE`). */
	household: SQL;
	/** Conditions on the member's terms other than ages, over `u.sex`, `u.disability`. */
	member: SQL;
	/** The ages Y of `age>=Y` terms. */
	from: number[];
	/** The ages Z of `age<Z` terms. */
	until: number[];
	/** Whether any term is about a member. */
	needsMember: boolean;
}

/** The column of a unit row counting the period ends before which it is not yet `years` old. */
export function ageIndexColumn(years: number): string {
	return `a_${years}`;
}

/**
 * A target's terms by what they test (all must hold): the household's IDPoor level, the
 * member's sex and disability, and ages. Both ways of counting read targets through this: SQL
 * conditions (`eligibilityBounds`) and the streamed counts (`streamed-counts.ts`).
 */
export interface TargetTests {
	/** `idpoor`: any IDPoor level; `idpoor1`: level 1; undefined: any household. */
	idpoor?: 'idpoor' | 'idpoor1';
	sex?: 'F' | 'M';
	disability: boolean;
	/** A term that never holds: `pregnant` (no data yet), or both sexes required. */
	never: boolean;
	/** The ages Y of `age>=Y` terms and Z of `age<Z` terms. */
	from: number[];
	until: number[];
	/** Whether any term is about a member. */
	needsMember: boolean;
}

export function targetTests(target: string): TargetTests {
	const tests: TargetTests = {
		disability: false,
		never: false,
		from: [],
		until: [],
		needsMember: false
	};
	for (const term of parseTarget(target)) {
		if (term.kind === 'idpoor') tests.idpoor ??= 'idpoor';
		else if (term.kind === 'idpoor1') tests.idpoor = 'idpoor1';
		else if (term.kind === 'sex') {
			if (tests.sex && tests.sex !== term.sex) tests.never = true;
			tests.sex = term.sex;
		} else if (term.kind === 'disability') tests.disability = true;
		else if (term.kind === 'pregnant') tests.never = true;
		else if (term.kind === 'age_at_least') tests.from.push(term.years);
		else if (term.kind === 'age_below') tests.until.push(term.years);
	}
	tests.needsMember =
		tests.sex !== undefined ||
		tests.disability ||
		tests.never ||
		tests.from.length + tests.until.length > 0;
	return tests;
}

export function eligibilityBounds(target: string): EligibilityBounds {
	const tests = targetTests(target);
	const household: SQL[] = [];
	const member: SQL[] = [];
	if (tests.idpoor === 'idpoor') household.push(sql`u.idpoor_level IS NOT NULL`);
	if (tests.idpoor === 'idpoor1') household.push(sql`u.idpoor_level = 1`);
	if (tests.sex) member.push(sql`u.sex = ${tests.sex}`);
	if (tests.disability) member.push(sql`u.disability`);
	if (tests.never) member.push(sql`FALSE`);
	const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` AND `) : sql`TRUE`);
	return {
		household: and(household),
		member: and(member),
		from: tests.from,
		until: tests.until,
		needsMember: tests.needsMember
	};
}
