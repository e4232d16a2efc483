import { recordAudit } from '$lib/server/auth/audit';
import { requireRole } from '$lib/server/auth/guard';
import { getAppDatabase } from '$lib/server/db';
import { batchRejections, findBatch } from '$lib/server/ingest/history';
import { rejectionsCsv } from '$lib/server/ingest/rejections-csv';
import type { RequestHandler } from './$types';

/** The rejected rows of one import batch as CSV: the admin's own import report (§3). */
export const GET: RequestHandler = async ({ locals, params, getClientAddress }) => {
	const admin = requireRole(locals, 'admin');
	const id = Number(params.batch);
	if (!Number.isInteger(id) || id <= 0) return new Response('bad batch id', { status: 400 });
	const { db } = await getAppDatabase();
	const batch = await findBatch(db, id);
	if (!batch) return new Response(`no import batch ${id}`, { status: 404 });
	const name = batch.fileName.replace(/\.(csv|xlsx)$/i, '');
	const rejections = await batchRejections(db, id);
	// The rejected rows are registry data: their download is an export of internal data.
	await recordAudit(
		db,
		{ actor: admin.username, address: getClientAddress() },
		{
			action: 'export',
			target: `import batch ${id}`,
			detail: { file: batch.fileName, rows: rejections.length }
		}
	);
	return new Response(rejectionsCsv(rejections), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}-batch-${id}-rejected.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
