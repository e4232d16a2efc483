import { describe, expect, it } from 'vitest';
import { parseTarget, TargetSyntaxError } from './target';

describe('parseTarget', () => {
	it('parses the examples of domain.md §4', () => {
		expect(parseTarget('idpoor&age<2')).toEqual([
			{ kind: 'idpoor' },
			{ kind: 'age_below', years: 2 }
		]);
		expect(parseTarget('age>=60&idpoor')).toEqual([
			{ kind: 'age_at_least', years: 60 },
			{ kind: 'idpoor' }
		]);
		expect(parseTarget('idpoor&age>=6&age<18')).toEqual([
			{ kind: 'idpoor' },
			{ kind: 'age_at_least', years: 6 },
			{ kind: 'age_below', years: 18 }
		]);
		expect(parseTarget('all')).toEqual([{ kind: 'all' }]);
		expect(parseTarget('sex=F&disability')).toEqual([
			{ kind: 'sex', sex: 'F' },
			{ kind: 'disability' }
		]);
		// The grammar has no spaces: a term with one is reported where it starts.
		expect(() => parseTarget('idpoor& all')).toThrow('unknown term " all"');
	});

	it('names the position of the first bad term', () => {
		expect(() => parseTarget('idpoor&age>=x')).toThrow(
			'unknown term "age>=x" (expected idpoor, idpoor1, age>=N, age<N, sex=F, sex=M, disability, pregnant or all) at position 8'
		);
		expect(() => parseTarget('idpoor&&all')).toThrow('empty term at position 8');
		expect(() => parseTarget('age<200')).toThrow('age 200 is out of range at position 1');
		try {
			parseTarget('all&sex=X');
		} catch (error) {
			expect(error).toBeInstanceOf(TargetSyntaxError);
			expect((error as TargetSyntaxError).position).toBe(5);
		}
		expect.assertions(5);
	});
});
