/**
 * Map layers built by `npm run geo`: `GET /geo/province`, `/geo/district?parent=17`,
 * `/geo/commune?parent=1701`. Validation and file access live in `$lib/server/geo/layers`.
 */
import { json } from '@sveltejs/kit';
import { LayerRequestError, readLayer } from '$lib/server/geo/layers';
import type { RequestHandler } from './$types';

/** Answers with the layer's GeoJSON, or a JSON `{error}` with status 400/404. */
export const GET: RequestHandler = async ({ params, url }) => {
	try {
		const body = await readLayer(params.level, url.searchParams.get('parent'));
		return new Response(body, {
			headers: {
				'content-type': 'application/geo+json',
				// A layer only changes when `npm run geo` is re-run, which is rare.
				'cache-control': 'public, max-age=3600'
			}
		});
	} catch (error) {
		if (error instanceof LayerRequestError) {
			return json({ error: error.message }, { status: error.status });
		}
		throw error;
	}
};
