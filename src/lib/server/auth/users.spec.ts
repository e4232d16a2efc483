import { describe, expect, it } from 'vitest';
import {
	AccountInputError,
	accessSchema,
	newUserSchema,
	parseAccountInput,
	usernameSchema,
	userIdSchema
} from './users';

/** The error message for bad input, or `ok`. */
function problem(schema: Parameters<typeof parseAccountInput>[0], input: unknown): string {
	try {
		parseAccountInput(schema, input);
		return 'ok';
	} catch (e) {
		if (e instanceof AccountInputError) return e.message;
		throw e;
	}
}

describe('account validation', () => {
	it('rejects a provincial account without provinces', () => {
		expect(problem(accessSchema, { role: 'province', provinces: [] })).toBe(
			'Provinces: a provincial account needs at least one province.'
		);
		expect(problem(accessSchema, { role: 'province', provinces: '  ' })).toBe(
			'Provinces: a provincial account needs at least one province.'
		);
		expect(problem(accessSchema, { role: 'province' })).toBe(
			'Provinces: a provincial account needs at least one province.'
		);
	});

	it('rejects province codes that are not 2 digits', () => {
		const message = 'Provinces: each must be a 2-digit province code such as 01 or 17.';
		for (const code of ['1', '170', 'SR', '1a', ' 17x'])
			expect(problem(accessSchema, { role: 'province', provinces: [code] })).toBe(message);
		expect(problem(accessSchema, { role: 'province', provinces: '17, 1701' })).toBe(message);
	});

	it('parses a form field of codes, keeps leading zeros, sorts and de-duplicates', () => {
		expect(
			parseAccountInput(accessSchema, { role: 'province', provinces: '17, 05 01;17' })
		).toEqual({
			role: 'province',
			provinces: ['01', '05', '17']
		});
	});

	it('drops provinces for roles that are not provincial', () => {
		expect(parseAccountInput(accessSchema, { role: 'national', provinces: '17' })).toEqual({
			role: 'national',
			provinces: []
		});
	});

	it('rejects an unknown role', () => {
		expect(problem(accessSchema, { role: 'superuser', provinces: [] })).toBe(
			'Role: one of partner, province, national, admin.'
		);
	});

	it('lower-cases and trims usernames and rejects odd ones', () => {
		expect(parseAccountInput(usernameSchema, '  Sok.Dara ')).toBe('sok.dara');
		const message =
			'Username: 3 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.';
		for (const bad of ['ab', '-dara', 'sok dara', 'dara@example.org', 'x'.repeat(65)])
			expect(problem(usernameSchema, bad)).toBe(message);
	});

	it('requires passwords of at least 10 characters and lists every problem at once', () => {
		expect(
			problem(newUserSchema, { username: 'a', password: 'short', role: 'province', provinces: [] })
		).toBe(
			'Username: 3 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit. ' +
				'Password: at least 10 characters. ' +
				'Provinces: a provincial account needs at least one province.'
		);
		expect(
			parseAccountInput(newUserSchema, {
				username: 'dara',
				password: '0123456789',
				role: 'partner'
			})
		).toEqual({ username: 'dara', password: '0123456789', role: 'partner', provinces: [] });
	});

	it('reads user ids from form fields', () => {
		expect(parseAccountInput(userIdSchema, '12')).toBe(12);
		expect(problem(userIdSchema, 'x')).toBe('Unknown user.');
		expect(problem(userIdSchema, null)).toBe('Unknown user.');
	});
});
