import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { findUploadJob } from '$lib/server/ingest/upload-jobs';
import type { RequestHandler } from './$types';

/** Progress of an upload job, for the upload page to poll. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const admin = requireRole(locals, 'admin');
	const job = findUploadJob(params.id, admin.username);
	if (!job) return json({ error: `no upload job ${params.id}` }, { status: 404 });
	return json(job);
};
