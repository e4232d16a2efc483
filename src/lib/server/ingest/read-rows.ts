/**
 * Reads an import file as a stream of rows of text cells: CSV (UTF-8, optional BOM) or the
 * first sheet of an XLSX workbook. Both are streamed, so file size does not bound memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

/** The rows of a file, and the SHA-256 of its bytes once the rows have been read. */
export interface RowSource {
	rows: AsyncIterable<string[]>;
	checksum(): string;
	/** Share of the file read so far (0–1), where the format allows knowing it. */
	fractionRead(): number | undefined;
}

/** Whether a file name is one of the formats the importer reads. */
export function isImportFile(fileName: string): boolean {
	return /\.(csv|xlsx)$/i.test(fileName);
}

/** Reads a file in 1 MB chunks, hashing them as they are read (by a listener, or by `hash`). */
function hashWhileReading(filePath: string, listen = true) {
	const sha = createHash('sha256');
	const size = statSync(filePath).size;
	let bytes = 0;
	const input = createReadStream(filePath, { highWaterMark: 1 << 20 });
	const hash = (chunk: Buffer) => {
		sha.update(chunk);
		bytes += chunk.length;
	};
	if (listen) input.on('data', (chunk) => hash(chunk as Buffer));
	return {
		input,
		hash,
		checksum: () => sha.digest('hex'),
		fractionRead: () => (size === 0 ? 1 : bytes / size)
	};
}

/** The CSV reader's options: `readCsv` and its fast path give exactly csv-parse's rows for them. */
const CSV_OPTIONS = { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true };

/** csv-parse over the whole file, with the rows the fast path already gave skipped. */
async function* parsedRows(
	input: ReturnType<typeof createReadStream>,
	skip: number
): AsyncGenerator<string[]> {
	const parser = input.pipe(parse(CSV_OPTIONS));
	input.on('error', (error) => parser.destroy(error));
	let seen = 0;
	for await (const row of parser as AsyncIterable<string[]>) {
		if (seen++ >= skip) yield row;
	}
}

const QUOTE = 34;
const COMMA = 44;
// Blanks around fields, which csv-parse's `trim` removes. It also trims other Unicode spaces,
// but byte by byte in ways of its own: lines holding any of those go to csv-parse itself.
const isBlank = (c: number) => c === 32 || c === 9;
const UNUSUAL_SPACE = /[\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/**
 * The cells of one line as csv-parse would give them, for the lines whose meaning needs no
 * context: no line break inside, and quotes only around whole fields. Undefined otherwise.
 */
export function simpleLineCells(line: string): string[] | undefined {
	if (line.indexOf('"') === -1) {
		const cells = line.split(',');
		for (let i = 0; i < cells.length; i++) cells[i] = cells[i]!.trim();
		return cells;
	}
	const cells: string[] = [];
	let i = 0;
	for (;;) {
		let j = i;
		while (j < line.length && isBlank(line.charCodeAt(j))) j++;
		if (line.charCodeAt(j) === QUOTE) {
			// A quoted field: kept as written (no trim inside), "" is a quote.
			let value = '';
			let k = j + 1;
			for (;;) {
				const q = line.indexOf('"', k);
				if (q === -1) return undefined; // closes on a later line, or never
				value += line.slice(k, q);
				if (line.charCodeAt(q + 1) === QUOTE) {
					value += '"';
					k = q + 2;
				} else {
					k = q + 1;
					break;
				}
			}
			while (k < line.length && isBlank(line.charCodeAt(k))) k++;
			cells.push(value);
			if (k === line.length) return cells;
			if (line.charCodeAt(k) !== COMMA) return undefined; // text after a closing quote
			i = k + 1;
		} else {
			const comma = line.indexOf(',', i);
			const raw = line.slice(i, comma === -1 ? line.length : comma);
			if (raw.indexOf('"') !== -1) return undefined; // a quote inside a field
			cells.push(raw.trim());
			if (comma === -1) return cells;
			i = comma + 1;
		}
	}
}

/**
 * The fast path: lines split and cut into cells directly, several times faster than
 * csv-parse's byte-by-byte state machine. It handles files with `\n` or `\r\n` line ends
 * whose lines are self-contained (see `simpleLineCells`); at the first line it cannot
 * vouch for it stops and returns how many rows it gave, and the caller hands the file to
 * csv-parse from the start (skipping those rows), so every file reads exactly as csv-parse
 * reads it, errors included.
 */
async function* fastRows(
	input: AsyncIterable<Buffer>,
	onChunk: (chunk: Buffer) => void
): AsyncGenerator<string[], number | undefined> {
	const decoder = new StringDecoder('utf8');
	let text = '';
	let started = false;
	let crlf: boolean | undefined;
	let emitted = 0;
	// An empty line, or one of blanks only, is skipped (csv-parse's skip_empty_lines after trim).
	const rowOf = (line: string): string[] | null | undefined => {
		if (line.indexOf('\r') !== -1 || UNUSUAL_SPACE.test(line)) return undefined;
		const cells = simpleLineCells(line);
		if (cells && cells.length === 1 && cells[0] === '' && line.indexOf('"') === -1) return null;
		return cells;
	};
	for await (const chunk of input) {
		// A UTF-16 byte order mark switches csv-parse's encoding: left to it.
		if (!started && chunk.length > 0 && (chunk[0] === 0xff || chunk[0] === 0xfe)) return 0;
		onChunk(chunk);
		text += decoder.write(chunk);
		if (!started && text.length > 0) {
			started = true;
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		}
		if (crlf === undefined) {
			// csv-parse takes the first line end it meets as the only one.
			const end = text.search(/[\r\n]/);
			if (end === -1 || end === text.length - 1) continue;
			if (text[end] === '\r' && text[end + 1] !== '\n') return 0; // bare \r line ends
			crlf = text[end] === '\r';
		}
		let start = 0;
		for (;;) {
			const nl = text.indexOf('\n', start);
			if (nl === -1) break;
			let end = nl;
			if (crlf) {
				if (text.charCodeAt(nl - 1) !== 13 || nl === start) return emitted;
				end = nl - 1;
			}
			const row = rowOf(text.slice(start, end));
			start = nl + 1;
			if (row === undefined) return emitted;
			if (row !== null) {
				emitted += 1;
				yield row;
			}
		}
		text = text.slice(start);
	}
	text += decoder.end();
	if (text.length > 0) {
		if (text.indexOf('\n') !== -1) return emitted;
		const row = rowOf(text);
		if (row === undefined) return emitted;
		if (row !== null) yield row;
	}
	return undefined;
}

function readCsv(filePath: string): RowSource {
	let current = { checksum: () => '', fractionRead: () => 0 as number };
	async function* rows() {
		const fast = hashWhileReading(filePath, false);
		current = fast;
		const given = yield* fastRows(fast.input as AsyncIterable<Buffer>, fast.hash);
		if (given === undefined) return;
		fast.input.destroy();
		const slow = hashWhileReading(filePath, true);
		current = slow;
		yield* parsedRows(slow.input, given);
	}
	return {
		rows: rows(),
		checksum: () => current.checksum(),
		fractionRead: () => current.fractionRead()
	};
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a CSV would hold: dates as YYYY-MM-DD, formulas as their result. */
export function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) {
		return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
	}
	if (typeof value === 'object') {
		if ('richText' in value)
			return value.richText
				.map((part) => part.text)
				.join('')
				.trim();
		if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
		if ('text' in value) return String(value.text).trim();
		if ('error' in value) return String(value.error);
		return '';
	}
	return String(value).trim();
}

async function* xlsxRows(filePath: string): AsyncGenerator<string[]> {
	// Styles are cached because they are what marks a number as a date.
	const reader = new ExcelJS.stream.xlsx.WorkbookReader(filePath, {
		sharedStrings: 'cache',
		styles: 'cache',
		hyperlinks: 'ignore',
		worksheets: 'emit',
		entries: 'emit'
	});
	for await (const worksheet of reader) {
		for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
			// row.values is 1-based and sparse.
			const values = (row.values as ExcelJS.CellValue[]).slice(1);
			const cells = Array.from(values, (value) => cellText(value));
			if (cells.some((cell) => cell !== '')) yield cells;
		}
		return; // the contract reads the first sheet only
	}
}

function readXlsx(filePath: string): RowSource {
	const { input, checksum } = hashWhileReading(filePath);
	// The workbook reader opens the file itself; this stream only feeds the checksum.
	input.resume();
	const done = new Promise<void>((resolve, reject) => {
		input.on('end', resolve);
		input.on('error', reject);
	});
	async function* rows() {
		yield* xlsxRows(filePath);
		await done;
	}
	// The checksum stream runs ahead of the workbook reader, so its position says nothing.
	return { rows: rows(), checksum, fractionRead: () => undefined };
}

/** Opens a CSV or XLSX file by its extension. */
export function readRows(filePath: string): RowSource {
	return /\.xlsx$/i.test(filePath) ? readXlsx(filePath) : readCsv(filePath);
}
