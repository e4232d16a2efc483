/**
 * Writers of one level's dataset in the four formats of the release contract, fed the same
 * rows in the same order while the release streams through: nothing holds more than one
 * table's rows (and one Parquet row group) at a time.
 *
 * - CSV: RFC 4180 through csv-stringify, UTF-8 without BOM, header row, empty cells for nulls,
 *   `true`/`false` for the flag (Frictionless' default boolean values).
 * - JSON: one array of objects, written element by element; keys in column order, null for
 *   empty cells.
 * - Parquet: hyparquet-writer, one row group per ROW_GROUP_ROWS rows with min/max statistics,
 *   Snappy; the rows are sorted by indicator and period, so DuckDB-WASM reading over HTTP
 *   range requests skips the row groups a filter excludes.
 * - XLSX: exceljs' streaming workbook writer (inline strings, no styles: memory stays flat),
 *   one sheet per XLSX_SHEET_ROWS rows (Excel's limit is 1,048,576 rows a sheet), then an
 *   `about` sheet with the release, licence, attribution and the data dictionary.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { once, type EventEmitter } from 'node:events';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import {
	datasetFileName,
	RELEASE_COLUMNS,
	type ReleaseFormat,
	type ReleaseLevel,
	type ReleaseRow
} from '../../releases/schema';

/**
 * Rows per Parquet row group. Smaller than DuckDB's own default (~122,880): the public API
 * reads one indicator and period at a time (`published.ts`) and decodes every row group that
 * holds some of it, so a group costs ~50 ms to decode at 20,000 rows (~300 ms at 100,000).
 * DuckDB-WASM skips the groups a filter excludes by their statistics either way.
 */
export const ROW_GROUP_ROWS = 20_000;

/** Rows per XLSX sheet: a round number under Excel's 1,048,576 (the header takes one). */
export const XLSX_SHEET_ROWS = 1_000_000;

const COLUMN_NAMES = RELEASE_COLUMNS.map((c) => c.name) as (keyof ReleaseRow)[];

/** Writes one dataset file. */
interface FormatWriter {
	write(rows: readonly ReleaseRow[]): Promise<void>;
	close(): Promise<void>;
	/** Lets the file go unfinished (a publish that failed): its descriptor is closed. */
	discard(): Promise<void>;
}

/** Closes a write stream without finishing it, once its descriptor is closed. */
async function destroyStream(stream: WriteStream): Promise<void> {
	if (stream.closed) return;
	const closed = once(stream, 'close');
	stream.destroy();
	await closed;
}

/** A text file written in large chunks, waiting when the disk falls behind. */
class TextSink {
	private buffered: string[] = [];
	private size = 0;
	private readonly stream: WriteStream;

	constructor(file: string) {
		this.stream = createWriteStream(file);
	}

	async write(text: string): Promise<void> {
		this.buffered.push(text);
		this.size += text.length;
		if (this.size >= 1 << 20) await this.flush();
	}

	private async flush(): Promise<void> {
		if (this.size === 0) return;
		const chunk = this.buffered.join('');
		this.buffered = [];
		this.size = 0;
		if (!this.stream.write(chunk)) await once(this.stream, 'drain');
	}

	async close(): Promise<void> {
		await this.flush();
		this.stream.end();
		await finished(this.stream);
	}

	discard(): Promise<void> {
		return destroyStream(this.stream);
	}
}

/**
 * A field as csv-stringify writes it with its defaults (and `true`/`false` for booleans): in
 * double quotes, doubled inside, when it holds a comma, a quote or a line break; numbers as
 * JavaScript prints them; empty for null.
 */
function csvField(value: string | number | boolean | null): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	const text = typeof value === 'string' ? value : `${value}`;
	return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV lines built here rather than by csv-stringify's stream (a third of its time), alike. */
class CsvWriter implements FormatWriter {
	private readonly sink: TextSink;

	constructor(file: string) {
		this.sink = new TextSink(file);
		void this.sink.write(`${COLUMN_NAMES.map((name) => csvField(name)).join(',')}\n`);
	}

	async write(rows: readonly ReleaseRow[]) {
		let text = '';
		for (const row of rows) {
			text += csvField(row[COLUMN_NAMES[0]!]);
			for (let i = 1; i < COLUMN_NAMES.length; i++) text += `,${csvField(row[COLUMN_NAMES[i]!])}`;
			text += '\n';
		}
		await this.sink.write(text);
	}

	async close() {
		await this.sink.close();
	}

	discard() {
		return this.sink.discard();
	}
}

class JsonWriter implements FormatWriter {
	private readonly sink: TextSink;
	private first = true;

	constructor(file: string) {
		this.sink = new TextSink(file);
	}

	async write(rows: readonly ReleaseRow[]) {
		let text = '';
		for (const row of rows) {
			text += (this.first ? '[\n' : ',\n') + JSON.stringify(row, COLUMN_NAMES as string[]);
			this.first = false;
		}
		await this.sink.write(text);
	}

	async close() {
		await this.sink.write(this.first ? '[]\n' : '\n]\n');
		await this.sink.close();
	}

	discard() {
		return this.sink.discard();
	}
}

/** hyparquet-writer's byte buffer, emptied into the file after each row group. */
class ParquetFileBytes extends ByteWriter {
	private closed = false;

	constructor(private readonly handle: FileHandle) {
		super(1 << 20);
	}

	async flush() {
		// Copied out: the buffer is reused as soon as `index` is reset.
		const bytes = new Uint8Array(this.buffer, 0, this.index).slice();
		this.index = 0;
		await this.handle.write(bytes);
	}

	async finish() {
		await this.flush();
		await this.discard();
	}

	async discard() {
		if (this.closed) return;
		this.closed = true;
		await this.handle.close();
	}
}

const PARQUET_SCHEMA = [
	{ name: 'root', num_children: RELEASE_COLUMNS.length },
	...RELEASE_COLUMNS.map((column) =>
		column.type === 'string'
			? {
					name: column.name,
					type: 'BYTE_ARRAY' as const,
					converted_type: 'UTF8' as const,
					repetition_type: 'REQUIRED' as const
				}
			: column.type === 'boolean'
				? { name: column.name, type: 'BOOLEAN' as const, repetition_type: 'REQUIRED' as const }
				: { name: column.name, type: 'DOUBLE' as const, repetition_type: 'OPTIONAL' as const }
	)
];

class ParquetDatasetWriter implements FormatWriter {
	private pending: ReleaseRow[] = [];

	private constructor(
		private readonly bytes: ParquetFileBytes,
		private readonly writer: ParquetWriter
	) {}

	static async open(file: string, release: string): Promise<ParquetDatasetWriter> {
		const bytes = new ParquetFileBytes(await open(file, 'w'));
		return new ParquetDatasetWriter(
			bytes,
			new ParquetWriter({
				writer: bytes,
				schema: PARQUET_SCHEMA,
				kvMetadata: [{ key: 'ssdm.release', value: release }],
				createdBy: 'SSDM Monitoring Portal (hyparquet-writer)'
			})
		);
	}

	async write(rows: readonly ReleaseRow[]) {
		for (const row of rows) {
			this.pending.push(row);
			if (this.pending.length === ROW_GROUP_ROWS) await this.writeGroup();
		}
	}

	private async writeGroup() {
		const rows = this.pending;
		this.pending = [];
		await this.writer.write({
			columnData: COLUMN_NAMES.map((name) => ({ name, data: rows.map((r) => r[name]) })),
			rowGroupSize: ROW_GROUP_ROWS
		});
	}

	async close() {
		if (this.pending.length > 0) await this.writeGroup();
		await this.writer.finish();
	}

	discard() {
		return this.bytes.discard();
	}
}

/** What exceljs' stream of a sheet's part is written through (its `StreamBuf`, batched). */
interface SheetStream {
	write(chunk: string): unknown;
	/**
	 * The zip's streams it passes full buffers on to, once the zip has reached the part:
	 * `readable-stream` 2 PassThroughs, which tell whether they are full only in their state.
	 */
	pipes?: (EventEmitter & {
		writableNeedDrain?: boolean;
		_writableState?: { needDrain: boolean };
	})[];
}

/** Column letters of the release's columns (A, B, …; fewer than 27). */
const XLSX_COLUMNS = COLUMN_NAMES.map((_, i) => String.fromCharCode(65 + i));

/**
 * Text as exceljs writes it in XML (`utils.xmlEncode`): the five entities escaped, and the
 * control characters XML cannot hold (all below 32 but tab, line feed and carriage return;
 * and 127) left out.
 */
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;
// eslint-disable-next-line no-control-regex
const XML_SPECIAL_ALL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/g;
const XML_ENTITIES: Record<string, string> = {
	'<': '&lt;',
	'>': '&gt;',
	'&': '&amp;',
	"'": '&apos;',
	'"': '&quot;'
};
function xmlText(text: string): string {
	return XML_SPECIAL.test(text)
		? text.replace(XML_SPECIAL_ALL, (c) => XML_ENTITIES[c] ?? '')
		: text;
}

/**
 * A row of a sheet as exceljs 4.4 writes it (`RowXform`, `CellXform`; no styles, inline
 * strings): every column is set, so the span is the whole row; a null cell is left out; strings
 * are `t="str"`, booleans `t="b"` with 1 or 0, numbers as JavaScript prints them.
 */
function xlsxRow(row: ReleaseRow, number: number): string {
	let xml = `<row r="${number}" spans="1:${COLUMN_NAMES.length}" x14ac:dyDescent="0.25">`;
	for (let i = 0; i < COLUMN_NAMES.length; i++) {
		const value = row[COLUMN_NAMES[i]!];
		if (value === null || value === undefined) continue;
		const ref = `${XLSX_COLUMNS[i]}${number}`;
		if (typeof value === 'string') xml += `<c r="${ref}" t="str"><v>${xmlText(value)}</v></c>`;
		else if (typeof value === 'boolean') xml += `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
		else xml += `<c r="${ref}"><v>${value}</v></c>`;
	}
	return `${xml}</row>`;
}

/** The `about` sheet: what an Excel user would otherwise find only in datapackage.json. */
export type AboutRows = readonly (readonly string[])[];

class XlsxWriter implements FormatWriter {
	private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
	private sheet: ExcelJS.Worksheet | undefined;
	private sheets = 0;
	private rowsInSheet = 0;
	private sinceYield = 0;
	// The file, ours rather than exceljs' (given a file name it opens one), so that a publish
	// that failed can close it.
	private readonly output: WriteStream;

	constructor(
		file: string,
		private readonly level: ReleaseLevel,
		private readonly about: AboutRows
	) {
		this.output = createWriteStream(file);
		this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
			stream: this.output,
			useStyles: false,
			useSharedStrings: false
		});
	}

	private nextSheet() {
		this.sheet?.commit();
		this.sheets++;
		this.sheet = this.workbook.addWorksheet(
			this.sheets === 1 ? this.level : `${this.level} ${this.sheets}`
		);
		this.sheet.addRow(COLUMN_NAMES).commit();
		this.rowsInSheet = 0;
	}

	async write(rows: readonly ReleaseRow[]) {
		let xml = '';
		for (const row of rows) {
			if (!this.sheet || this.rowsInSheet === XLSX_SHEET_ROWS) {
				await this.writeXml(xml);
				xml = '';
				this.nextSheet();
			}
			this.rowsInSheet++;
			// The header is row 1.
			xml += xlsxRow(row, this.rowsInSheet + 1);
			// Written rows wait in the zip stream; let it drain, or memory grows with the file.
			if (++this.sinceYield === 5_000) {
				this.sinceYield = 0;
				await this.writeXml(xml);
				xml = '';
				await new Promise((resolve) => setImmediate(resolve));
			}
		}
		await this.writeXml(xml);
	}

	/**
	 * Appends rows' XML to the sheet's part. exceljs builds a row and its cells as objects and
	 * then renders them (most of a release's time); `xlsxRow` writes the same XML directly. The
	 * sheet has started its `sheetData` with the header row, and closes it on commit. The
	 * sheet's stream passes the XML on to the zip's deflate stream without waiting: wait here
	 * while that one is full, or the whole file would be buffered in memory.
	 */
	private async writeXml(xml: string) {
		if (!xml) return;
		const stream = (this.sheet as unknown as { stream: SheetStream }).stream;
		stream.write(xml);
		for (const pipe of stream.pipes ?? [])
			if (pipe.writableNeedDrain ?? pipe._writableState?.needDrain) await once(pipe, 'drain');
	}

	async close() {
		if (!this.sheet) this.nextSheet();
		this.sheet!.commit();
		const about = this.workbook.addWorksheet('about');
		for (const line of this.about) about.addRow([...line]).commit();
		about.commit();
		await this.workbook.commit();
	}

	discard() {
		return destroyStream(this.output);
	}
}

/** The four files of one level's dataset, written together. */
export class LevelDataset {
	rows = 0;

	private constructor(
		readonly level: ReleaseLevel,
		private readonly writers: Record<ReleaseFormat, FormatWriter>
	) {}

	/** Opens `<level>.csv|json|parquet|xlsx` in `dir`. */
	static async open(
		dir: string,
		level: ReleaseLevel,
		release: string,
		about: AboutRows
	): Promise<LevelDataset> {
		const file = (format: ReleaseFormat) => path.join(dir, datasetFileName(level, format));
		return new LevelDataset(level, {
			csv: new CsvWriter(file('csv')),
			json: new JsonWriter(file('json')),
			parquet: await ParquetDatasetWriter.open(file('parquet'), release),
			xlsx: new XlsxWriter(file('xlsx'), level, about)
		});
	}

	/** Appends rows (already in the files' order) to every format. */
	async write(rows: readonly ReleaseRow[]): Promise<void> {
		if (rows.length === 0) return;
		for (const writer of Object.values(this.writers)) await writer.write(rows);
		this.rows += rows.length;
	}

	async close(): Promise<void> {
		for (const writer of Object.values(this.writers)) await writer.close();
	}

	/** Closes the files without finishing them, for a publish that failed. */
	async discard(): Promise<void> {
		for (const writer of Object.values(this.writers)) await writer.discard();
	}
}
