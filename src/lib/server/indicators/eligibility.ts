/**
 * Programme eligibility (`shared/domain.md` §4) as SQL: a programme's parsed `target` becomes
 * conditions on the household (`idpoor`, `idpoor1`) and on one member (`age`, `sex`,
 * `disability`, `pregnant`), evaluated at a date (the end of a period).
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

export interface Eligibility {
	/** Conditions on the household row `h` (always at least `TRUE`). */
	household: SQL;
	/** Conditions on the member row `m` at the end of period `p` (always at least `TRUE`). */
	member: SQL;
	/** Whether any term is about a member (a household programme then needs one who meets it). */
	needsMember: boolean;
	/** The ages the conditions compare with (each needs its cut-off column on `p`). */
	ages: number[];
}

/**
 * The column of period `p` holding the last birth date of a person aged at least `years` at
 * the period's end (`end_date - years`, as Postgres's `age()` counts: someone born on 29
 * February turns a year older on 1 March in other years). See `addAgeCutoffs`.
 */
export function ageCutoffColumn(years: number): string {
	return `born_by_${years}`;
}

/**
 * Whether a person born on `birthDate` is at least `years` old at the end of period `p`: a
 * date comparison with the period's cut-off, every age test of the engine in this one form.
 */
export function ageAtLeast(birthDate: SQL, years: number): SQL {
	return sql`${birthDate} <= p.${sql.identifier(ageCutoffColumn(years))}`;
}

/** SQL conditions for a programme's `target` (already validated at import). */
export function eligibilitySql(target: string): Eligibility {
	const household: SQL[] = [];
	const member: SQL[] = [];
	const ages: number[] = [];
	for (const term of parseTarget(target)) {
		switch (term.kind) {
			case 'all':
				break;
			case 'idpoor':
				household.push(sql`h.idpoor_level IS NOT NULL`);
				break;
			case 'idpoor1':
				household.push(sql`h.idpoor_level = 1`);
				break;
			case 'sex':
				member.push(sql`m.sex = ${term.sex}`);
				break;
			case 'disability':
				member.push(sql`m.disability IS TRUE`);
				break;
			case 'pregnant':
				// Reserved: the registry holds no pregnancy data yet, so the term never holds.
				member.push(sql`FALSE`);
				break;
			case 'age_at_least':
				member.push(ageAtLeast(sql`m.birth_date`, term.years));
				ages.push(term.years);
				break;
			case 'age_below':
				member.push(sql`NOT ${ageAtLeast(sql`m.birth_date`, term.years)}`);
				ages.push(term.years);
				break;
		}
	}
	const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` AND `) : sql`TRUE`);
	return {
		household: and(household),
		member: and(member),
		needsMember: member.length > 0,
		ages
	};
}
