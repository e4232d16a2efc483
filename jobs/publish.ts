/**
 * `npm run publish [-- --force]`: publishes a release of the public indicators into
 * RELEASES_DIR (see README "Releases"), printing progress (rows written) and the duration.
 * Nothing is published when the figures equal the latest release's, unless `--force`.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/lib/server/db';
import { releasesDir } from '../src/lib/server/config';
import { describePublish, publishRelease } from '../src/lib/server/releases/publish';

const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });

const database = await openDatabase();
try {
	const started = Date.now();
	let lastPrinted = 0;
	const result = await publishRelease(database.db, {
		force: values.force,
		onProgress: ({ step, rows }) => {
			// One line a second at most: a national-scale release has thousands of tables.
			if (Date.now() - lastPrinted < 1000) return;
			lastPrinted = Date.now();
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			console.log(`publishing (${seconds} s) ${rows.toLocaleString('en')} rows written; ${step}`);
		}
	});
	console.log(describePublish(result, releasesDir()));
} finally {
	await database.close();
}
