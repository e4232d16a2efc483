/**
 * Programme eligibility targets (domain.md §4): terms joined by `&`, each one of `idpoor`,
 * `idpoor1`, `age>=N`, `age<N`, `sex=F`, `sex=M`, `disability`, `pregnant` (always false:
 * no data yet) or `all`. For a household programme each term must hold for the household or
 * for at least one member; for a person programme, for the person. The generator needs both
 * a point test (is this unit eligible on day D?) and the windows of days a unit is eligible,
 * to date its applications and exits.
 */
import type { TargetTerm } from '../../src/lib/indicators/target';
import { ageAt, birthdayAt } from './dates';

// The grammar is the portal's own (the importer rejects what it cannot parse); the generator
// adds only evaluation over its in-memory households.
export { parseTarget, TargetSyntaxError, type TargetTerm } from '../../src/lib/indicators/target';

/** The person attributes a target looks at. Days are day numbers (see dates.ts). */
export interface TargetPerson {
	sex: 'F' | 'M';
	birth: number;
	disability: boolean;
}

/** The household attributes a target looks at. */
export interface TargetHousehold {
	/** 0 = not IDPoor. */
	idpoorLevel: 0 | 1 | 2;
	members: TargetPerson[];
}

/** A half-open range of days [start, end). */
export type Window = [number, number];

function householdTerm(term: TargetTerm, household: TargetHousehold): boolean | null {
	switch (term.kind) {
		case 'idpoor':
			return household.idpoorLevel > 0;
		case 'idpoor1':
			return household.idpoorLevel === 1;
		case 'all':
			return true;
		case 'pregnant':
			return false;
		default:
			return null; // a person-level term
	}
}

function personTerm(term: TargetTerm, person: TargetPerson, day: number): boolean {
	switch (term.kind) {
		case 'sex':
			return person.sex === term.sex;
		case 'disability':
			return person.disability;
		case 'age_at_least':
			return ageAt(person.birth, day) >= term.years;
		case 'age_below':
			return ageAt(person.birth, day) < term.years;
		default:
			return false;
	}
}

/**
 * Whether a unit meets the target on `day`: the household (person === undefined) or the
 * given member. Someone not yet born is nobody: they satisfy no term.
 */
export function isEligible(
	terms: readonly TargetTerm[],
	household: TargetHousehold,
	person: TargetPerson | undefined,
	day: number
): boolean {
	if (person && person.birth > day) return false;
	return terms.every((term) => {
		const onHousehold = householdTerm(term, household);
		if (onHousehold !== null) return onHousehold;
		if (person) return personTerm(term, person, day);
		return household.members.some((m) => m.birth <= day && personTerm(term, m, day));
	});
}

/** The days [start, end) on which one person-level term holds for a person (from birth). */
function personTermWindow(term: TargetTerm, person: TargetPerson): Window | null {
	switch (term.kind) {
		case 'sex':
			return person.sex === term.sex ? [person.birth, Infinity] : null;
		case 'disability':
			return person.disability ? [person.birth, Infinity] : null;
		case 'age_at_least':
			return [birthdayAt(person.birth, term.years), Infinity];
		case 'age_below':
			return term.years > 0 ? [person.birth, birthdayAt(person.birth, term.years)] : null;
		default:
			return null;
	}
}

/**
 * The windows of days within [from, to) on which the unit meets the target, sorted and
 * disjoint. Agrees with `isEligible` on every day.
 */
export function eligibleWindows(
	terms: readonly TargetTerm[],
	household: TargetHousehold,
	person: TargetPerson | undefined,
	from: number,
	to: number
): Window[] {
	let result: Window[] = from < to ? [[from, to]] : [];
	if (person) result = intersect(result, [[person.birth, Infinity]]);
	for (const term of terms) {
		if (result.length === 0) break;
		const onHousehold = householdTerm(term, household);
		if (onHousehold !== null) {
			if (!onHousehold) return [];
			continue;
		}
		const people = person ? [person] : household.members;
		const windows = people.flatMap((p) => {
			const w = personTermWindow(term, p);
			return w ? [w] : [];
		});
		result = intersect(result, union(windows));
	}
	return result.filter(([a, b]) => b > a);
}

/** Union of windows, as sorted disjoint windows (touching windows merge). */
export function union(windows: readonly Window[]): Window[] {
	const sorted = windows.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
	const out: Window[] = [];
	for (const [a, b] of sorted) {
		const last = out[out.length - 1];
		if (last && a <= last[1]) last[1] = Math.max(last[1], b);
		else out.push([a, b]);
	}
	return out;
}

/** Intersection of two lists of sorted disjoint windows. */
export function intersect(x: readonly Window[], y: readonly Window[]): Window[] {
	const out: Window[] = [];
	let i = 0;
	let j = 0;
	while (i < x.length && j < y.length) {
		const a = x[i] as Window;
		const b = y[j] as Window;
		const start = Math.max(a[0], b[0]);
		const end = Math.min(a[1], b[1]);
		if (end > start) out.push([start, end]);
		if (a[1] < b[1]) i++;
		else j++;
	}
	return out;
}
