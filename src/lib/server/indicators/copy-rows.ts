/**
 * Reading a query's rows as they stream from Postgres (`COPY (query) TO STDOUT` in the binary
 * format), grouped by the value of their first column, for computations that walk several
 * tables side by side in the order of an index (see `streamed-counts.ts`). Rows are not turned
 * into objects: a decoder reads each row's fields from the bytes (`CopyRow`) and keeps what it
 * needs, so that tens of millions of rows cost little more than their bytes.
 *
 * The binary format (PostgreSQL's documentation, "COPY", "Binary Format"): a header, then each
 * row as its number of fields (int16, −1 after the last row) and each field as its length
 * (int32, −1 for NULL) and its bytes: `int4` big-endian, `bool` one byte, `text` UTF-8.
 */
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/** The binary format's signature, flags and header extension length. */
const HEADER = 19;

/** The fields of the row being decoded: each read by its position from 0. */
export class CopyRow {
	/** The bytes holding the row. */
	buffer: Buffer = Buffer.alloc(0);
	/** Each field's first byte and its length (−1: NULL). */
	readonly starts: number[] = [];
	readonly lengths: number[] = [];

	isNull(i: number): boolean {
		return this.lengths[i]! < 0;
	}

	/** Field `i` of type `int4`. */
	int(i: number): number {
		return this.buffer.readInt32BE(this.starts[i]!);
	}

	/** Field `i` of type `bool` (NULL reads as false). */
	bool(i: number): boolean {
		return this.lengths[i] === 1 && this.buffer[this.starts[i]!] === 1;
	}

	/** Field `i` of type `text`. */
	text(i: number): string {
		const start = this.starts[i]!;
		return this.buffer.toString('utf8', start, start + this.lengths[i]!);
	}

	/** Whether field `i` holds the same bytes as `bytes`. */
	equals(i: number, bytes: Buffer): boolean {
		const length = this.lengths[i]!;
		if (length !== bytes.length) return false;
		const start = this.starts[i]!;
		return this.buffer.compare(bytes, 0, length, start, start + length) === 0;
	}

	/** A copy of field `i`'s bytes (to compare with a later row's, see `equals`). */
	bytes(i: number): Buffer {
		const start = this.starts[i]!;
		return Buffer.from(this.buffer.subarray(start, start + Math.max(0, this.lengths[i]!)));
	}
}

/**
 * The rows of `query`, streamed by `client` through `COPY … TO STDOUT (FORMAT binary)`, given
 * one by one to `decode` (the row is reused: read its fields, keep values, not the row). The
 * first column must be an `int4` the rows are ordered by: whenever it changes, `flush` is told
 * that the previous value's rows are complete, and the stream waits for it. Ends with a last
 * `flush`. A `flush` that throws ends the reading with its error, once the stream has ended.
 */
export async function streamKeyedRows(
	client: pg.ClientBase,
	query: string,
	decode: (row: CopyRow) => void,
	flush: (key: number) => Promise<void> | undefined
): Promise<void> {
	const row = new CopyRow();
	let key: number | undefined;
	let carry: Buffer | undefined;
	let header = true;
	let ended = false;
	// A large buffer: the connection is paused less often while rows are decoded.
	const stream = client.query(
		copyTo(`COPY (${query}) TO STDOUT (FORMAT binary)`, { highWaterMark: 4 << 20 })
	);
	// When `flush` fails, the rest is read and dropped: the connection must see the end of the
	// COPY (or its error, once the statement is cancelled) before it can run anything else.
	let failed: { error: unknown } | undefined;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		if (failed) continue;
		const buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
		carry = undefined;
		let at = 0;
		if (header) {
			if (buffer.length < HEADER) {
				carry = buffer;
				continue;
			}
			at = HEADER + buffer.readInt32BE(HEADER - 4);
			header = false;
		}
		row.buffer = buffer;
		while (at + 2 <= buffer.length) {
			const fields = buffer.readInt16BE(at);
			if (fields < 0) {
				ended = true;
				at += 2;
				break;
			}
			// The whole row must be in the buffer: else it is carried into the next chunk.
			let next = at + 2;
			let whole = true;
			for (let f = 0; f < fields; f++) {
				if (next + 4 > buffer.length) {
					whole = false;
					break;
				}
				const length = buffer.readInt32BE(next);
				row.starts[f] = next + 4;
				row.lengths[f] = length;
				next += 4 + Math.max(0, length);
			}
			if (!whole || next > buffer.length) break;
			const rowKey = row.int(0);
			if (key !== undefined && rowKey !== key) {
				try {
					const waiting = flush(key);
					if (waiting) await waiting;
				} catch (error) {
					failed = { error };
					break;
				}
				row.buffer = buffer;
			}
			key = rowKey;
			decode(row);
			at = next;
		}
		if (at < buffer.length) carry = Buffer.from(buffer.subarray(at));
	}
	if (failed) throw failed.error;
	if (!ended || carry) throw new Error('COPY output ended inside a row');
	if (key !== undefined) await flush(key);
}
