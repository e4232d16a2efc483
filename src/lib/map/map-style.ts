/**
 * What every MapLibre map of the portal starts from: a style with only a background and one
 * GeoJSON source, the view of Cambodia, the boundaries' attribution and the "no data" hatch
 * (`open-map.ts` makes the map). Types only are imported from maplibre-gl, so this module costs
 * nothing on the server.
 */
import type { FeatureCollection, Position } from 'geojson';
import type { LngLatBoundsLike, MapOptions } from 'maplibre-gl';

/** MapLibre's style type, taken from the map's own options so no second package is needed. */
export type StyleSpecification = Exclude<MapOptions['style'], string | undefined>;

/** Cambodia's extent (west, south, east, north), so the first frame already frames the country. */
export const CAMBODIA_BOUNDS: LngLatBoundsLike = [102.3, 10.4, 107.7, 14.7];

/** Credit for the layers built by `npm run geo` (see ../shared/geo/README.md). */
export const BOUNDARY_ATTRIBUTION =
	'Boundaries: geoBoundaries (CC BY 4.0), ODC/NIS · Names: NCDD gazetteer (KhmerLang, MIT)';

const EMPTY_LAYER: FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * A style with a background and an empty GeoJSON source `sourceId`: no tiles, glyphs or sprites
 * are fetched from anywhere, and no symbol layer exists, since MapLibre's text shaping cannot
 * render Khmer script (names go in DOM tooltips instead).
 *
 * The source does not simplify (`tolerance: 0`): the layers are simplified for display already
 * (`npm run geo`), and MapLibre's own simplification drops polygons smaller than its tolerance,
 * which removed 9 of the 1,633 communes (small Phnom Penh sangkats) from a map of the country.
 * https://maplibre.org/maplibre-style-spec/sources/#tolerance
 */
export function baseStyle(sourceId: string): StyleSpecification {
	return {
		version: 8,
		sources: {
			[sourceId]: {
				type: 'geojson',
				data: EMPTY_LAYER,
				attribution: BOUNDARY_ATTRIBUTION,
				tolerance: 0
			}
		},
		layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f6f8' } }]
	};
}

/**
 * An 8 × 8 diagonal hatch of `stripe` (`#rrggbb`), tiling seamlessly, for a `fill-pattern`:
 * "no data" or "none yet" must not rely on colour alone. Between the stripes the image is
 * `background`, or transparent without one (to hatch over a fill of any colour).
 */
export function hatchImage(stripe: string, background?: string) {
	const size = 8;
	const data = new Uint8Array(size * size * 4);
	const parse = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
	const line = [...parse(stripe), 255];
	const ground = background ? [...parse(background), 255] : [0, 0, 0, 0];
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++) data.set((x + y) % size < 2 ? line : ground, (y * size + x) * 4);
	}
	return { width: size, height: size, data };
}

/** An 8 × 8 tile of 2 × 2 dots of `dot` on `background`, for a `fill-pattern` (suppressed cells). */
export function dotsImage(dot: string, background: string) {
	const size = 8;
	const data = new Uint8Array(size * size * 4);
	const parse = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
	const [mark, ground] = [
		[...parse(dot), 255],
		[...parse(background), 255]
	];
	for (let y = 0; y < size; y++) {
		for (let x = 0; x < size; x++)
			data.set(x % 4 < 2 && y % 4 < 2 ? mark : ground, (y * size + x) * 4);
	}
	return { width: size, height: size, data };
}

/** The extent of every coordinate of a layer as west, south, east, north; null when empty. */
export function layerBounds(layer: FeatureCollection): [number, number, number, number] | null {
	let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
	const visit = (coordinates: unknown) => {
		if (typeof (coordinates as Position)[0] === 'number') {
			const [lng = NaN, lat = NaN] = coordinates as Position;
			[west, east] = [Math.min(west, lng), Math.max(east, lng)];
			[south, north] = [Math.min(south, lat), Math.max(north, lat)];
		} else {
			for (const inner of coordinates as unknown[]) visit(inner);
		}
	};
	for (const feature of layer.features) {
		if (feature.geometry && 'coordinates' in feature.geometry) visit(feature.geometry.coordinates);
	}
	return west <= east ? [west, south, east, north] : null;
}

/** The unit codes of a layer's features (the `code` property each carries). */
export function layerCodes(layer: FeatureCollection): Set<string> {
	const codes = new Set<string>();
	for (const feature of layer.features) {
		const code: unknown = feature.properties?.code;
		if (typeof code === 'string') codes.add(code);
	}
	return codes;
}

/**
 * The distinct units of a layer that a frame drew (a unit cut by tile edges comes back once per
 * tile), given the features MapLibre rendered; null when the frame still shows another geometry.
 * That happens: a tile reloaded twice in a row (the drill-down's layer replacing one still on its
 * way to the worker) can come back with the older data first, and MapLibre may go idle on it for a
 * frame before the newer data arrives. A geometry framed to its bounds always shows some of its
 * units, so a frame with none of them is not its frame either.
 */
export function drawnUnits(
	rendered: readonly { properties: Record<string, unknown> | null }[],
	expected: ReadonlySet<string>
): Set<string> | null {
	const codes = new Set<string>();
	for (const feature of rendered) {
		const code: unknown = feature.properties?.code;
		if (typeof code !== 'string') continue;
		if (!expected.has(code)) return null;
		codes.add(code);
	}
	return codes.size === 0 && expected.size > 0 ? null : codes;
}
