/**
 * The import feeds (domain.md §3) with their exact column names, and the CSV writer that
 * streams their rows to disk: rows are batched, turned into CSV text by csv-stringify and
 * written with back-pressure, so memory stays flat however many households are generated.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { FEEDS as CONTRACT, FEED_ORDER, type FeedName } from '../../src/lib/server/ingest/feeds';

/** Every feed's columns, exactly as the portal's import contract lists them. */
export const FEED_COLUMNS = {} as Record<FeedName, readonly string[]>;
for (const feed of FEED_ORDER) FEED_COLUMNS[feed] = CONTRACT[feed].columns.map((c) => c.name);

/** A feed of the contract. */
export type Feed = FeedName;

/** The feeds, in dependency order. */
export const FEEDS: readonly Feed[] = FEED_ORDER;

/** Somewhere rows can be added. */
export interface RowSink {
	add(row: string[]): void;
}

const BATCH_ROWS = 4_096;

/** Streams one feed's rows to `<dir>/<feed>.csv` (UTF-8, header row, quoted when needed). */
export class FeedWriter implements RowSink {
	readonly file: string;
	/** Data rows written so far (the header not counted). */
	rows = 0;
	private batch: string[][] = [];
	private readonly stream: WriteStream;
	private error: Error | null = null;

	constructor(
		dir: string,
		readonly feed: Feed
	) {
		this.file = path.join(dir, `${feed}.csv`);
		this.stream = createWriteStream(this.file);
		this.stream.on('error', (error) => (this.error = error));
		this.stream.write(stringify([FEED_COLUMNS[feed] as unknown as string[]]));
	}

	/** Queues one row (values in FEED_COLUMNS order; '' for an empty optional value). */
	add(row: string[]): void {
		this.batch.push(row);
		this.rows++;
	}

	/** Writes queued rows once enough have gathered; waits if the disk is behind. */
	async flushIfFull(): Promise<void> {
		if (this.batch.length >= BATCH_ROWS) await this.flush();
	}

	/** Writes all queued rows, waiting for the stream to drain if its buffer is full. */
	async flush(): Promise<void> {
		if (this.error) throw this.error;
		if (this.batch.length === 0) return;
		const text = stringify(this.batch);
		this.batch = [];
		if (!this.stream.write(text)) await once(this.stream, 'drain');
	}

	/** Flushes and closes the file. */
	async close(): Promise<void> {
		await this.flush();
		this.stream.end();
		await once(this.stream, 'finish');
		if (this.error) throw this.error;
	}
}
