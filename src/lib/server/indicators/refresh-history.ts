/** The indicator refreshes as the status page lists them. */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';
import { runningRefresh } from './refresh';

export interface RefreshRunRow {
	id: number;
	kind: string;
	started_at: string;
	finished_at: string | null;
	duration_ms: number | null;
	periods: number;
	communes: number | null;
	/** For a full refresh after imports, how many communes they touched (see `refresh_runs`). */
	touched_communes: number | null;
	progress: string | null;
	error: string | null;
}

/** The latest runs, newest first; a run still going carries its current step. */
export async function listRefreshRuns(db: Db, limit = 30): Promise<RefreshRunRow[]> {
	const rows = await queryRows<RefreshRunRow>(
		db,
		sql`SELECT id, kind, started_at::text, finished_at::text, duration_ms,
				jsonb_array_length(periods) AS periods,
				CASE WHEN communes IS NULL THEN NULL ELSE jsonb_array_length(communes) END AS communes,
				touched_communes, progress, error
			FROM refresh_runs ORDER BY id DESC LIMIT ${limit}`
	);
	const here = runningRefresh();
	return rows.map((r) => (here && r.id === here.id ? { ...r, progress: here.step } : r));
}
