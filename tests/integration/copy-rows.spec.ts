/**
 * The binary `COPY` reader of the full refresh's streamed counts (`copy-rows.ts`), on
 * Postgres: fields of every type it reads, NULLs, text with tabs, line breaks, backslashes and
 * Khmer, rows larger than the stream's chunks, and the batches by key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresClient } from '../../src/lib/server/db';
import { streamKeyedRows, type CopyRow } from '../../src/lib/server/indicators/copy-rows';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

describe.skipIf(!DATABASE_KINDS.includes('postgres'))('COPY rows streamed by key', () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase('postgres');
	});
	afterAll(() => database.drop());

	/** The rows of `query` as `read` decodes them, and the keys flushed, in order. */
	async function stream<T>(query: string, read: (row: CopyRow) => T) {
		const rows: T[] = [];
		const flushed: { key: number; rows: number }[] = [];
		await database.db.transaction(async (tx) => {
			await streamKeyedRows(
				postgresClient(tx)!,
				query,
				(row) => rows.push(read(row)),
				(key) => {
					flushed.push({ key, rows: rows.length });
					return undefined;
				}
			);
		});
		return { rows, flushed };
	}

	it('reads integers, booleans, text and NULLs as written', async () => {
		const { rows, flushed } = await stream(
			`SELECT k, t, n, b FROM (VALUES
				(1, E'a\\tb', 5, true),
				(1, E'line\\nbreak \\\\ ភូមិ', NULL, NULL),
				(3, '', -7, false),
				(4, NULL, 2147483647, true)
			) v (k, t, n, b) ORDER BY k`,
			(row) => ({
				key: row.int(0),
				text: row.isNull(1) ? null : row.text(1),
				number: row.isNull(2) ? null : row.int(2),
				flag: row.bool(3)
			})
		);
		expect(rows).toEqual([
			{ key: 1, text: 'a\tb', number: 5, flag: true },
			{ key: 1, text: 'line\nbreak \\ ភូមិ', number: null, flag: false },
			{ key: 3, text: '', number: -7, flag: false },
			{ key: 4, text: null, number: 2147483647, flag: true }
		]);
		// Each key's rows complete before the next key's first row is read.
		expect(flushed).toEqual([
			{ key: 1, rows: 2 },
			{ key: 3, rows: 3 },
			{ key: 4, rows: 4 }
		]);
	});

	it('reads rows split across the stream’s chunks, and rows larger than a chunk', async () => {
		const { rows, flushed } = await stream(
			`SELECT i / 1000, i, CASE WHEN i % 25000 = 0 THEN repeat('ក', 100000) ELSE 'P' || i END
				FROM generate_series(1, 100000) i ORDER BY i`,
			(row) => ({ key: row.int(0), i: row.int(1), length: row.text(2).length })
		);
		expect(rows).toHaveLength(100_000);
		expect(rows.every((r, index) => r.i === index + 1 && r.key === Math.floor(r.i / 1000))).toBe(
			true
		);
		// 'P1' … 'P99999' and four rows of 100,000 Khmer letters (300,000 bytes each).
		expect(rows.filter((r) => r.length === 100_000).map((r) => r.i)).toEqual([
			25000, 50000, 75000, 100000
		]);
		expect(flushed).toHaveLength(101);
		expect(flushed[0]).toEqual({ key: 0, rows: 999 });
		expect(flushed.at(-1)).toEqual({ key: 100, rows: 100_000 });
	});

	it('ends with the error of a flush that throws, and leaves the connection usable', async () => {
		let rows = 0;
		const answer = await database.db.transaction(async (tx) => {
			const client = postgresClient(tx)!;
			await expect(
				streamKeyedRows(
					client,
					`SELECT i / 1000, i FROM generate_series(1, 200000) i ORDER BY i`,
					() => rows++,
					(key) => {
						if (key === 5) throw new Error('the walk failed');
						return undefined;
					}
				)
			).rejects.toThrow('the walk failed');
			// The connection read the COPY to its end: it runs the next statement.
			return (await client.query('SELECT 41 + 1 AS answer')).rows[0].answer;
		});
		expect(answer).toBe(42);
		// Keys 0…5 (rows 1…5999) were decoded, then nothing more.
		expect(rows).toBe(5999);
	});

	it('fails with the query’s error', async () => {
		await expect(stream('SELECT 1 / 0', (row) => row.int(0))).rejects.toThrow(/division by zero/);
	});
});
