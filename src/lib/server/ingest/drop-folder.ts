/**
 * The drop folder: district and programme systems place files in `inbox/`; each run imports
 * them in dependency order through the one import engine, and only after a file's
 * transaction has committed moves it to `processed/` (or, when it could not be imported at
 * all, to `failed/`) with its report beside it. A crash between the commit and the move
 * leaves the file in the inbox; the next run finds its checksum already imported and moves it
 * without importing it again, so no file is lost or imported twice.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { recordAudit, systemContext } from '../auth/audit';
import { queryRows, type Db } from '../db';
import { FEED_ORDER } from './feeds';
import { filesInImportOrder } from './import-directory';
import { importFile, ImportFileError, type ImportSummary } from './import-file';
import { rejectionsCsv } from './rejections-csv';

// A file changed this recently may still be being copied in; it waits for the next run.
const SETTLE_MS = 10_000;

/** What happened to one file of the inbox. */
export type DropOutcome =
	| { file: string; status: 'imported'; summary: ImportSummary }
	| { file: string; status: 'already_imported'; batchId: number }
	| { file: string; status: 'failed'; error: string }
	| { file: string; status: 'waiting' };

async function sha256(file: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** Moves a file into a folder under a name that never overwrites an earlier one. */
async function moveInto(file: string, folder: string, stamp: string): Promise<string> {
	await mkdir(folder, { recursive: true });
	const target = path.join(folder, `${stamp}_${path.basename(file)}`);
	await rename(file, target);
	return target;
}

/** Imports every settled file of `<dir>/inbox`; `now` is injectable for tests. */
export async function processDropFolder(
	db: Db,
	dir: string,
	options: { now?: () => Date; settleMs?: number } = {}
): Promise<DropOutcome[]> {
	const now = options.now ?? (() => new Date());
	const settleMs = options.settleMs ?? SETTLE_MS;
	const inbox = path.join(dir, 'inbox');
	await mkdir(inbox, { recursive: true });
	const outcomes: DropOutcome[] = [];
	const names = new Set(await readdir(inbox));
	for (const file of filesInImportOrder(inbox)) {
		names.delete(path.basename(file));
		const stamp = now().toISOString().replace(/[:.]/g, '-');
		if (now().getTime() - (await stat(file)).mtimeMs < settleMs) {
			outcomes.push({ file: path.basename(file), status: 'waiting' });
			continue;
		}
		const checksum = await sha256(file);
		const [earlier] = await queryRows<{ id: number }>(
			db,
			sql`SELECT id FROM import_batches WHERE checksum = ${checksum} AND file_name = ${path.basename(file)} ORDER BY id DESC LIMIT 1`
		);
		if (earlier) {
			await moveInto(file, path.join(dir, 'processed'), stamp);
			outcomes.push({ file: path.basename(file), status: 'already_imported', batchId: earlier.id });
			continue;
		}
		try {
			const summary = await importFile(db, file, { importedBy: 'drop folder' });
			const moved = await moveInto(file, path.join(dir, 'processed'), stamp);
			const { rejections, ...report } = summary;
			await writeFile(`${moved}.report.json`, JSON.stringify(report, null, 2));
			if (rejections.length > 0)
				await writeFile(`${moved}.rejected.csv`, rejectionsCsv(rejections));
			outcomes.push({ file: path.basename(file), status: 'imported', summary });
		} catch (error) {
			if (!(error instanceof ImportFileError)) throw error;
			const moved = await moveInto(file, path.join(dir, 'failed'), stamp);
			await writeFile(`${moved}.report.json`, JSON.stringify({ error: error.message }, null, 2));
			outcomes.push({ file: path.basename(file), status: 'failed', error: error.message });
		}
	}
	// Files the importer cannot take (unknown feed or format) go to failed/ with the reason, and
	// into the audit log as refused, as a refused upload is.
	for (const name of names) {
		const file = path.join(inbox, name);
		if (!existsSync(file)) continue;
		const info = await stat(file);
		if (info.isDirectory() || now().getTime() - info.mtimeMs < settleMs) continue;
		const stamp = now().toISOString().replace(/[:.]/g, '-');
		const error = `${name}: not an import file: its name must end with a feed's name and .csv or .xlsx, such as households.csv or 2025-03_households.xlsx (feeds: ${FEED_ORDER.join(', ')})`;
		const moved = await moveInto(file, path.join(dir, 'failed'), stamp);
		await writeFile(`${moved}.report.json`, JSON.stringify({ error }, null, 2));
		await recordAudit(db, systemContext('drop folder'), {
			action: 'import_failed',
			target: name,
			detail: { error }
		});
		outcomes.push({ file: name, status: 'failed', error });
	}
	return outcomes;
}
