import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readRows } from './read-rows';

const dir = mkdtempSync(path.join(tmpdir(), 'ssdm-read-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What csv-parse makes of the bytes with the importer's options: rows, or its error. */
function reference(bytes: Buffer): string[][] | string {
	try {
		return parse(bytes, {
			bom: true,
			trim: true,
			skip_empty_lines: true,
			relax_column_count: true
		});
	} catch (error) {
		return (error as Error).message;
	}
}

let files = 0;
async function read(bytes: Buffer): Promise<string[][] | string> {
	const file = path.join(dir, `f${files++}.csv`);
	writeFileSync(file, bytes);
	const rows: string[][] = [];
	try {
		for await (const row of readRows(file).rows) rows.push(row);
	} catch (error) {
		return (error as Error).message;
	}
	return rows;
}

// Characters on which CSV readers disagree: separators, quotes, line ends, blanks of every
// kind csv-parse trims, a BOM, and ordinary and non-ASCII letters.
const tricky = fc.constantFrom(
	',',
	'"',
	'""',
	' ',
	'\t',
	'\r',
	'\n',
	'\r\n',
	'\u00a0',
	'\u2003',
	'\ufeff',
	'\u000b',
	'a',
	'B',
	'1',
	'é',
	'ក',
	'\\',
	"'"
);
const text = fc.array(tricky, { maxLength: 60 }).map((parts) => parts.join(''));

describe('readRows (CSV)', () => {
	it('gives exactly the rows csv-parse gives, or its error', async () => {
		await fc.assert(
			fc.asyncProperty(text, fc.boolean(), async (body, bom) => {
				const bytes = Buffer.from((bom ? '\ufeff' : '') + body, 'utf8');
				expect(await read(bytes)).toEqual(reference(bytes));
			}),
			{ numRuns: 3000, seed: 20261125 }
		);
	});

	it('agrees with csv-parse across chunk boundaries of a large file', async () => {
		const lines = ['person_id,full_name,national_id'];
		for (let i = 0; i < 60_000; i++) {
			lines.push(i % 997 === 0 ? ` P${i} , "Sok, ""Dara"" ${i}" ,  ` : `P${i},Person ${i},${i}`);
		}
		for (const eol of ['\n', '\r\n']) {
			const plain = Buffer.from(lines.join(eol) + eol);
			expect(await read(plain)).toEqual(reference(plain));
			// A quoted line break late in the file: the rest goes to csv-parse.
			const late = Buffer.from(lines.join(eol) + eol + 'P-x,"two' + eol + 'lines",1' + eol);
			expect(await read(late)).toEqual(reference(late));
		}
	});
});
