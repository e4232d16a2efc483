/**
 * Turns the validated sources into the files the web app serves: one GeoJSON FeatureCollection
 * per layer file (names from the gazetteer, coordinates rounded) and the unit list `units.json`.
 * Districts and communes also get a national overview file each (`district.geojson`,
 * `commune.geojson`), simplified so the whole country's communes load as one small layer.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { feature as topojsonFeature } from 'topojson-client';
import type { GeometryCollection } from 'topojson-specification';
import {
	GEO_LEVELS,
	PARENT_LEVEL,
	layerFileName,
	type GeoLevel
} from '../src/lib/server/geo/layers';
import {
	TOPOLOGY_FILES,
	type GazetteerUnit,
	type GeoSources,
	type SourcePolygon
} from './read-sources';
import { simplifyTopology } from './simplify';

/** Decimals kept in coordinates: 1e-5° is about 1 m, finer than the sources' 5 m grid. */
export const COORDINATE_DECIMALS = 5;

/**
 * Douglas–Peucker tolerance of the national overview layers, in degrees (about 220 m). A map of
 * the whole country 900 px wide shows about 0.006° per pixel, so this is a third of a pixel there
 * and one or two pixels two zoom levels in. The sources are already generalised (a point every
 * ~100 m): at 0.001° the commune layer kept 94 % of its points, at 0.002° 64 %.
 */
export const OVERVIEW_TOLERANCE = 0.002;

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

/** Rounds coordinates to `decimals`, dropping parts that collapse to under the rounding step. */
export function roundGeometry(
	geometry: Polygon | MultiPolygon,
	decimals = COORDINATE_DECIMALS
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
 * replaces the polygon's own (the overview layers pass the simplified one).
 */
export function toLayerFeature(
	polygon: SourcePolygon,
	unit: GazetteerUnit | undefined,
	geometry: Polygon | MultiPolygon = roundGeometry(polygon.geometry)
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
 * A level's polygons for the whole country, simplified (OVERVIEW_TOLERANCE) and rounded
 * (OVERVIEW_DECIMALS): the same polygons as the per-parent files, in less detail.
 */
function overviewFeatures(sources: GeoSources, level: GeoLevel): LayerFeature[] {
	const topology = sources.topologies[level];
	const simplified = simplifyTopology(topology, OVERVIEW_TOLERANCE);
	const collection = topology.objects[TOPOLOGY_FILES[level].object] as GeometryCollection;
	return sources.polygons[level].map((polygon) => {
		const object = collection.geometries[polygon.index]!;
		// readTopology checked that this object converts to a Polygon or MultiPolygon.
		const { geometry } = topojsonFeature(simplified, object) as Feature<Polygon | MultiPolygon>;
		const rounded = roundGeometry(geometry, OVERVIEW_DECIMALS);
		return toLayerFeature(polygon, sources.gazetteer.units.get(polygon.code), rounded);
	});
}

/**
 * All layer files by file name. Every gazetteer parent gets a file, even one whose children
 * have no polygon (an empty collection), so a known code never answers 404; districts and
 * communes also get their national overview file.
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
		else files.set(layerFileName(level, null), overviewFeatures(sources, level));
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
