/**
 * Opens a MapLibre map of the portal in the browser: MapLibre is imported here, when a map is
 * opened (it touches `window` when it loads, and only pages with a map download it), told where
 * its worker is, and the map made over `baseStyle`.
 */
// MapLibre 6 cannot find its worker inside a bundle; Vite's `?url` emits the file and gives its
// address (https://maplibre.org/maplibre-gl-js/docs/#installation, "Vite").
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { baseStyle, CAMBODIA_BOUNDS } from './map-style';

/**
 * A map of Cambodia as the portal's maps show it, in `container` over the style of
 * `baseStyle(sourceId)`: framed on the country with `padding` pixels, without rotation or pitch,
 * with zoom buttons in the top-right corner, and its canvas kept so that it can be exported as
 * a PNG (a small cost in GPU memory). Undefined when `wanted` says, once MapLibre has loaded,
 * that the map is no longer wanted (its component was destroyed meanwhile). Rejects when
 * MapLibre cannot load or start (typically no WebGL).
 */
export async function openPortalMap(
	container: HTMLElement,
	sourceId: string,
	padding: number,
	wanted: () => boolean
): Promise<MapLibreMap | undefined> {
	const maplibre = await import('maplibre-gl');
	if (!wanted()) return undefined;
	maplibre.setWorkerUrl(workerUrl);
	const map = new maplibre.Map({
		container,
		style: baseStyle(sourceId),
		bounds: CAMBODIA_BOUNDS,
		fitBoundsOptions: { padding },
		attributionControl: { compact: true },
		renderWorldCopies: false,
		dragRotate: false,
		pitchWithRotate: false,
		touchPitch: false,
		maxPitch: 0,
		canvasContextAttributes: { preserveDrawingBuffer: true }
	});
	map.touchZoomRotate.disableRotation();
	map.keyboard.disableRotation();
	map.addControl(new maplibre.NavigationControl({ showCompass: false }), 'top-right');
	return map;
}
