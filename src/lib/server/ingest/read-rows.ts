/**
 * Reads an import file as a stream of rows of text cells: CSV (UTF-8, optional BOM) or the
 * first sheet of an XLSX workbook. Both are streamed, so file size does not bound memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
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

function hashWhileReading(filePath: string) {
	const hash = createHash('sha256');
	const size = statSync(filePath).size;
	let bytes = 0;
	const input = createReadStream(filePath);
	input.on('data', (chunk) => {
		hash.update(chunk);
		bytes += chunk.length;
	});
	return {
		input,
		checksum: () => hash.digest('hex'),
		fractionRead: () => (size === 0 ? 1 : bytes / size)
	};
}

function readCsv(filePath: string): RowSource {
	const { input, checksum, fractionRead } = hashWhileReading(filePath);
	const parser = input.pipe(
		parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true })
	);
	input.on('error', (error) => parser.destroy(error));
	return { rows: parser as AsyncIterable<string[]>, checksum, fractionRead };
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
