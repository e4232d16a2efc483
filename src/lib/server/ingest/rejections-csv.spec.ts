import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { rejectionsCsv } from './rejections-csv';

describe('rejectionsCsv', () => {
	it('keeps the original columns and appends error_column and error, quoting as needed', () => {
		const csv = rejectionsCsv([
			{
				row: { household_id: 'H3', village_code: '170101', note: 'a, "b"' },
				column: 'village_code',
				error: 'code at the wrong level'
			},
			{
				row: { household_id: 'H4', village_code: '17010101', note: '' },
				column: 'household_id',
				error: 'duplicate'
			}
		]);
		expect(csv).toBe(
			'household_id,village_code,note,error_column,error\n' +
				'H3,170101,"a, ""b""",village_code,code at the wrong level\n' +
				'H4,17010101,,household_id,duplicate\n'
		);
		expect((parse(csv, { columns: true }) as Record<string, string>[])[0]!.note).toBe('a, "b"');
	});
});
