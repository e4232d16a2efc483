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
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
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
}

class CsvWriter implements FormatWriter {
	private readonly stringifier: Stringifier;
	private readonly done: Promise<void>;

	constructor(file: string) {
		this.stringifier = stringify({
			header: true,
			columns: COLUMN_NAMES,
			cast: { boolean: (value) => (value ? 'true' : 'false') }
		});
		const output = createWriteStream(file);
		this.stringifier.pipe(output);
		this.done = finished(output);
	}

	async write(rows: readonly ReleaseRow[]) {
		for (const row of rows) {
			if (!this.stringifier.write(COLUMN_NAMES.map((name) => row[name]))) {
				await once(this.stringifier, 'drain');
			}
		}
	}

	async close() {
		this.stringifier.end();
		await this.done;
	}
}

class JsonWriter implements FormatWriter {
	private readonly sink: TextSink;
	private first = true;

	constructor(file: string) {
		this.sink = new TextSink(file);
	}

	async write(rows: readonly ReleaseRow[]) {
		for (const row of rows) {
			await this.sink.write(
				(this.first ? '[\n' : ',\n') + JSON.stringify(row, COLUMN_NAMES as string[])
			);
			this.first = false;
		}
	}

	async close() {
		await this.sink.write(this.first ? '[]\n' : '\n]\n');
		await this.sink.close();
	}
}

/** hyparquet-writer's byte buffer, emptied into the file after each row group. */
class ParquetFileBytes extends ByteWriter {
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

	private constructor(private readonly writer: ParquetWriter) {}

	static async open(file: string, release: string): Promise<ParquetDatasetWriter> {
		const bytes = new ParquetFileBytes(await open(file, 'w'));
		return new ParquetDatasetWriter(
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
}

/** The `about` sheet: what an Excel user would otherwise find only in datapackage.json. */
export type AboutRows = readonly (readonly string[])[];

class XlsxWriter implements FormatWriter {
	private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
	private sheet: ExcelJS.Worksheet | undefined;
	private sheets = 0;
	private rowsInSheet = 0;
	private sinceYield = 0;

	constructor(
		file: string,
		private readonly level: ReleaseLevel,
		private readonly about: AboutRows
	) {
		this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
			filename: file,
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
		for (const row of rows) {
			if (!this.sheet || this.rowsInSheet === XLSX_SHEET_ROWS) this.nextSheet();
			this.sheet!.addRow(COLUMN_NAMES.map((name) => row[name])).commit();
			this.rowsInSheet++;
			// Committed rows wait in the zip stream; let it drain, or memory grows with the file.
			if (++this.sinceYield === 5_000) {
				this.sinceYield = 0;
				await new Promise((resolve) => setImmediate(resolve));
			}
		}
	}

	async close() {
		if (!this.sheet) this.nextSheet();
		this.sheet!.commit();
		const about = this.workbook.addWorksheet('about');
		for (const line of this.about) about.addRow([...line]).commit();
		about.commit();
		await this.workbook.commit();
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
}
