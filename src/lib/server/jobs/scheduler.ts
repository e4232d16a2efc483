/**
 * Scheduled jobs, run with `cron`: the drop-folder import (then a refresh when it imported
 * anything) and the nightly full refresh, then a release of the public indicators.
 * `npm run jobs` runs them as their own process. `waitForCompletion` keeps a slow run from
 * overlapping the next tick.
 *
 * Releases follow full refreshes only: an incremental refresh after an import changes the
 * internal figures at once, and the public files the next night (publishing takes minutes at
 * national scale, and imports may come every minute). `npm run publish` publishes at once.
 */
import { CronJob } from 'cron';
import { dropFolderDir, dropFolderSchedule, refreshSchedule } from '../config';
import type { Db } from '../db';
import { refreshAfterImport, refreshAll } from '../indicators/refresh';
import { processDropFolder, type DropOutcome } from '../ingest/drop-folder';
import { describePublish, publishRelease } from '../releases/publish';
import { releasesDir } from '../config';

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

/** Starts every scheduled job; returns a function that stops them. */
export function startScheduler(db: Db, log: JobLog): () => void {
	const jobs = [
		CronJob.from({
			name: 'drop-folder import',
			cronTime: dropFolderSchedule(),
			onTick: async () => void (await runDropFolderJob(db, log)),
			waitForCompletion: true,
			errorHandler: (error) => log(`drop folder: error: ${(error as Error).message}`),
			start: true
		}),
		CronJob.from({
			name: 'nightly refresh',
			cronTime: refreshSchedule(),
			onTick: async () => {
				const result = await refreshAll(db);
				log(`nightly refresh: ${result.periods.length} periods in ${result.durationMs} ms`);
				log(describePublish(await publishRelease(db), releasesDir()));
			},
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
