/**
 * Map layers built by `npm run geo`: `GET /geo/province`, `/geo/district?parent=17`,
 * `/geo/commune?parent=1701`. Validation and file access live in `$lib/server/geo/layers`.
 */
import { etagMatches } from '$lib/server/http';
import { json } from '@sveltejs/kit';
import { chooseLayerEncoding, LayerRequestError, readLayer } from '$lib/server/geo/layers';
import type { RequestHandler } from './$types';

/**
 * Answers with the layer's GeoJSON, compressed when the browser accepts it (adapter-node
 * compresses only the static files, not endpoints), 304 when its ETag still matches, or a
 * JSON `{error}` with status 400/404.
 */
export const GET: RequestHandler = async ({ params, url, request }) => {
	try {
		const layer = await readLayer(params.level, url.searchParams.get('parent'));
		const headers: Record<string, string> = {
			'content-type': 'application/geo+json',
			// A layer only changes when `npm run geo` is re-run, which is rare; after an hour the
			// browser revalidates with the ETag and gets a bodiless 304 while the layer is unchanged.
			'cache-control': 'public, max-age=3600',
			etag: layer.etag,
			vary: 'accept-encoding'
		};
		if (etagMatches(request.headers.get('if-none-match'), layer.etag)) {
			return new Response(null, { status: 304, headers });
		}
		const encoding = chooseLayerEncoding(request.headers.get('accept-encoding'), layer.encoded);
		const body = encoding ? layer.encoded[encoding]! : layer.plain;
		if (encoding) headers['content-encoding'] = encoding;
		return new Response(new Uint8Array(body), { headers });
	} catch (error) {
		if (error instanceof LayerRequestError) {
			return json({ error: error.message }, { status: error.status });
		}
		throw error;
	}
};
