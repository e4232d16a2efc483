/**
 * The import feeds (domain.md §3) with their exact column names, and the CSV writer that
 * streams their rows to disk: rows are batched, turned into CSV text by csv-stringify and
 * written with back-pressure, so memory stays flat however many households are generated.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';

/** Every feed's columns, in the order the demo files write them. */
export const FEED_COLUMNS = {
	gazetteer: [
		'province_code',
		'province_en',
		'province_km',
		'district_code',
		'district_en',
		'district_km',
		'commune_code',
		'commune_en',
		'commune_km',
		'village_code',
		'village_en',
		'village_km',
		'lat',
		'lon'
	],
	population: [
		'geo_code',
		'year',
		'households',
		'persons',
		'persons_female',
		'persons_0_17',
		'persons_60_plus'
	],
	offices: [
		'office_code',
		'level',
		'geo_code',
		'opened_on',
		'closed_on',
		'staff_count',
		'staff_trained'
	],
	programmes: [
		'programme_code',
		'name_en',
		'name_km',
		'ministry',
		'kind',
		'unit',
		'target',
		'life_cycle'
	],
	households: ['household_id', 'village_code', 'registered_on', 'idpoor_level', 'office_code'],
	members: [
		'person_id',
		'household_id',
		'sex',
		'birth_date',
		'full_name',
		'national_id',
		'disability',
		'relationship'
	],
	applications: [
		'application_id',
		'programme_code',
		'household_id',
		'person_id',
		'office_code',
		'applied_on',
		'status',
		'decided_on'
	],
	enrolments: [
		'enrolment_id',
		'programme_code',
		'household_id',
		'person_id',
		'enrolled_on',
		'exited_on'
	],
	benefits: ['benefit_id', 'enrolment_id', 'period', 'delivered_on', 'amount_khr', 'kind'],
	appeals: [
		'appeal_id',
		'household_id',
		'programme_code',
		'village_code',
		'lodged_on',
		'channel',
		'category',
		'status',
		'resolved_on'
	]
} as const satisfies Record<string, readonly string[]>;

/** A feed name; its file is `<feed>.csv`. */
export type Feed = keyof typeof FEED_COLUMNS;

/** The feeds in the order they are written (and should be imported). */
export const FEEDS = Object.keys(FEED_COLUMNS) as Feed[];

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
