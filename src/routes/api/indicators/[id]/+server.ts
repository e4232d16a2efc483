import { json } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/auth/audit';
import { canSeeProvince, hasRole } from '$lib/server/auth/guard';
import { indicatorById } from '$lib/indicators/catalogue';
import { ApiError, getIndicatorRows, indicatorRowsCsv } from '$lib/server/indicators/api';
import { cachedAnswer } from '$lib/server/indicators/response-cache';
import { appDb, sourceFor } from '$lib/server/indicators/source';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url, getClientAddress }) => {
	// Internal indicators (possible duplicates) are for national and admin users only (§5).
	if (indicatorById(params.id)?.internal && !hasRole(locals.user, 'national')) {
		return json(
			{ error: `${params.id} is internal: log in with a national or admin account` },
			{ status: 403 }
		);
	}
	// Public figures stop at commune level (domain.md §6); villages are for staff who may see
	// the province they lie in.
	if (url.searchParams.get('level') === 'village') {
		const parent = url.searchParams.get('parent') ?? '';
		if (!canSeeProvince(locals.user, parent)) {
			return json(
				{
					error:
						'village figures are internal: log in with an account for this province, and give a parent inside it'
				},
				{ status: 403 }
			);
		}
	}
	try {
		const csv = url.searchParams.get('format') === 'csv';
		// Unsuppressed figures for staff inside their geography; the release for everyone else.
		const source = await sourceFor(appDb, locals.user, [url.searchParams.get('parent') ?? 'KH']);
		const answer = await cachedAnswer(source, url, async () => {
			const rows = await getIndicatorRows(source, params.id, url.searchParams);
			return csv
				? {
						body: indicatorRowsCsv(rows),
						contentType: 'text/csv; charset=utf-8',
						rows: rows.length
					}
				: { body: JSON.stringify(rows), contentType: 'application/json', rows: rows.length };
		});
		// A CSV of internal figures (villages, or an internal indicator) is an export of internal
		// data, and audited; public figures are not.
		const internal =
			url.searchParams.get('level') === 'village' || indicatorById(params.id)?.internal;
		if (csv && internal) {
			await recordAudit(
				await appDb(),
				{ actor: locals.user?.username ?? null, address: getClientAddress() },
				{
					action: 'export',
					target: `indicator ${params.id}`,
					detail: { query: Object.fromEntries(url.searchParams), rows: answer.rows }
				}
			);
		}
		const headers: Record<string, string> = { 'content-type': answer.contentType };
		if (csv) headers['content-disposition'] = `attachment; filename="${params.id}.csv"`;
		return new Response(answer.body, { headers });
	} catch (e) {
		if (e instanceof ApiError) return json({ error: e.message }, { status: e.status });
		throw e;
	}
};
