/**
 * `npm run refresh [-- --all | --recent] [--no-publish]`: a full refresh of the indicators (the
 * recent periods and the years not computed yet; `--all`: every period; `--recent`: only the
 * last 12 months, their quarters and the current year), printing each step and the duration,
 * then a release of the public indicators (as after every full refresh) unless `--no-publish`.
 * Both runs are in the audit log.
 */
import { parseArgs } from 'node:util';
import { auditedJob, systemContext } from '../src/lib/server/auth/audit';
import { openDatabase } from '../src/lib/server/db';
import { refreshAll } from '../src/lib/server/indicators/refresh';
import { releasesDir } from '../src/lib/server/config';
import { describePublish, publishRelease } from '../src/lib/server/releases/publish';

const { values } = parseArgs({
	options: {
		all: { type: 'boolean', default: false },
		recent: { type: 'boolean', default: false },
		publish: { type: 'boolean', default: true }
	},
	allowNegative: true
});

const database = await openDatabase();
try {
	const started = Date.now();
	const result = await auditedJob(
		database.db,
		systemContext('cli'),
		'refresh',
		() =>
			refreshAll(database.db, {
				all: values.all,
				recentOnly: values.recent,
				onProgress: (step) =>
					console.log(`refreshing (${((Date.now() - started) / 1000).toFixed(1)} s) ${step}`)
			}),
		(done) => ({ periods: done.periods.length })
	);
	console.log(
		`refresh finished: ${result.periods.length} periods in ${(result.durationMs / 1000).toFixed(1)} s`
	);
	if (values.publish) {
		const published = await auditedJob(database.db, systemContext('cli'), 'publish', () =>
			publishRelease(database.db)
		);
		console.log(describePublish(published, releasesDir()));
	}
} finally {
	await database.close();
}
