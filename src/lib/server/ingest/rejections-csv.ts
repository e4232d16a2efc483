/**
 * The rejected rows of an import as CSV (§3): the file's original columns, then
 * `error_column` and `error`, so a data officer can fix the rows and import the file again.
 */
import { stringify } from 'csv-stringify/sync';
import type { Rejection } from './import-file';

/** Renders rejected rows; the columns are the original header's, in its order. */
export function rejectionsCsv(
	rejections: readonly Pick<Rejection, 'row' | 'column' | 'error'>[]
): string {
	const columns: string[] = [];
	for (const rejection of rejections) {
		for (const name of Object.keys(rejection.row)) if (!columns.includes(name)) columns.push(name);
	}
	const header = [...columns, 'error_column', 'error'];
	const rows = rejections.map((r) => [...columns.map((c) => r.row[c] ?? ''), r.column, r.error]);
	return stringify([header, ...rows]);
}
