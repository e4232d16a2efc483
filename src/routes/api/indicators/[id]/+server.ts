import { json } from '@sveltejs/kit';
import { getAppDatabase } from '$lib/server/db';
import { ApiError, getIndicatorRows, indicatorRowsCsv } from '$lib/server/indicators/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const { db } = await getAppDatabase();
	try {
		const rows = await getIndicatorRows(db, params.id, url.searchParams);
		if (url.searchParams.get('format') === 'csv') {
			return new Response(indicatorRowsCsv(rows), {
				headers: {
					'content-type': 'text/csv; charset=utf-8',
					'content-disposition': `attachment; filename="${params.id}.csv"`
				}
			});
		}
		return json(rows);
	} catch (e) {
		if (e instanceof ApiError) return json({ error: e.message }, { status: e.status });
		throw e;
	}
};
