/** Import history: the batches imported so far and the rejected rows kept with each. */
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { importBatches, importRejections } from '../db/schema';
import type { Rejection } from './import-file';

/** One imported file as the history page lists it. */
export type ImportBatch = typeof importBatches.$inferSelect;

// The history page shows the latest batches; older ones stay in the table.
const HISTORY_PAGE_SIZE = 200;

/** The latest batches, newest first. */
export async function listBatches(db: Db, limit = HISTORY_PAGE_SIZE): Promise<ImportBatch[]> {
	return db.select().from(importBatches).orderBy(desc(importBatches.id)).limit(limit);
}

/** One batch, or undefined. */
export async function findBatch(db: Db, id: number): Promise<ImportBatch | undefined> {
	const [batch] = await db.select().from(importBatches).where(eq(importBatches.id, id));
	return batch;
}

/** The rejected rows of a batch, in file order. */
export async function batchRejections(db: Db, id: number): Promise<Rejection[]> {
	const rows = await db
		.select()
		.from(importRejections)
		.where(eq(importRejections.batchId, id))
		.orderBy(importRejections.rowNumber);
	return rows.map((r) => ({
		rowNumber: r.rowNumber,
		column: r.errorColumn,
		error: r.error,
		row: Object.fromEntries(r.row)
	}));
}
