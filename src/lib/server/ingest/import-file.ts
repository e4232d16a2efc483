/**
 * The import engine: one file of one feed, streamed, validated row by row, staged in a
 * temporary table, checked against the registry in SQL, and upserted by the row's id —
 * all inside one transaction, so a file's good rows land together or not at all.
 * Every entry point (CLI, upload page, drop folder) goes through `importFile`.
 */
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type pg from 'pg';
import { postgresClient, queryRows, type Db, type Tx } from '../db';
import { COPY_NULL, copyText, CopyTextWriter } from '../db/copy-text';
import { importBatches, importRejections } from '../db/schema';
import { recordAudit, systemContext, type AuditContext } from '../auth/audit';
import { FEEDS, feedFromFileName, type FeedName, type FeedSpec } from './feeds';
import { prepareVillageMoves } from '../registry/village-moves';
import { FLAGS_CHANGED, prepareDuplicateDetection } from '../registry/members';
import { readRows } from './read-rows';
import { castColumn } from './staged';
import { collectTouch, householdsTouch, mergeTouch, type Touch } from './touched';
import { validateRow, type RowError } from './validate-row';

/** A file that cannot be imported at all (unreadable, unknown feed, bad header). */
export class ImportFileError extends Error {
	constructor(
		readonly file: string,
		message: string
	) {
		super(`${file}: ${message}`);
	}
}

/** A row that was not imported, with its original cells. */
export interface Rejection extends RowError {
	/** 1-based data row number; the header is row 0, so this is the spreadsheet line - 1. */
	rowNumber: number;
	row: Record<string, string>;
}

/** What an import did to one file. `read = inserted + updated + unchanged + rejected`. */
export interface ImportSummary {
	file: string;
	feed: FeedName;
	read: number;
	inserted: number;
	updated: number;
	unchanged: number;
	rejected: number;
	warnings: string[];
	rejections: Rejection[];
	durationMs: number;
	/** Time spent per phase (read and stage, check, upsert, duplicates), for diagnosis. */
	phasesMs: Record<string, number>;
	/** Members whose possible-duplicate flag this import changed (members feed only). */
	duplicatesFlagged?: number;
	/** The import_batches row; absent for a dry run. */
	batchId?: number;
	/** What the written rows change for the indicators (absent when nothing changed). */
	touch?: Touch;
	dryRun: boolean;
}

export interface ImportOptions {
	/** The feed, when the file name does not say it. */
	feed?: FeedName;
	/** Validate and report without writing anything. */
	dryRun?: boolean;
	/** Who imported (user name or `cli`). */
	importedBy?: string;
	/** Who and from where, for the audit log (default: the system, via `importedBy`). */
	audit?: AuditContext;
	/** `YYYY-MM-DD` against which "in the future" is judged; default today (UTC). */
	today?: string;
	/**
	 * Called after every staged batch with the rows read so far and, for CSV, the share of
	 * the file read (0–1).
	 */
	onProgress?: (rowsRead: number, fractionRead: number | undefined) => void;
	/** Called as each step after the reading starts, in words (for a long file's log). */
	onStep?: (step: string) => void;
}

// Rows staged per INSERT (PGlite): large enough to amortise a round trip, small enough that a
// batch of wide rows stays a few MB in memory while streaming a multi-GB file. Also how often
// progress is reported.
const STAGE_BATCH_ROWS = 5000;

// Rows per COPY data message (Postgres): a few hundred kB, so the server parses one message
// while the next is being validated.
const COPY_CHUNK_ROWS = 2000;

// Memory for the import's sorts and hashes (Postgres, this transaction only): the checks and
// the duplicate detection hash a whole file's keys, which spill to disk at the default 4 MB.
const IMPORT_WORK_MEM = '256MB';

// Warnings listed one by one before they are summarised as a count.
const MAX_LISTED_WARNINGS = 20;

class DryRunRollback extends Error {}

const ident = (name: string) => sql.identifier(name);

/** Maps the header to column positions; rejects a file missing a required column. */
function readHeader(file: string, feed: FeedSpec, header: string[]) {
	const names = header.map((h) => h.trim().toLowerCase());
	const known = new Set(feed.columns.map((c) => c.name));
	const missing = feed.columns.filter((c) => c.required && !names.includes(c.name));
	if (missing.length > 0) {
		const list = missing.map((c) => c.name).join(', ');
		throw new ImportFileError(
			file,
			`missing required column${missing.length > 1 ? 's' : ''} ${list} for the ${feed.name} feed`
		);
	}
	const duplicated = names.filter((n, i) => n !== '' && names.indexOf(n) !== i);
	if (duplicated.length > 0) {
		throw new ImportFileError(file, `column ${duplicated[0]} appears twice in the header`);
	}
	const unknown = names.filter((n) => !known.has(n));
	const warnings = unknown.length
		? [`unknown column${unknown.length > 1 ? 's' : ''} ignored: ${unknown.join(', ')}`]
		: [];
	return { names, warnings };
}

function toRecord(names: string[], cells: string[]): Record<string, string> {
	const record: Record<string, string> = {};
	for (let i = 0; i < names.length; i++) {
		const name = names[i]!;
		if (name !== '') record[name] = cells[i] ?? '';
	}
	return record;
}

async function createStage(tx: Tx, feed: FeedSpec) {
	const columns = sql.join(
		feed.columns.map((c) => sql`${ident(c.name)} text`),
		sql`, `
	);
	const derived = (feed.derived ?? []).map(
		(d) => sql`, ${ident(d.name)} text GENERATED ALWAYS AS (${sql.raw(d.expression)}) STORED`
	);
	// A temporary table (no WAL) without indexes: rows go in as fast as they are validated,
	// and the server computes the derived columns meanwhile.
	// ON COMMIT DROP: the stage lives exactly as long as the file's transaction.
	await tx.execute(
		sql`CREATE TEMP TABLE import_stage (row_no integer NOT NULL, ${columns}${sql.join(derived, sql``)}, error_column text, error text) ON COMMIT DROP`
	);
}

/** Writes validated rows to the staging table. `add` returns a promise when the caller must wait. */
interface Stager {
	add(rowNumber: number, values: readonly (string | null)[]): Promise<void> | undefined;
	/** Writes what is buffered and waits until the stage holds every added row. */
	finish(): Promise<void>;
	/** Abandons the staging after an error (the transaction is rolled back next). */
	abort(error: Error): Promise<void>;
}

/** Batched `INSERT … SELECT FROM unnest(…)`: any driver (PGlite has no COPY FROM STDIN). */
class InsertStager implements Stager {
	private rowNumbers: number[] = [];
	private columns: (string | null)[][];

	constructor(
		private readonly tx: Tx,
		private readonly feed: FeedSpec
	) {
		this.columns = feed.columns.map(() => []);
	}

	add(rowNumber: number, values: readonly (string | null)[]) {
		this.rowNumbers.push(rowNumber);
		for (let i = 0; i < values.length; i++) this.columns[i]!.push(values[i]!);
		return this.rowNumbers.length >= STAGE_BATCH_ROWS ? this.flush() : undefined;
	}

	private async flush() {
		if (this.rowNumbers.length === 0) return;
		// One array parameter per column (unnest) keeps far below Postgres' 65,535-parameter limit.
		const arrays = this.columns.map((values) => sql`${sql.param(values)}::text[]`);
		const names = sql.join(
			this.feed.columns.map((c) => ident(c.name)),
			sql`, `
		);
		const rowNumbers = this.rowNumbers;
		this.rowNumbers = [];
		this.columns = this.feed.columns.map(() => []);
		await this.tx.execute(
			sql`INSERT INTO import_stage (row_no, ${names}) SELECT * FROM unnest(${sql.param(rowNumbers)}::int[], ${sql.join(arrays, sql`, `)})`
		);
	}

	finish() {
		return this.flush();
	}

	async abort() {}
}

/** `COPY import_stage FROM STDIN` on Postgres: one streamed statement for the whole file. */
class CopyStager implements Stager {
	private readonly writer: CopyTextWriter;

	constructor(client: pg.ClientBase, feed: FeedSpec) {
		const names = feed.columns.map((c) => `"${c.name}"`).join(', ');
		this.writer = new CopyTextWriter(
			client,
			`COPY import_stage (row_no, ${names}) FROM STDIN`,
			COPY_CHUNK_ROWS
		);
	}

	add(rowNumber: number, values: readonly (string | null)[]) {
		let line = String(rowNumber);
		for (let i = 0; i < values.length; i++) {
			const value = values[i];
			line += '\t' + (value === null || value === undefined ? COPY_NULL : copyText(value));
		}
		return this.writer.add(line);
	}

	finish() {
		return this.writer.finish();
	}

	abort(error: Error) {
		return this.writer.abort(error);
	}
}

/** Marks staged rows that break a rule (the first broken rule wins) and returns them. */
async function rejectStaged(tx: Tx, column: string, error: SQL, violation: SQL, from?: SQL) {
	return queryRows<{ row_no: number; error_column: string; error: string }>(
		tx,
		sql`UPDATE import_stage s SET error_column = ${column}, error = ${error}
			${from ? sql`FROM ${from}` : sql``}
			WHERE s.error IS NULL AND (${violation})
			RETURNING s.row_no, s.error_column, s.error`
	);
}

/** The rules that need the registry or the whole file, checked on the staged rows. */
async function checkStaged(tx: Tx, feed: FeedSpec) {
	const failures: { row_no: number; error_column: string; error: string }[] = [];
	const key = sql.join(
		feed.key.map((k) => ident(k)),
		sql`, `
	);
	// Each repeated id's first row, by a window over the rows of the ids seen more than once
	// only: one hash aggregate over the file finds those ids (usually none) without sorting it,
	// and the stage is updated only when there are some.
	const repeated = await queryRows<{ row_no: number; first_row: number }>(
		tx,
		sql`SELECT row_no, first_row FROM (
			SELECT row_no, min(row_no) OVER (PARTITION BY ${key}) AS first_row FROM import_stage
			WHERE (${key}) IN (SELECT ${key} FROM import_stage GROUP BY ${key} HAVING count(*) > 1)) d
		WHERE first_row < row_no`
	);
	if (repeated.length > 0) {
		failures.push(
			...(await rejectStaged(
				tx,
				feed.key[0]!,
				sql`'duplicate ' || ${feed.key.join(' + ')} || ' in the file (first seen on row ' || d.first_row || ')'`,
				sql`s.row_no = d.row_no`,
				sql`unnest(${sql.param(repeated.map((r) => r.row_no))}::int[], ${sql.param(repeated.map((r) => r.first_row))}::int[]) AS d (row_no, first_row)`
			))
		);
	}
	for (const reference of feed.references) {
		const col = ident(reference.column);
		failures.push(
			...(await rejectStaged(
				tx,
				reference.column,
				sql`'unknown ' || ${reference.noun} || ' ' || s.${col}`,
				sql`s.${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ident(reference.table)} r WHERE r.${ident(reference.key)} = s.${col})`
			))
		);
	}
	for (const rule of feed.consistency) {
		failures.push(
			...(await rejectStaged(tx, rule.column, sql`${rule.error}`, sql.raw(rule.violation)))
		);
	}
	return failures;
}

/** Where an upsert also records the rows it wrote: their columns, into a temporary table. */
export interface WriteTracking {
	table: string;
	columns: readonly string[];
}

/**
 * Upserts the good staged rows of an ordinary feed; returns [inserted, updated]. In two
 * set-based statements rather than `INSERT … ON CONFLICT DO UPDATE`: the rows whose id exists
 * and whose values differ are updated, then the rows whose id is new are inserted in key order
 * (plain inserts, no speculative insertion per row, and key-ordered index pages). The caller
 * holds a lock that keeps other imports from writing the table in between.
 */
async function upsertStaged(
	tx: Tx,
	feed: FeedSpec,
	tracking?: WriteTracking
): Promise<[number, number]> {
	const copied = feed.copied ?? [];
	const names = [
		...feed.columns.map((c) => c.name),
		...(feed.derived ?? []).map((d) => d.name),
		...copied.map((c) => c.name)
	];
	const target = ident(feed.table);
	const nonKey = names.filter((n) => !feed.key.includes(n));
	const sameKey = sql.join(
		feed.key.map((k) => sql`t.${ident(k)} = ${castColumn(feed, k)}`),
		sql` AND `
	);
	// A written value: the staged one, or for a copied column the other table's (`c0`, …).
	const valueOf = (name: string) => {
		const i = copied.findIndex((c) => c.name === name);
		return i < 0 ? castColumn(feed, name) : sql`${sql.raw(`c${i}`)}.${ident(copied[i]!.column)}`;
	};
	// The stage with the rows the copied columns come from.
	const source = sql.join(
		[
			sql`import_stage s`,
			...copied.map(
				(c, i) =>
					sql`JOIN ${ident(c.table)} ${sql.raw(`c${i}`)} ON ${sql.raw(`c${i}`)}.${ident(c.key)} = ${castColumn(feed, c.key)}`
			)
		],
		sql` `
	);
	// Counted in SQL, which both drivers return alike; the written rows are kept if asked.
	const counted = async (write: SQL) => {
		const returning = tracking
			? sql.join(
					tracking.columns.map((c) => sql`t.${ident(c)}`),
					sql`, `
				)
			: sql`1`;
		const keep = tracking
			? sql`, kept AS (INSERT INTO ${ident(tracking.table)} SELECT * FROM written)`
			: sql``;
		const rows = await queryRows<{ n: number }>(
			tx,
			sql`WITH written AS (${write} RETURNING ${returning})${keep} SELECT count(*)::int AS n FROM written`
		);
		return rows[0]!.n;
	};
	const set = [
		...nonKey.map((n) => sql`${ident(n)} = ${valueOf(n)}`),
		...(feed.updated ?? []).map((u) => sql`${ident(u.name)} = ${sql.raw(u.expression)}`)
	];
	const updated = await counted(
		sql`UPDATE ${target} t SET ${sql.join(set, sql`, `)}
		FROM ${source}
		WHERE s.error IS NULL AND ${sameKey}
			AND (${sql.join(
				nonKey.map((n) => sql`t.${ident(n)}`),
				sql`, `
			)}) IS DISTINCT FROM (${sql.join(nonKey.map(valueOf), sql`, `)})`
	);
	// Ordered byte-wise (COLLATE "C" sorts fast and is the index order under C.UTF-8): each
	// index page is filled once instead of being split at random places.
	const inserted = await counted(
		sql`INSERT INTO ${target} AS t (${sql.join(names.map(ident), sql`, `)})
		SELECT ${sql.join(names.map(valueOf), sql`, `)} FROM ${source}
		WHERE s.error IS NULL AND NOT EXISTS (SELECT 1 FROM ${target} t WHERE ${sameKey})
		ORDER BY ${sql.join(
			feed.key.map((k) => sql`s.${ident(k)} COLLATE "C"`),
			sql`, `
		)}`
	);
	return [inserted, updated];
}

/** The gazetteer fans each village row out to its province, district and commune. */
async function upsertGazetteer(tx: Tx): Promise<[number, number]> {
	await tx.execute(sql`INSERT INTO geo_units (code, level, parent_code, name_en, name_km)
		VALUES ('KH', 'national', NULL, 'Cambodia', 'កម្ពុជា') ON CONFLICT (code) DO NOTHING`);
	const levels = [
		{ level: 'province', code: 'province_code', parent: sql`'KH'`, d: sql`NULL`, c: sql`NULL` },
		{
			level: 'district',
			code: 'district_code',
			parent: sql`s.province_code`,
			d: sql`s.district_code`,
			c: sql`NULL`
		},
		{
			level: 'commune',
			code: 'commune_code',
			parent: sql`s.district_code`,
			d: sql`s.district_code`,
			c: sql`s.commune_code`
		}
	] as const;
	for (const l of levels) {
		const prefix = l.code.replace('_code', '');
		await tx.execute(sql`INSERT INTO geo_units (code, level, parent_code, province_code, district_code, commune_code, name_en, name_km)
			SELECT DISTINCT ON (s.${ident(l.code)}) s.${ident(l.code)}, ${l.level}, ${l.parent}, s.province_code, ${l.d}, ${l.c},
				coalesce(s.${ident(prefix + '_en')}, s.${ident(l.code)}),
				coalesce(s.${ident(prefix + '_km')}, s.${ident(prefix + '_en')}, s.${ident(l.code)})
			FROM import_stage s WHERE s.error IS NULL ORDER BY s.${ident(l.code)}, s.row_no
			ON CONFLICT (code) DO UPDATE SET parent_code = EXCLUDED.parent_code,
				province_code = EXCLUDED.province_code, district_code = EXCLUDED.district_code,
				commune_code = EXCLUDED.commune_code, name_en = EXCLUDED.name_en, name_km = EXCLUDED.name_km
			WHERE (geo_units.parent_code, geo_units.name_en, geo_units.name_km)
				IS DISTINCT FROM (EXCLUDED.parent_code, EXCLUDED.name_en, EXCLUDED.name_km)`);
	}
	const rows = await queryRows<{ inserted: number; updated: number }>(
		tx,
		sql`WITH up AS (
			INSERT INTO geo_units (code, level, parent_code, province_code, district_code, commune_code, name_en, name_km, lat, lon)
			SELECT s.village_code, 'village', s.commune_code, s.province_code, s.district_code, s.commune_code,
				coalesce(s.village_en, s.village_code), coalesce(s.village_km, s.village_en, s.village_code),
				s.lat::double precision, s.lon::double precision
			FROM import_stage s WHERE s.error IS NULL
			ON CONFLICT (code) DO UPDATE SET parent_code = EXCLUDED.parent_code,
				province_code = EXCLUDED.province_code, district_code = EXCLUDED.district_code,
				commune_code = EXCLUDED.commune_code, name_en = EXCLUDED.name_en,
				name_km = EXCLUDED.name_km, lat = EXCLUDED.lat, lon = EXCLUDED.lon
			WHERE (geo_units.parent_code, geo_units.name_en, geo_units.name_km, geo_units.lat, geo_units.lon)
				IS DISTINCT FROM (EXCLUDED.parent_code, EXCLUDED.name_en, EXCLUDED.name_km, EXCLUDED.lat, EXCLUDED.lon)
			RETURNING (xmax = 0) AS is_insert
		)
		SELECT count(*) FILTER (WHERE is_insert)::int AS inserted,
			count(*) FILTER (WHERE NOT is_insert)::int AS updated FROM up`
	);
	return [rows[0]!.inserted, rows[0]!.updated];
}

/** Gazetteer codes should start with their parent's code (§1); the source has exceptions. */
function gazetteerPrefixWarning(row: Record<string, string>, rowNumber: number) {
	const chain = ['province_code', 'district_code', 'commune_code', 'village_code'] as const;
	for (let i = 1; i < chain.length; i++) {
		const [parent, child] = [row[chain[i - 1]!]!, row[chain[i]!]!];
		if (!child.startsWith(parent)) {
			return `row ${rowNumber}: ${chain[i]} ${child} is listed under ${chain[i - 1]} ${parent} although its code does not start with it (kept as listed)`;
		}
	}
	return undefined;
}

/**
 * A deep copy with strings of its own. The cells of a row are slices of the chunk of the file
 * it was read from, and V8 keeps a whole chunk (a megabyte) alive for as long as one of its
 * slices is: kept rejections must not hold on to them.
 */
const detached = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Re-reads the file for the original cells of rows rejected in SQL. */
async function originalRows(filePath: string, rowNumbers: Set<number>) {
	const found = new Map<number, Record<string, string>>();
	if (rowNumbers.size === 0) return found;
	let names: string[] | undefined;
	let rowNumber = 0;
	for await (const cells of readRows(filePath).rows) {
		if (!names) {
			names = cells.map((h) => h.trim().toLowerCase());
			continue;
		}
		rowNumber += 1;
		if (rowNumbers.has(rowNumber)) found.set(rowNumber, detached(toRecord(names, cells)));
	}
	return found;
}

function todayUtc(): string {
	return new Date().toISOString().slice(0, 10);
}

/** Imports one CSV or XLSX file of one feed; see the module comment. */
export async function importFile(
	db: Db,
	filePath: string,
	options: ImportOptions = {}
): Promise<ImportSummary> {
	try {
		return await importFileUnaudited(db, filePath, options);
	} catch (error) {
		// A refused file is audited too (who tried what); a dry run writes nothing, not even this.
		if (error instanceof ImportFileError && !options.dryRun) {
			await recordAudit(db, auditContextOf(options), {
				action: 'import_failed',
				target: path.basename(filePath),
				detail: { error: error.message }
			});
		}
		throw error;
	}
}

function auditContextOf(options: ImportOptions): AuditContext {
	return options.audit ?? systemContext(options.importedBy ?? 'cli');
}

async function importFileUnaudited(
	db: Db,
	filePath: string,
	options: ImportOptions
): Promise<ImportSummary> {
	const file = path.basename(filePath);
	const feedName = options.feed ?? feedFromFileName(file);
	if (!feedName) {
		throw new ImportFileError(
			file,
			`cannot tell which feed this is: name the file after its feed (${Object.keys(FEEDS).join(', ')})`
		);
	}
	const feed = FEEDS[feedName];
	const context = { today: options.today ?? todayUtc() };
	const startedAt = new Date();
	const summary: ImportSummary = {
		file,
		feed: feedName,
		read: 0,
		inserted: 0,
		updated: 0,
		unchanged: 0,
		rejected: 0,
		warnings: [],
		rejections: [],
		durationMs: 0,
		phasesMs: {},
		dryRun: options.dryRun ?? false
	};
	let extraWarnings = 0;
	let phaseStart = performance.now();
	const phase = (name: string) => {
		const now = performance.now();
		summary.phasesMs[name] = Math.round(now - phaseStart);
		phaseStart = now;
	};
	const warn = (message: string) => {
		if (summary.warnings.length < MAX_LISTED_WARNINGS) summary.warnings.push(detached(message));
		else extraWarnings += 1;
	};

	try {
		await db.transaction(async (tx) => {
			const client = postgresClient(tx);
			if (client) await tx.execute(sql.raw(`SET LOCAL work_mem = '${IMPORT_WORK_MEM}'`));
			await createStage(tx, feed);
			const source = readRows(filePath);
			const stager: Stager = client ? new CopyStager(client, feed) : new InsertStager(tx, feed);
			let names: string[] | undefined;
			let sinceProgress = 0;
			try {
				for await (const cells of source.rows) {
					if (!names) {
						const header = readHeader(file, feed, cells);
						names = header.names;
						header.warnings.forEach(warn);
						continue;
					}
					summary.read += 1;
					const record = toRecord(names, cells);
					const result = validateRow(feed, record, context);
					if (!result.ok) {
						summary.rejections.push(
							detached({
								rowNumber: summary.read,
								column: result.column,
								error: result.error,
								row: record
							})
						);
						continue;
					}
					if (feed.name === 'gazetteer') {
						const warning = gazetteerPrefixWarning(record, summary.read);
						if (warning) warn(warning);
					}
					const wait = stager.add(summary.read, result.values);
					if (wait) await wait;
					if (++sinceProgress >= STAGE_BATCH_ROWS) {
						sinceProgress = 0;
						options.onProgress?.(summary.read, source.fractionRead());
					}
				}
				if (!names) throw new ImportFileError(file, 'the file is empty: expected a header row');
				await stager.finish();
			} catch (error) {
				await stager.abort(error as Error);
				if (error instanceof ImportFileError) throw error;
				const reason = (error as Error).message;
				throw new ImportFileError(file, `cannot be read: ${reason}`);
			}
			options.onProgress?.(summary.read, source.fractionRead());
			phase('read');

			options.onStep?.('checking against the registry');
			const failures = await checkStaged(tx, feed);
			phase('check');
			options.onStep?.('writing');
			// Imports that write the same table wait for each other from here to their commit:
			// the upsert's "is this id new" and the duplicate flags need a table that holds
			// still. Readers are not blocked.
			await tx.execute(sql`LOCK TABLE ${ident(feed.table)} IN SHARE ROW EXCLUSIVE MODE`);
			let touch = await collectTouch(tx, feed);
			phase('touch');
			const duplicates = feed.name === 'members' ? await prepareDuplicateDetection(tx) : undefined;
			const moves = await prepareVillageMoves(tx, feed.name);
			const [inserted, updated] =
				feed.name === 'gazetteer'
					? await upsertGazetteer(tx)
					: await upsertStaged(tx, feed, duplicates?.tracking);
			await moves?.();
			phase('upsert');
			if (duplicates) {
				options.onStep?.('flagging possible duplicates');
				summary.duplicatesFlagged = await duplicates.flag();
				// Their partners' flags too, wherever they live.
				touch = mergeTouch(touch, await householdsTouch(tx, FLAGS_CHANGED));
				phase('duplicates');
			}
			if (failures.length > 0) {
				const originals = await originalRows(filePath, new Set(failures.map((f) => f.row_no)));
				for (const failure of failures) {
					summary.rejections.push({
						rowNumber: failure.row_no,
						column: failure.error_column,
						error: failure.error,
						row: originals.get(failure.row_no) ?? {}
					});
				}
				summary.rejections.sort((a, b) => a.rowNumber - b.rowNumber);
			}
			summary.inserted = inserted;
			summary.updated = updated;
			if (inserted + updated > 0 && touch) summary.touch = touch;
			summary.rejected = summary.rejections.length;
			summary.unchanged = summary.read - inserted - updated - summary.rejected;
			if (extraWarnings > 0) summary.warnings.push(`… and ${extraWarnings} more warnings`);
			summary.durationMs = Date.now() - startedAt.getTime();

			if (summary.dryRun) throw new DryRunRollback();
			// The file's SHA-256, computed as it streamed (a digest can be read once).
			const checksum = source.checksum();
			const [batch] = await tx
				.insert(importBatches)
				.values({
					feed: feed.name,
					fileName: file,
					checksum,
					importedBy: options.importedBy ?? 'cli',
					startedAt,
					finishedAt: new Date(),
					durationMs: summary.durationMs,
					rowsRead: summary.read,
					rowsInserted: summary.inserted,
					rowsUpdated: summary.updated,
					rowsUnchanged: summary.unchanged,
					rowsRejected: summary.rejected,
					warnings: summary.warnings
				})
				.returning({ id: importBatches.id });
			summary.batchId = batch!.id;
			// In the file's transaction: the batch and its audit entry commit (or vanish) together.
			await recordAudit(tx, auditContextOf(options), {
				action: 'import',
				target: file,
				detail: {
					batch_id: batch!.id,
					feed: feed.name,
					checksum,
					read: summary.read,
					inserted: summary.inserted,
					updated: summary.updated,
					unchanged: summary.unchanged,
					rejected: summary.rejected
				}
			});
			for (let i = 0; i < summary.rejections.length; i += 1000) {
				await tx.insert(importRejections).values(
					summary.rejections.slice(i, i + 1000).map((r) => ({
						batchId: batch!.id,
						rowNumber: r.rowNumber,
						errorColumn: r.column,
						error: r.error,
						row: Object.entries(r.row)
					}))
				);
			}
		});
	} catch (error) {
		if (!(error instanceof DryRunRollback)) throw error;
	}
	return summary;
}
