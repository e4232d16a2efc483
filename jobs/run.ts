/**
 * `npm run jobs`: runs the scheduled jobs (drop-folder import, nightly refresh and release) as
 * their own process until SIGINT/SIGTERM. With `--once`, runs the drop-folder job once and exits.
 * What they do goes to the server's log (`log.ts`).
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/lib/server/db';
import { runDropFolderJob, startScheduler } from '../src/lib/server/jobs/scheduler';
import { log as serverLog } from '../src/lib/server/log';

const { values } = parseArgs({ options: { once: { type: 'boolean', default: false } } });
// Into the server's log (JSON lines with their time), as the web server's jobs are.
const log = (message: string) => serverLog.info({ job: true }, message);
const database = await openDatabase();

if (values.once) {
	try {
		await runDropFolderJob(database.db, log);
	} finally {
		await database.close();
	}
} else {
	const stop = startScheduler(database, log);
	const shutdown = async () => {
		stop();
		await database.close();
		process.exit(0);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}
