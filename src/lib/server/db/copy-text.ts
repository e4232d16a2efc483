/**
 * Rows written into a table by `COPY … FROM STDIN` in PostgreSQL's text format, as one
 * streamed statement: the server parses and stores rows on its own core while this process
 * makes the next ones. Writes wait when the connection's buffer is full, so memory stays flat.
 * Used by the importer's stage and the full refresh's streamed counts.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

// The text format: backslash, tab, newline and carriage return are escaped; \N is NULL.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = {
	'\\': '\\\\',
	'\t': '\\t',
	'\n': '\\n',
	'\r': '\\r'
};

/** A value as a field of the text format (escaped where it must be). */
export const copyText = (value: string) =>
	COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;

/** A NULL field of the text format. */
export const COPY_NULL = '\\N';

export class CopyTextWriter {
	private readonly stream: ReturnType<typeof copyFrom>;
	private readonly done: Promise<void>;
	private failure: unknown;
	private text = '';
	private buffered = 0;

	/**
	 * `statement`: the `COPY table (columns) FROM STDIN`; lines are sent `rowsPerMessage` at a
	 * time (a few hundred kB, so that the server parses one while the next is made).
	 */
	constructor(
		client: pg.ClientBase,
		statement: string,
		private readonly rowsPerMessage = 2000
	) {
		this.stream = client.query(copyFrom(statement));
		this.done = finished(this.stream);
		this.done.catch((error: unknown) => (this.failure = error));
	}

	/**
	 * Adds a row: its fields already in the text format (see `copyText`), tab-separated,
	 * without the line's end. Returns a promise to wait for when the rows so far were sent and
	 * the connection's buffer is full.
	 */
	add(line: string): Promise<void> | undefined {
		this.text += line + '\n';
		this.buffered += 1;
		return this.buffered >= this.rowsPerMessage ? this.flush() : undefined;
	}

	private async flush() {
		if (this.failure) throw this.failure;
		if (this.buffered === 0) return;
		const ok = this.stream.write(this.text);
		this.text = '';
		this.buffered = 0;
		if (!ok) await once(this.stream, 'drain');
	}

	/** Sends the last rows and ends the statement; rejects with its error. */
	async finish() {
		await this.flush();
		this.stream.end();
		await this.done;
	}

	/** Ends the statement with an error (CopyFail), so that the connection can roll back. */
	async abort(error: Error) {
		if (!this.stream.destroyed) this.stream.destroy(error);
		await this.done.catch(() => undefined);
	}
}
