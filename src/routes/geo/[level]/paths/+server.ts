/**
 * A map layer projected for an SVG (`$lib/map/svg-layer`): `GET /geo/province/paths`,
 * `/geo/district/paths?parent=17`. The map page's load asks for it when the server renders the
 * page, so the first view's choropleth is in the HTML, coloured at the first paint, before
 * MapLibre and the GeoJSON have arrived. Same validation, errors and caching as `/geo/{level}`.
 */
import { etagMatches } from '$lib/server/http';
import { json } from '@sveltejs/kit';
import { LayerRequestError, readLayer } from '$lib/server/geo/layers';
import { projectLayer, type SvgLayer } from '$lib/map/svg-layer';
import type { FeatureCollection } from 'geojson';
import type { RequestHandler } from './$types';

// Projections by the layer's ETag: layers are immutable per build (see `readLayer`).
const projected = new Map<string, SvgLayer | null>();

export const GET: RequestHandler = async ({ params, url, request }) => {
	try {
		const layer = await readLayer(params.level, url.searchParams.get('parent'));
		const etag = `"paths-${layer.etag.slice(1)}`;
		const headers = { 'cache-control': 'public, max-age=3600', etag, vary: 'accept-encoding' };
		if (etagMatches(request.headers.get('if-none-match'), etag)) {
			return new Response(null, { status: 304, headers });
		}
		let paths = projected.get(layer.etag);
		if (paths === undefined) {
			paths = projectLayer(JSON.parse(layer.plain.toString('utf8')) as FeatureCollection);
			projected.set(layer.etag, paths);
		}
		if (!paths) return json({ error: 'The layer has no shapes.' }, { status: 404 });
		return json(paths, { headers });
	} catch (error) {
		if (error instanceof LayerRequestError) {
			return json({ error: error.message }, { status: error.status });
		}
		throw error;
	}
};
