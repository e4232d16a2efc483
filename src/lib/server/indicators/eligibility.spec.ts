import { describe, expect, it } from 'vitest';
import { targetTests } from './eligibility';

describe('a target read as tests', () => {
	it('sorts its terms into the household’s, the member’s and the ages’', () => {
		expect(targetTests('idpoor&age>=6&age<18')).toEqual({
			idpoor: 'idpoor',
			disability: false,
			never: false,
			from: [6],
			until: [18],
			needsMember: true
		});
		expect(targetTests('sex=F&age>=18&age<60')).toEqual({
			sex: 'F',
			disability: false,
			never: false,
			from: [18],
			until: [60],
			needsMember: true
		});
		expect(targetTests('all')).toEqual({
			disability: false,
			never: false,
			from: [],
			until: [],
			needsMember: false
		});
	});

	it('keeps every term: level 1 over any level, both sexes or a pregnancy never hold', () => {
		expect(targetTests('idpoor&idpoor1').idpoor).toBe('idpoor1');
		expect(targetTests('idpoor1&idpoor').idpoor).toBe('idpoor1');
		expect(targetTests('sex=F&sex=M')).toMatchObject({ never: true, needsMember: true });
		expect(targetTests('sex=M&sex=M').never).toBe(false);
		expect(targetTests('idpoor&pregnant')).toMatchObject({ never: true, needsMember: true });
		expect(targetTests('disability&idpoor1')).toMatchObject({
			idpoor: 'idpoor1',
			disability: true,
			needsMember: true
		});
	});
});
