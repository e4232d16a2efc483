import { requireRole } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/auth/audit';
import { getAppDatabase } from '$lib/server/db';
import { refreshAll, refreshQueue } from '$lib/server/indicators/refresh';
import { listRefreshRuns } from '$lib/server/indicators/refresh-history';
import { releasesDir } from '$lib/server/config';
import { log } from '$lib/server/log';
import { describePublish, publishRelease } from '$lib/server/releases/publish';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'national');
	const { db } = await getAppDatabase();
	return { runs: await listRefreshRuns(db), queue: queueState() };
};

/**
 * The refresh this process has queued and not started yet, if any (a refresh has a row in the
 * history only once it starts), and what it waits for: a release being published or another
 * refresh.
 */
function queueState() {
	const { current, waiting } = refreshQueue();
	const next = waiting.find((w) => w.kind !== 'release');
	return next
		? {
				kind: next.kind,
				since: next.since.toISOString(),
				after: current?.kind === 'release' ? ('release' as const) : ('refresh' as const)
			}
		: null;
}

export const actions: Actions = {
	/** Starts a full refresh in the background; the page shows its progress. */
	full: async ({ locals, getClientAddress }) => {
		const admin = requireRole(locals, 'admin');
		const { db } = await getAppDatabase();
		// One full refresh waiting is enough: a second would recompute the same periods after it.
		if (refreshQueue().waiting.some((w) => w.kind === 'full')) return { started: true };
		await recordAudit(
			db,
			{ actor: admin.username, address: getClientAddress() },
			{ action: 'refresh_start', detail: { kind: 'full' } }
		);
		// A failure is recorded in refresh_runs and shown on this page. A full refresh is
		// followed by a release, as the nightly one is (see the scheduler).
		refreshAll(db)
			.then(async () => log.info(describePublish(await publishRelease(db), releasesDir())))
			.catch((error: unknown) => log.error({ err: error }, 'refresh or publish failed'));
		return { started: true };
	}
};
