import { describe, expect, it } from 'vitest';
import { identifier, sql } from './sql';

describe('sql', () => {
	it('turns values into parameters and inlines only identifiers, quoted', () => {
		const period = "2026-10' OR 1=1 --";
		expect(
			sql`SELECT DISTINCT programme FROM ${identifier('commune')} WHERE period = ${period} AND suppressed = ${false}`
		).toEqual({
			sql: 'SELECT DISTINCT programme FROM "commune" WHERE period = ? AND suppressed = ?',
			params: [period, false]
		});
	});

	it('doubles quotes inside an identifier', () => {
		expect(sql`SELECT ${identifier('a"b')}`.sql).toBe('SELECT "a""b"');
	});

	it('leaves a statement without values as it is', () => {
		expect(sql`SELECT 1`).toEqual({ sql: 'SELECT 1', params: [] });
	});
});
