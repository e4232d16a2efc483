import { fail } from '@sveltejs/kit';
import path from 'node:path';
import { requireRole } from '$lib/server/auth/guard';
import { PROJECT_ROOT } from '$lib/server/config';
import { getAppDatabase } from '$lib/server/db';
import { refreshAfterImport } from '$lib/server/indicators/refresh';
import { listBatches } from '$lib/server/ingest/history';
import { startUploadJob, uploadLimitBytes, uploadProblems } from '$lib/server/ingest/upload-jobs';
import type { Actions, PageServerLoad } from './$types';

// Uploaded files wait here while they are imported; each job deletes its folder when done.
const UPLOAD_DIR = path.join(PROJECT_ROOT, 'data/work/uploads');

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	const { db } = await getAppDatabase();
	return { batches: await listBatches(db), uploadLimit: uploadLimitBytes() };
};

export const actions: Actions = {
	upload: async ({ locals, request, getClientAddress }) => {
		const admin = requireRole(locals, 'admin');
		const form = await request.formData();
		const files = form.getAll('files').filter((f): f is File => f instanceof File && f.size > 0);
		const uploaded = await Promise.all(
			files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))
		);
		const problems = uploadProblems(uploaded);
		if (problems.length > 0) return fail(400, { problems });
		const { db } = await getAppDatabase();
		const owner = { actor: admin.username, address: getClientAddress() };
		const job = await startUploadJob(db, owner, uploaded, UPLOAD_DIR, (finished) => {
			// The indicators follow the registry: the communes and periods the files touched are
			// recomputed; a failed refresh is recorded in refresh_runs (see /refresh).
			refreshAfterImport(
				db,
				finished.files.map((f) => f.touch)
			).catch(() => undefined);
		});
		return { jobId: job.id };
	}
};
