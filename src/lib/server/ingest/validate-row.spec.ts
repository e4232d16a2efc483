import { describe, expect, it } from 'vitest';
import { FEEDS } from './feeds';
import { ageInYears, isRealDate, validateRow } from './validate-row';

const context = { today: '2026-01-15' };

const household = {
	household_id: 'H1',
	village_code: '17010101',
	registered_on: '2025-03-01',
	idpoor_level: '1',
	office_code: 'CF-170101'
};
const member = {
	person_id: 'P1',
	household_id: 'H1',
	sex: 'F',
	birth_date: '1980-05-04',
	full_name: 'Sok Dara',
	national_id: '',
	disability: 'no',
	relationship: 'head'
};

describe('validateRow', () => {
	it('returns the values of a good row in column order, blanks as null', () => {
		expect(validateRow(FEEDS.households, household, context)).toEqual({
			ok: true,
			values: ['H1', '17010101', '2025-03-01', '1', 'CF-170101']
		});
		expect(validateRow(FEEDS.members, member, context)).toEqual({
			ok: true,
			values: ['P1', 'H1', 'F', '1980-05-04', 'Sok Dara', null, 'false', 'head']
		});
	});

	it.each([
		[{ household_id: '' }, 'household_id', 'household_id is empty'],
		[
			{ village_code: '170101' },
			'village_code',
			'code at the wrong level: 170101 is a commune code, expected a village code (8 digits)'
		],
		[
			{ village_code: '1701010' },
			'village_code',
			'"1701010" is not a geographic code: 7 digits (province 2, district 4, commune 6, village 8)'
		],
		[
			{ village_code: '17O10101' },
			'village_code',
			'"17O10101" is not a geographic code (digits only)'
		],
		[{ registered_on: '2023-02-30' }, 'registered_on', '2023-02-30 is not a real date'],
		[
			{ registered_on: '01/03/2025' },
			'registered_on',
			'"01/03/2025" is not a date written YYYY-MM-DD'
		],
		[{ registered_on: '2026-01-16' }, 'registered_on', '2026-01-16 is in the future'],
		[{ idpoor_level: '3' }, 'idpoor_level', 'bad value "3": expected one of 1, 2']
	])('rejects a household with %o', (change, column, error) => {
		expect(validateRow(FEEDS.households, { ...household, ...change }, context)).toEqual({
			ok: false,
			column,
			error
		});
	});

	it.each([
		[{ sex: 'X' }, 'sex', 'bad value "X": expected one of F, M'],
		[{ disability: 'maybe' }, 'disability', 'bad value "maybe": expected yes or no'],
		[{ birth_date: '2026-02-01' }, 'birth_date', '2026-02-01 is in the future'],
		[{ birth_date: '1905-01-15' }, 'birth_date', 'age 121 is over 120 years']
	])('rejects a member with %o', (change, column, error) => {
		expect(validateRow(FEEDS.members, { ...member, ...change }, context)).toEqual({
			ok: false,
			column,
			error
		});
	});

	it('accepts a member of exactly 120', () => {
		expect(validateRow(FEEDS.members, { ...member, birth_date: '1906-01-15' }, context).ok).toBe(
			true
		);
	});

	it('checks date order and the office code level', () => {
		const application = {
			application_id: 'A1',
			programme_code: 'HEF',
			household_id: 'H1',
			applied_on: '2025-05-10',
			status: 'approved',
			decided_on: '2025-05-09'
		};
		expect(validateRow(FEEDS.applications, application, context)).toEqual({
			ok: false,
			column: 'decided_on',
			error: 'decided_on 2025-05-09 is before applied_on 2025-05-10'
		});
		const office = {
			office_code: 'DB-1701',
			level: 'district_back',
			geo_code: '170101',
			opened_on: '2014-06-01'
		};
		expect(validateRow(FEEDS.offices, office, context)).toEqual({
			ok: false,
			column: 'geo_code',
			error:
				'code at the wrong level: 170101 is a commune code, expected a district code (4 digits)'
		});
	});

	it('parses programme targets at import', () => {
		const programme = {
			programme_code: 'OAA',
			name_en: 'Old-age allowance',
			kind: 'social_assistance',
			unit: 'person',
			target: 'age>=60&idpor'
		};
		expect(validateRow(FEEDS.programmes, programme, context)).toEqual({
			ok: false,
			column: 'target',
			error:
				'invalid target: unknown term "idpor" (expected idpoor, idpoor1, age>=N, age<N, sex=F, sex=M, disability, pregnant or all) at position 9'
		});
	});
});

describe('dates', () => {
	it('knows real dates, leap years included', () => {
		expect(isRealDate('2024-02-29')).toBe(true);
		expect(isRealDate('2025-02-29')).toBe(false);
		expect(isRealDate('2025-04-31')).toBe(false);
		expect(isRealDate('2025-4-30')).toBe(false);
	});

	it('counts whole years of age', () => {
		expect(ageInYears('2000-06-15', '2025-06-14')).toBe(24);
		expect(ageInYears('2000-06-15', '2025-06-15')).toBe(25);
		expect(ageInYears('2000-02-29', '2025-02-28')).toBe(24);
	});
});
