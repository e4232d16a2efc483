/**
 * Scheduled jobs, run with `cron`: the drop-folder import (then a refresh when it imported
 * anything) and the nightly full refresh, then a release of the public indicators.
 * `npm run jobs` runs them as their own process. `waitForCompletion` keeps a slow run from
 * overlapping the next tick in one instance; a database lock (`withJobLock`) keeps two
 * instances from running the same job at once. Every failure is in the audit log, and every run
 * but a drop-folder scan that found no file (one a minute would bury the log).
 *
 * Releases follow full refreshes only: an incremental refresh after an import changes the
 * internal figures at once, and the public files the next night (publishing takes minutes at
 * national scale, and imports may come every minute). `npm run publish` publishes at once.
 */
import { CronJob } from 'cron';
import { auditedJob, systemContext } from '../auth/audit';
import { dropFolderDir, dropFolderSchedule, refreshSchedule, releasesDir } from '../config';
import type { Database, Db } from '../db';
import { withJobLock } from './job-lock';
import { refreshAfterImport, refreshAll } from '../indicators/refresh';
import { processDropFolder, type DropOutcome } from '../ingest/drop-folder';
import { describePublish, publishRelease } from '../releases/publish';

/** Where scheduled jobs report what they did. */
export type JobLog = (message: string) => void;

function describe(outcome: DropOutcome): string {
	switch (outcome.status) {
		case 'imported': {
			const s = outcome.summary;
			return `${outcome.file}: read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}`;
		}
		case 'already_imported':
			return `${outcome.file}: already imported as batch ${outcome.batchId}; moved to processed/`;
		case 'failed':
			return `${outcome.file}: failed: ${outcome.error}`;
		case 'waiting':
			return `${outcome.file}: still changing; next run`;
	}
}

/** One drop-folder run: import what is settled, then refresh the indicators if anything landed. */
export async function runDropFolderJob(
	db: Db,
	log: JobLog,
	dir = dropFolderDir()
): Promise<DropOutcome[]> {
	const outcomes = await processDropFolder(db, dir);
	outcomes.forEach((o) => log(`drop folder: ${describe(o)}`));
	const result = await refreshAfterImport(
		db,
		outcomes.map((o) => (o.status === 'imported' ? o.summary.touch : undefined))
	);
	if (result) {
		log(
			`refresh after drop-folder import: ${result.periods.length} periods in ${result.durationMs} ms`
		);
	}
	return outcomes;
}

/** Counts of a drop-folder run's outcomes, for the audit log; null (not recorded) for none. */
export function countOutcomes(outcomes: DropOutcome[]) {
	if (outcomes.length === 0) return null;
	const counts: Record<string, number> = {};
	for (const outcome of outcomes) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
	return counts;
}

/**
 * Runs a scheduled job once: under its lock across instances, audited. Says so in the log when
 * another instance holds the lock.
 */
async function runScheduled<T>(
	database: Database,
	log: JobLog,
	job: string,
	run: () => Promise<T>,
	describe: (result: T) => Record<string, unknown> | null
): Promise<void> {
	const outcome = await withJobLock(database, job, () =>
		auditedJob(database.db, systemContext('scheduler'), job, run, describe)
	);
	if (!outcome.ran) log(`${job}: another instance is running it; skipped`);
}

/** Starts every scheduled job; returns a function that stops them. */
export function startScheduler(database: Database, log: JobLog): () => void {
	const { db } = database;
	const jobs = [
		CronJob.from({
			name: 'drop-folder import',
			cronTime: dropFolderSchedule(),
			onTick: () =>
				runScheduled(
					database,
					log,
					'drop-folder import',
					() => runDropFolderJob(db, log),
					countOutcomes
				),
			waitForCompletion: true,
			errorHandler: (error) => log(`drop folder: error: ${(error as Error).message}`),
			start: true
		}),
		CronJob.from({
			name: 'nightly refresh',
			cronTime: refreshSchedule(),
			onTick: () =>
				runScheduled(
					database,
					log,
					'nightly refresh',
					async () => {
						const result = await refreshAll(db);
						log(`nightly refresh: ${result.periods.length} periods in ${result.durationMs} ms`);
						log(describePublish(await publishRelease(db), releasesDir()));
						return result;
					},
					(result) => ({ periods: result.periods.length })
				),
			waitForCompletion: true,
			errorHandler: (error) => log(`nightly refresh: error: ${(error as Error).message}`),
			start: true
		})
	];
	log(
		`scheduler started: drop folder ${dropFolderDir()} (${dropFolderSchedule()}), refresh (${refreshSchedule()})`
	);
	return () => jobs.forEach((job) => job.stop());
}
