/**
 * Uploaded files being imported in the background, so the upload page can show progress
 * while a large file runs. Jobs live in this process's memory: each is readable only by the
 * user who started it, and finished jobs are forgotten after an hour (their results stay in
 * the import history). One app instance serves an upload from start to end.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db';
import { FEED_ORDER, feedFromFileName } from './feeds';
import type { Touch } from './touched';
import { importFile, ImportFileError } from './import-file';
import type { AuditContext } from '../auth/audit';
import { isImportFile } from './read-rows';

/** Progress and outcome of one uploaded file. */
export interface UploadFileState {
	file: string;
	status: 'queued' | 'importing' | 'imported' | 'failed';
	rowsRead: number;
	/** 0–1 where known (CSV), else null. */
	fraction: number | null;
	/** What the import does once the file is read (checking, writing), in words. */
	step?: string;
	batchId?: number;
	counts?: { read: number; inserted: number; updated: number; unchanged: number; rejected: number };
	/** What the file changed for the indicators (for the incremental refresh). */
	touch?: Touch;
	warnings?: string[];
	error?: string;
}

/** An upload of one or more files, imported in dependency order. */
export interface UploadJob {
	id: string;
	owner: string;
	status: 'running' | 'finished';
	startedAt: number;
	finishedAt?: number;
	files: UploadFileState[];
}

// Finished jobs are kept this long for the page to fetch their final state.
const JOB_RETENTION_MS = 60 * 60 * 1000;

const jobs = new Map<string, UploadJob>();

function forgetOldJobs(now: number) {
	for (const [id, job] of jobs) {
		if (job.finishedAt && now - job.finishedAt > JOB_RETENTION_MS) jobs.delete(id);
	}
}

/**
 * The largest request adapter-node accepts, in bytes: `BODY_SIZE_LIMIT` read as adapter-node
 * reads it (a number of bytes, or with a K, M or G suffix; default 512K), so the upload page can
 * refuse a larger upload before sending it instead of letting it end in a bare 413.
 */
export function uploadLimitBytes(value = process.env.BODY_SIZE_LIMIT ?? '512K'): number {
	const multipliers: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 };
	const multiplier = multipliers[value.at(-1)?.toUpperCase() ?? ''];
	return multiplier ? Number(value.slice(0, -1)) * multiplier : Number(value);
}

/** A file as received from the upload form. */
export interface UploadedFile {
	name: string;
	bytes: Uint8Array;
}

/** Checks the uploaded files' names before anything is saved; returns the problems. */
export function uploadProblems(files: UploadedFile[]): string[] {
	if (files.length === 0) return ['choose at least one file'];
	return files.flatMap((f) => {
		if (!isImportFile(f.name)) return [`${f.name}: not a CSV or XLSX file`];
		if (!feedFromFileName(f.name)) {
			return [`${f.name}: name the file after its feed (${FEED_ORDER.join(', ')})`];
		}
		return [];
	});
}

/** Saves the files and starts importing them; returns the job at once. */
export async function startUploadJob(
	db: Db,
	owner: AuditContext & { actor: string },
	files: UploadedFile[],
	workDir: string,
	onFinished?: (job: UploadJob) => void
): Promise<UploadJob> {
	forgetOldJobs(Date.now());
	const id = randomUUID();
	const dir = path.join(workDir, id);
	await mkdir(dir, { recursive: true });
	const ordered = [...files].sort(
		(a, b) =>
			FEED_ORDER.indexOf(feedFromFileName(a.name)!) - FEED_ORDER.indexOf(feedFromFileName(b.name)!)
	);
	for (const f of ordered) await writeFile(path.join(dir, path.basename(f.name)), f.bytes);
	const job: UploadJob = {
		id,
		owner: owner.actor,
		status: 'running',
		startedAt: Date.now(),
		files: ordered.map((f) => ({
			file: path.basename(f.name),
			status: 'queued',
			rowsRead: 0,
			fraction: 0
		}))
	};
	jobs.set(id, job);
	void (async () => {
		for (const state of job.files) {
			state.status = 'importing';
			try {
				const summary = await importFile(db, path.join(dir, state.file), {
					importedBy: owner.actor,
					audit: owner,
					onProgress: (rowsRead, fraction) => {
						state.rowsRead = rowsRead;
						state.fraction = fraction ?? null;
					},
					onStep: (step) => (state.step = step)
				});
				const { read, inserted, updated, unchanged, rejected } = summary;
				Object.assign(state, {
					status: 'imported',
					step: undefined,
					rowsRead: read,
					fraction: 1,
					batchId: summary.batchId,
					counts: { read, inserted, updated, unchanged, rejected },
					touch: summary.touch,
					warnings: summary.warnings
				});
			} catch (error) {
				state.status = 'failed';
				state.error =
					error instanceof ImportFileError
						? error.message
						: `${state.file}: the import failed (${(error as Error).message})`;
			}
		}
		job.status = 'finished';
		job.finishedAt = Date.now();
		await rm(dir, { recursive: true, force: true });
		onFinished?.(job);
	})();
	return job;
}

/** A job, if it exists and belongs to `owner`. */
export function findUploadJob(id: string, owner: string): UploadJob | undefined {
	const job = jobs.get(id);
	return job && job.owner === owner ? job : undefined;
}
