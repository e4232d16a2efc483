/**
 * Programme eligibility targets (`shared/domain.md` §4): terms joined by `&`, each one of
 * `idpoor`, `idpoor1`, `age>=N`, `age<N`, `sex=F`, `sex=M`, `disability`, `pregnant`, `all`.
 * Shared by the importer (which rejects a bad target) and the indicator engine.
 */

/** One parsed term of a target. */
export type TargetTerm =
	| { kind: 'idpoor' }
	| { kind: 'idpoor1' }
	| { kind: 'age_at_least'; years: number }
	| { kind: 'age_below'; years: number }
	| { kind: 'sex'; sex: 'F' | 'M' }
	| { kind: 'disability' }
	/** Reserved: there is no pregnancy data yet, so it never holds. */
	| { kind: 'pregnant' }
	| { kind: 'all' };

/** A target that failed to parse, with the 1-based character position of the fault. */
export class TargetSyntaxError extends Error {
	constructor(
		message: string,
		readonly position: number
	) {
		super(`${message} at position ${position}`);
	}
}

const SIMPLE_TERMS: Record<string, TargetTerm> = {
	idpoor: { kind: 'idpoor' },
	idpoor1: { kind: 'idpoor1' },
	disability: { kind: 'disability' },
	pregnant: { kind: 'pregnant' },
	all: { kind: 'all' },
	'sex=F': { kind: 'sex', sex: 'F' },
	'sex=M': { kind: 'sex', sex: 'M' }
};

// Ages above 130 cannot describe a living person; the bound catches typos such as `age>=600`.
const MAX_AGE = 130;

/** Parses a target string; throws TargetSyntaxError naming the position of the first bad term. */
export function parseTarget(target: string): TargetTerm[] {
	const terms: TargetTerm[] = [];
	let position = 1;
	for (const term of target.split('&')) {
		const termPosition = position;
		position += term.length + 1;
		if (term === '') throw new TargetSyntaxError('empty term', termPosition);
		const simple = SIMPLE_TERMS[term];
		if (simple) {
			terms.push(simple);
			continue;
		}
		const age = /^age(>=|<)(\d+)$/.exec(term);
		if (age) {
			const years = Number(age[2]);
			if (years > MAX_AGE)
				throw new TargetSyntaxError(`age ${years} is out of range`, termPosition);
			terms.push(age[1] === '>=' ? { kind: 'age_at_least', years } : { kind: 'age_below', years });
			continue;
		}
		throw new TargetSyntaxError(
			`unknown term "${term}" (expected idpoor, idpoor1, age>=N, age<N, sex=F, sex=M, disability, pregnant or all)`,
			termPosition
		);
	}
	return terms;
}
