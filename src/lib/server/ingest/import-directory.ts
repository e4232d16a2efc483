/**
 * Imports every contract file of a directory (or one file) in dependency order, one
 * transaction per file, so that households exist before their members are checked.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db';
import { FEED_ORDER, feedFromFileName } from './feeds';
import { isImportFile } from './read-rows';
import { importFile, ImportFileError, type ImportOptions, type ImportSummary } from './import-file';

/** The outcome for one file: its summary, or why it could not be imported at all. */
export type FileOutcome =
	{ ok: true; summary: ImportSummary } | { ok: false; file: string; error: string };

/** Lists the importable files of a path in dependency order; a file is taken as given. */
export function filesInImportOrder(target: string): string[] {
	if (!statSync(target).isDirectory()) return [target];
	const files = readdirSync(target)
		.filter((name) => isImportFile(name) && feedFromFileName(name))
		.map((name) => ({ name, rank: FEED_ORDER.indexOf(feedFromFileName(name)!) }));
	files.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
	return files.map((f) => path.join(target, f.name));
}

/**
 * Imports a file or a directory. A file that cannot be imported is reported and the others
 * go on: each file is its own transaction, so nothing already saved is lost.
 */
export async function importPath(
	db: Db,
	target: string,
	options: ImportOptions & {
		onFileStart?: (file: string) => void;
		onFile?: (outcome: FileOutcome) => void;
	} = {}
): Promise<FileOutcome[]> {
	const outcomes: FileOutcome[] = [];
	for (const file of filesInImportOrder(target)) {
		let outcome: FileOutcome;
		options.onFileStart?.(file);
		try {
			outcome = { ok: true, summary: await importFile(db, file, options) };
		} catch (error) {
			if (!(error instanceof ImportFileError)) throw error;
			outcome = { ok: false, file: error.file, error: error.message };
		}
		outcomes.push(outcome);
		options.onFile?.(outcome);
	}
	return outcomes;
}
