/**
 * `npm run jobs`: runs the scheduled jobs (drop-folder import, nightly refresh and release) as
 * their own process until SIGINT/SIGTERM. With `--once`, runs the drop-folder job once and exits.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/lib/server/db';
import { runDropFolderJob, startScheduler } from '../src/lib/server/jobs/scheduler';

const { values } = parseArgs({ options: { once: { type: 'boolean', default: false } } });
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);
const database = await openDatabase();

if (values.once) {
	try {
		await runDropFolderJob(database.db, log);
	} finally {
		await database.close();
	}
} else {
	const stop = startScheduler(database.db, log);
	const shutdown = async () => {
		stop();
		await database.close();
		process.exit(0);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}
