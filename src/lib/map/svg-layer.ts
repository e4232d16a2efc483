/**
 * A map layer projected for an SVG: the choropleth the page draws before MapLibre has loaded
 * (the server renders it into the HTML, so the first view is coloured at the first paint) and
 * on a drill-down until MapLibre has drawn the new level. Pure, so the server and the browser
 * project a layer to the same paths (the browser hydrates the server's SVG).
 *
 * The projection is MapLibre's: Web Mercator, north up, the layer's extent filling the
 * `viewBox`. An SVG with that viewBox, `preserveAspectRatio="xMidYMid meet"` and inset by
 * MapLibre's fitBounds padding shows the layer exactly where MapLibre's `fitBounds` puts it,
 * whatever the container's size, so the hand-over from one to the other moves nothing.
 */
import type { FeatureCollection, Position } from 'geojson';
import { layerBounds } from './map-style';

/** One unit's outline as an SVG path. */
export interface SvgUnit {
	code: string;
	/** Path data in viewBox units, rings closed, to be filled with the even-odd rule. */
	d: string;
}

/** A layer projected into a viewBox `0 0 width height`. */
export interface SvgLayer {
	width: number;
	height: number;
	/** The layer's extent (west, south, east, north), which the viewBox spans. */
	bounds: [number, number, number, number];
	units: SvgUnit[];
}

/** Width of the viewBox: whole units are below a pixel at the map's sizes on screen. */
export const SVG_LAYER_WIDTH = 1000;

const RADIANS = Math.PI / 180;

/** Web Mercator's y (radians of longitude, growing north). */
export function mercatorY(latitude: number): number {
	return Math.log(Math.tan(Math.PI / 4 + (latitude * RADIANS) / 2));
}

/** Inverse of `mercatorY`, in degrees. */
export function latitudeOf(y: number): number {
	return (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RADIANS;
}

/** Numbers of a path, separated by a space unless a minus sign separates them already. */
function joinNumbers(values: number[]): string {
	let text = '';
	for (let i = 0; i < values.length; i++) {
		const value = values[i]!;
		text += i > 0 && value >= 0 ? ` ${value}` : `${value}`;
	}
	return text;
}

/**
 * Projects a layer's polygons (features without a string `code` are skipped). Coordinates are
 * rounded to whole viewBox units and written relative to the previous point, dropping points
 * that round onto the previous one; a unit's polygons and holes make one path.
 */
export function projectLayer(layer: FeatureCollection, width = SVG_LAYER_WIDTH): SvgLayer | null {
	const bounds = layerBounds(layer);
	if (!bounds) return null;
	const [west, south, east, north] = bounds;
	const spanX = Math.max((east - west) * RADIANS, 1e-9);
	const scale = width / spanX;
	const top = mercatorY(north);
	const height = Math.max(1, Math.round((top - mercatorY(south)) * scale));

	const ring = (positions: Position[]): string => {
		let path = '';
		let previous: [number, number] | null = null;
		const deltas: number[] = [];
		for (const [lng = 0, lat = 0] of positions) {
			const x = Math.round((lng - west) * RADIANS * scale);
			const y = Math.round((top - mercatorY(lat)) * scale);
			if (previous === null) {
				path = `M${joinNumbers([x, y])}`;
			} else if (x !== previous[0] || y !== previous[1]) {
				deltas.push(x - previous[0], y - previous[1]);
			}
			previous = [x, y];
		}
		return deltas.length > 0 ? `${path}l${joinNumbers(deltas)}z` : `${path}z`;
	};

	const units: SvgUnit[] = [];
	for (const feature of layer.features) {
		const code: unknown = feature.properties?.code;
		const geometry = feature.geometry;
		if (typeof code !== 'string' || !geometry) continue;
		let polygons: Position[][][];
		if (geometry.type === 'Polygon') polygons = [geometry.coordinates];
		else if (geometry.type === 'MultiPolygon') polygons = geometry.coordinates;
		else continue;
		units.push({ code, d: polygons.flat().map(ring).join('') });
	}
	return { width, height, bounds, units };
}

/**
 * What an SVG layer shows in a box of `boxWidth` × `boxHeight` CSS pixels with `padding` on
 * each side (west, south, east, north in degrees), as MapLibre's `getBounds` would report it.
 */
export function shownBounds(
	layer: SvgLayer,
	boxWidth: number,
	boxHeight: number,
	padding: number
): [number, number, number, number] {
	const [west, , , north] = layer.bounds;
	// Pixels per viewBox unit ("meet": the smaller of the two scales), the view centred.
	const pixels = Math.min(
		Math.max(boxWidth - 2 * padding, 1) / layer.width,
		Math.max(boxHeight - 2 * padding, 1) / layer.height
	);
	const halfX = boxWidth / 2 / pixels;
	const halfY = boxHeight / 2 / pixels;
	const [cx, cy] = [layer.width / 2, layer.height / 2];
	const radiansPerUnit = Math.max((layer.bounds[2] - west) * RADIANS, 1e-9) / layer.width;
	const lngOf = (x: number) => west + (x * radiansPerUnit) / RADIANS;
	const latOf = (y: number) => latitudeOf(mercatorY(north) - y * radiansPerUnit);
	return [lngOf(cx - halfX), latOf(cy + halfY), lngOf(cx + halfX), latOf(cy - halfY)];
}
