/**
 * Turns the validated sources into the files the web app serves: one GeoJSON FeatureCollection
 * per layer file (names from the gazetteer, coordinates rounded to what the map can show) and
 * the unit list `units.json`.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import {
	GEO_LEVELS,
	PARENT_LEVEL,
	layerFileName,
	type GeoLevel
} from '../src/lib/server/geo/layers';
import type { GazetteerUnit, GeoSources, SourcePolygon } from './read-sources';

/**
 * How far across the smaller layers of each level usually are, in degrees (the 10th
 * percentile of the layer files built from ../shared/geo): the whole country for provinces, a
 * province for its districts, a district for its communes.
 */
const SMALL_LAYER_EXTENT_DEGREES: Readonly<Record<GeoLevel, number>> = {
	province: 5.4,
	district: 0.45,
	commune: 0.14
};

/** The map width a layer is drawn at when the map fills a large screen. */
const FULL_SCREEN_PIXELS = 1000;

/** A pixel of such a map, in degrees, per level. */
const PIXEL_DEGREES = (level: GeoLevel) => SMALL_LAYER_EXTENT_DEGREES[level] / FULL_SCREEN_PIXELS;

/**
 * Douglas–Peucker tolerance per level, in degrees: a quarter of a pixel, so the lines do not
 * change visibly where a layer is shown. The bytes matter on a 1.6 Mbit/s link (issue #5):
 * this drops a third of the province layer's positions (the reference lines are already
 * generalised; much finer official boundaries would lose far more).
 */
export const SIMPLIFY_TOLERANCE: Readonly<Record<GeoLevel, number>> = {
	province: PIXEL_DEGREES('province') / 4,
	district: PIXEL_DEGREES('district') / 4,
	commune: PIXEL_DEGREES('commune') / 4
};

/**
 * Decimals kept in coordinates per level: the fewest whose rounding (half a unit of the last
 * decimal) stays within a quarter of a pixel, like the simplification: 3 for provinces (1e-3°,
 * about 110 m), 4 for districts, 5 for communes (about 1 m, the sources' 5 m grid).
 */
export const COORDINATE_DECIMALS: Readonly<Record<GeoLevel, number>> = {
	province: decimalsWithin(PIXEL_DEGREES('province') / 4),
	district: decimalsWithin(PIXEL_DEGREES('district') / 4),
	commune: decimalsWithin(PIXEL_DEGREES('commune') / 4)
};

/** The fewest decimals whose rounding error (half a unit of the last one) is at most `degrees`. */
function decimalsWithin(degrees: number): number {
	return Math.ceil(-Math.log10(2 * degrees));
}

/**
 * Douglas–Peucker tolerance of the national overview layers of districts and communes (whole
 * country maps, e.g. the rollout page's map of office opening years), in degrees (about 220 m):
 * a third of a pixel on a 900 px map of Cambodia (0.006° per pixel). At 0.002° the commune
 * layer keeps about two thirds of its points and weighs about 1 MB (220 KB gzipped).
 */
export const OVERVIEW_TOLERANCE: Readonly<Partial<Record<GeoLevel, number>>> = {
	district: 0.002,
	commune: 0.002
};

/** Decimals of the overview layers: 1e-4° is about 11 m, far below their tolerance. */
export const OVERVIEW_DECIMALS = 4;

/** The properties of every output feature, exactly these four. */
export interface LayerProperties {
	code: string;
	name_en: string | null;
	name_km: string | null;
	parent_code: string | null;
}

/** A feature of an output layer. */
export type LayerFeature = Feature<Polygon | MultiPolygon, LayerProperties>;

/** One line of `units.json`. */
export interface UnitRecord {
	code: string;
	level: GeoLevel;
	parent_code: string | null;
	name_en: string | null;
	name_km: string | null;
}

function roundRing(ring: Position[], factor: number): Position[] {
	const out: Position[] = [];
	for (const position of ring) {
		const x = Math.round((position[0] ?? 0) * factor) / factor;
		const y = Math.round((position[1] ?? 0) * factor) / factor;
		const last = out[out.length - 1];
		// Rounding a finer source can make neighbours equal; repeated positions are just noise.
		if (!last || last[0] !== x || last[1] !== y) out.push([x, y]);
	}
	return out;
}

function roundPolygon(rings: Position[][], factor: number): Position[][] {
	const [outer = [], ...holes] = rings.map((ring) => roundRing(ring, factor));
	// A closed ring needs 4 positions; a hole that collapsed was smaller than the rounding step.
	return [outer, ...holes.filter((ring) => ring.length >= 4)];
}

/** Rounds coordinates to `decimals`, dropping parts that collapse below the rounding step. */
export function roundGeometry(
	geometry: Polygon | MultiPolygon,
	decimals: number
): Polygon | MultiPolygon {
	const factor = 10 ** decimals;
	if (geometry.type === 'Polygon') {
		return { type: 'Polygon', coordinates: roundPolygon(geometry.coordinates, factor) };
	}
	const polygons = geometry.coordinates.map((polygon) => roundPolygon(polygon, factor));
	const kept = polygons.filter((polygon) => (polygon[0]?.length ?? 0) >= 4);
	return { type: 'MultiPolygon', coordinates: kept.length > 0 ? kept : polygons };
}

/** Orders gazetteer codes; plain code-unit order keeps each parent before its children. */
export function byCode(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function parentOf(level: GeoLevel, code: string): string | null {
	return PARENT_LEVEL[level] === null ? null : code.slice(0, -2);
}

/**
 * The output feature of a polygon: the gazetteer's names win over the TopoJSON's. `geometry`
 * replaces the polygon's own (the overview layers pass their simplified one).
 */
export function toLayerFeature(
	polygon: SourcePolygon,
	unit: GazetteerUnit | undefined,
	geometry: Polygon | MultiPolygon = roundGeometry(
		polygon.geometry,
		COORDINATE_DECIMALS[polygon.level]
	)
): LayerFeature {
	return {
		type: 'Feature',
		properties: {
			code: polygon.code,
			name_en: unit?.name_en ?? polygon.name_en,
			name_km: unit?.name_km ?? polygon.name_km,
			parent_code: unit?.parent_code ?? parentOf(polygon.level, polygon.code)
		},
		geometry
	};
}

/**
 * All layer files by file name. Every gazetteer parent gets a file, even one whose children
 * have no polygon (an empty collection), so a known code never answers 404; levels read with
 * an overview tolerance also get their national overview file (`commune.geojson`).
 */
export function buildLayerFiles(
	sources: GeoSources
): Map<string, FeatureCollection<Polygon | MultiPolygon, LayerProperties>> {
	const files = new Map<string, LayerFeature[]>();
	const add = (name: string, feature?: LayerFeature) => {
		const list = files.get(name) ?? [];
		if (feature) list.push(feature);
		files.set(name, list);
	};
	const { units } = sources.gazetteer;
	for (const level of GEO_LEVELS) {
		const parentLevel = PARENT_LEVEL[level];
		if (parentLevel === null) add(layerFileName(level, null));
		for (const polygon of sources.polygons[level]) {
			if (!polygon.overview) continue;
			// The national overview: every unit of the level, in less detail.
			const geometry = roundGeometry(polygon.overview, OVERVIEW_DECIMALS);
			add(layerFileName(level, null), toLayerFeature(polygon, units.get(polygon.code), geometry));
		}
		for (const unit of units.values()) {
			if (unit.level === parentLevel) add(layerFileName(level, unit.code));
		}
		for (const polygon of sources.polygons[level]) {
			const feature = toLayerFeature(polygon, units.get(polygon.code));
			add(layerFileName(level, feature.properties.parent_code), feature);
		}
	}
	const collections = new Map<string, FeatureCollection<Polygon | MultiPolygon, LayerProperties>>();
	for (const name of [...files.keys()].sort()) {
		const features = (files.get(name) ?? []).sort((a, b) =>
			byCode(a.properties.code, b.properties.code)
		);
		collections.set(name, { type: 'FeatureCollection', features });
	}
	return collections;
}

/** The gazetteer's provinces, districts and communes in code order (a depth-first hierarchy). */
export function buildUnits(sources: GeoSources): UnitRecord[] {
	return [...sources.gazetteer.units.values()]
		.sort((a, b) => byCode(a.code, b.code))
		.map(({ code, level, parent_code, name_en, name_km }) => ({
			code,
			level,
			parent_code,
			name_en,
			name_km
		}));
}
