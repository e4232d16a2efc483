/**
 * The browser's DuckDB (DuckDB-WASM), behind one lazy promise: nothing is downloaded until a
 * page asks for it, and only pages that need it import this module (dynamically, so the
 * server never loads it). Browser only.
 *
 * Version: @duckdb/duckdb-wasm 1.28.0 (DuckDB 0.9), pinned on purpose. From 1.29 on, Parquet
 * support is an extension that DuckDB-WASM downloads at run time from extensions.duckdb.org
 * (1.32.0 asks for `v1.4.3/wasm_eh/parquet.duckdb_extension.wasm`), which no npm package
 * ships, the CSP forbids, and offline or firewalled ministry machines cannot reach. 1.28.0 has
 * Parquet compiled in. Upgrade once the extension can be served from this origin.
 *
 * Bundle: only the `eh` build (WebAssembly exception handling; Chrome 95+, Firefox 100+,
 * Safari 15.2+), served from this origin through Vite's `?url` imports, no CDN. Its wasm is
 * 18.1 MB (2.7 MB as the build's brotli copy, 4.2 MB gzip), its worker 266 KB (58 KB brotli).
 * The `mvp` fallback (22.1 MB) would only grow the build for browsers the ministry does not
 * use; `coi` needs cross-origin isolation headers we do not set.
 *
 * Datasets are fetched whole into memory and registered as buffers, not read by HTTP range
 * requests: a page that has loaded a dataset then keeps answering queries when the connection
 * drops (issue #6), and every query after the first is free of network round trips.
 */
import type { AsyncDuckDB, AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import type { SqlStatement } from './sql';

/** A value of a result cell (BIGINTs, DECIMALs and dates are converted, see `toCell`). */
export type Cell = string | number | boolean | null;

/** A query's result: its column names and its rows as arrays of cells, in column order. */
export interface QueryResult {
	columns: string[];
	rows: Cell[][];
}

let database: Promise<AsyncDuckDB> | undefined;

/** The one DuckDB of the page, created on first use (a failed start is retried next time). */
export function getDuckDB(): Promise<AsyncDuckDB> {
	if (typeof window === 'undefined') throw new Error('DuckDB-WASM runs in the browser only');
	database ??= createDuckDB().catch((error: unknown) => {
		database = undefined;
		throw error;
	});
	return database;
}

async function createDuckDB(): Promise<AsyncDuckDB> {
	const [duckdb, wasm, worker] = await Promise.all([
		import('@duckdb/duckdb-wasm'),
		import('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url'),
		import('@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url')
	]);
	const features = await duckdb.getPlatformFeatures();
	if (!features.wasmExceptions) {
		throw new Error('this browser is too old for the in-browser database (WebAssembly exceptions)');
	}
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(worker.default));
	await db.instantiate(wasm.default);
	await db.open({
		// Numbers as JavaScript numbers: counts of cells fit in a double; a BigInt would not print.
		query: { castBigIntToDouble: true, castDecimalToDouble: true, castTimestampToDate: true }
	});
	const connection = await db.connect();
	try {
		// Extensions would be downloaded from duckdb.org, which the CSP (and offline use) forbids:
		// fail at once with a clear error instead of trying.
		await connection.query(
			'SET autoinstall_known_extensions = false; SET autoload_known_extensions = false'
		);
	} finally {
		await connection.close();
	}
	return db;
}

/** Bytes received of a download, and its size when the server says it. */
export interface DownloadProgress {
	loaded: number;
	total: number | null;
}

/** Fetches a file whole, reporting progress as chunks arrive. */
export async function fetchBytes(
	url: string,
	onProgress?: (progress: DownloadProgress) => void
): Promise<Uint8Array> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
	// A compressed response's Content-Length counts compressed bytes: no total then.
	const length = Number(response.headers.get('content-length'));
	const total = response.headers.get('content-encoding') || !(length > 0) ? null : length;
	if (!response.body) return new Uint8Array(await response.arrayBuffer());
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let loaded = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		loaded += value.byteLength;
		onProgress?.({ loaded, total });
	}
	const bytes = new Uint8Array(loaded);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

const registered = new Map<string, Promise<number>>();

/**
 * Registers a Parquet file as a view named `table` (a name the caller controls): fetched once,
 * kept in DuckDB's memory, queried from there. Resolves to the file's size in bytes; later
 * calls share the first one's promise.
 */
export function registerParquet(
	table: string,
	url: string,
	onProgress?: (progress: DownloadProgress) => void
): Promise<number> {
	if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
	let pending = registered.get(table);
	if (!pending) {
		pending = (async () => {
			const [db, bytes] = await Promise.all([getDuckDB(), fetchBytes(url, onProgress)]);
			const fileName = `${table}.parquet`;
			// Read before registering: the buffer is transferred to the worker, leaving it empty.
			const size = bytes.byteLength;
			await db.registerFileBuffer(fileName, bytes);
			await run({
				// A view, not a table: copying millions of rows into DuckDB's own format would
				// take seconds; queries filtered on indicator and period read only the row groups
				// whose statistics match (the release sorts its rows so).
				sql: `CREATE OR REPLACE VIEW ${table} AS SELECT * FROM read_parquet('${fileName}')`,
				params: []
			});
			return size;
		})().catch((error: unknown) => {
			registered.delete(table);
			throw error;
		});
		registered.set(table, pending);
	}
	return pending;
}

/** A result value as a cell: BIGINTs left over become numbers, dates ISO text, lists JSON. */
export function toCell(value: unknown): Cell {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'bigint') return Number(value);
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function') {
		return JSON.stringify(value.toJSON(), (_, v: unknown) =>
			typeof v === 'bigint' ? Number(v) : v
		);
	}
	return String(value);
}

/**
 * Runs one statement: prepared with its parameters (or as is without), on its own connection,
 * closed in `finally` whatever happens.
 */
export async function run(statement: SqlStatement): Promise<QueryResult> {
	const db = await getDuckDB();
	const connection = await db.connect();
	try {
		let table: Awaited<ReturnType<AsyncDuckDBConnection['query']>>;
		if (statement.params.length === 0) {
			table = await connection.query(statement.sql);
		} else {
			const prepared = await connection.prepare(statement.sql);
			try {
				table = await prepared.query(...statement.params);
			} finally {
				await prepared.close();
			}
		}
		const columns: string[] = table.schema.fields.map((field: { name: string }) => field.name);
		const vectors = columns.map((_, index) => table.getChildAt(index));
		const rows: Cell[][] = [];
		for (let row = 0; row < table.numRows; row++) {
			rows.push(vectors.map((vector) => toCell(vector?.get(row))));
		}
		return { columns, rows };
	} finally {
		await connection.close();
	}
}

/** The rows of a result as objects keyed by column name. */
export function rowObjects(result: QueryResult): Record<string, Cell>[] {
	return result.rows.map((row) =>
		Object.fromEntries(result.columns.map((column, index) => [column, row[index] ?? null]))
	);
}
