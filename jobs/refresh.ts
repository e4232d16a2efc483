/**
 * `npm run refresh [-- --all | --recent]`: a full refresh of the indicators (the recent periods
 * and the years not computed yet; `--all`: every period; `--recent`: only the last 12 months,
 * their quarters and the current year), printing each step and the duration.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/lib/server/db';
import { refreshAll } from '../src/lib/server/indicators/refresh';
import { auditedJob, systemContext } from '../src/lib/server/auth/audit';

const { values } = parseArgs({
	options: {
		all: { type: 'boolean', default: false },
		recent: { type: 'boolean', default: false }
	}
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
} finally {
	await database.close();
}
