/**
 * Turns the validated sources into the files the web app serves: one GeoJSON FeatureCollection
 * per layer file (names from the gazetteer, coordinates rounded) and the unit list `units.json`.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import {
	GEO_LEVELS,
	PARENT_LEVEL,
	layerFileName,
	type GeoLevel
} from '../src/lib/server/geo/layers';
import type { GazetteerUnit, GeoSources, SourcePolygon } from './read-sources';

/** Decimals kept in coordinates: 1e-5° is about 1 m, finer than the sources' 5 m grid. */
export const COORDINATE_DECIMALS = 5;

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

const FACTOR = 10 ** COORDINATE_DECIMALS;

function roundRing(ring: Position[]): Position[] {
	const out: Position[] = [];
	for (const position of ring) {
		const x = Math.round((position[0] ?? 0) * FACTOR) / FACTOR;
		const y = Math.round((position[1] ?? 0) * FACTOR) / FACTOR;
		const last = out[out.length - 1];
		// Rounding a finer source can make neighbours equal; repeated positions are just noise.
		if (!last || last[0] !== x || last[1] !== y) out.push([x, y]);
	}
	return out;
}

function roundPolygon(rings: Position[][]): Position[][] {
	const [outer = [], ...holes] = rings.map(roundRing);
	// A closed ring needs 4 positions; a hole that collapsed was smaller than about 1 m.
	return [outer, ...holes.filter((ring) => ring.length >= 4)];
}

/** Rounds coordinates to COORDINATE_DECIMALS, dropping parts that collapse to under ~1 m. */
export function roundGeometry(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
	if (geometry.type === 'Polygon') {
		return { type: 'Polygon', coordinates: roundPolygon(geometry.coordinates) };
	}
	const polygons = geometry.coordinates.map(roundPolygon);
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

/** The output feature of a polygon: the gazetteer's names win over the TopoJSON's. */
export function toLayerFeature(
	polygon: SourcePolygon,
	unit: GazetteerUnit | undefined
): LayerFeature {
	return {
		type: 'Feature',
		properties: {
			code: polygon.code,
			name_en: unit?.name_en ?? polygon.name_en,
			name_km: unit?.name_km ?? polygon.name_km,
			parent_code: unit?.parent_code ?? parentOf(polygon.level, polygon.code)
		},
		geometry: roundGeometry(polygon.geometry)
	};
}

/**
 * All layer files by file name. Every gazetteer parent gets a file, even one whose children
 * have no polygon (an empty collection), so a known code never answers 404.
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
