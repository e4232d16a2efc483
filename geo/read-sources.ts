/**
 * Reads and validates the reference geodata (see ../shared/geo/README.md): one TopoJSON per
 * level with a `code` per feature, and the NCDD gazetteer CSV. Any problem throws ONE
 * GeoSourceError naming the file and the line or feature, so a bad source never half-builds.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryObject, Topology } from 'topojson-specification';
import { CODE_LENGTH, GEO_LEVELS, type GeoLevel } from '../src/lib/server/geo/layers';
import { GAZETTEER_COLUMNS } from '../src/lib/server/ingest/feeds';
import { simplifyTopology } from './simplify';

/** A source file that cannot be used; the message starts with the file name. */
export class GeoSourceError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'GeoSourceError';
	}
}

/** The boundary file and its TopoJSON object name per level. */
export const TOPOLOGY_FILES: Readonly<Record<GeoLevel, { file: string; object: string }>> = {
	province: { file: 'provinces.topojson', object: 'provinces' },
	district: { file: 'districts.topojson', object: 'districts' },
	commune: { file: 'communes.topojson', object: 'communes' }
};

/** The gazetteer: villages with their full province > district > commune chain. */
export const GAZETTEER_FILE = 'gazetteer.csv';

/** Optional: which polygon covers each gazetteer commune that has none of its own. */
export const COVERAGE_FILE = 'communes_without_polygon.csv';

/** A province, district or commune of the gazetteer. */
export interface GazetteerUnit {
	code: string;
	level: GeoLevel;
	parent_code: string | null;
	name_en: string | null;
	name_km: string | null;
	/** Line of gazetteer.csv where the unit first appears (for messages). */
	line: number;
}

/** The validated gazetteer. */
export interface Gazetteer {
	/** Provinces, districts and communes by code. */
	units: Map<string, GazetteerUnit>;
	villageCount: number;
	/** Oddities kept as the source has them (they do not stop the build). */
	warnings: string[];
}

/** One polygon feature of a boundary file, converted to GeoJSON. */
export interface SourcePolygon {
	code: string;
	level: GeoLevel;
	/** Index in `objects.<name>.geometries`, for messages. */
	index: number;
	/** `name_en` / `name_km` of the TopoJSON, used only when the gazetteer lacks the unit. */
	name_en: string | null;
	name_km: string | null;
	/** As the source has it, or simplified when readSources was given a tolerance. */
	geometry: Polygon | MultiPolygon;
	/** Simplified further for the national overview layer, when one was asked for. */
	overview?: Polygon | MultiPolygon;
}

/** A line of communes_without_polygon.csv. */
export interface CoverageNote {
	commune_code: string;
	covered_by: string | null;
	note: string | null;
}

/** Everything the pipeline reads from the source directory. */
export interface GeoSources {
	dir: string;
	gazetteer: Gazetteer;
	polygons: Record<GeoLevel, SourcePolygon[]>;
	/** null when communes_without_polygon.csv is absent (it is optional). */
	coverage: Map<string, CoverageNote> | null;
}

const LEVEL_OF_COLUMN = {
	province_code: 'province',
	district_code: 'district',
	commune_code: 'commune'
} as const;

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `code` is not a code of `digits` digits, or null when it is. */
function codeProblem(code: string, digits: number): string | null {
	if (new RegExp(`^\\d{${digits}}$`).test(code)) return null;
	const hint =
		/^\d+$/.test(code) && code.length < digits
			? ' (leading zero lost, e.g. by a spreadsheet?)'
			: '';
	return `${JSON.stringify(code)} is not a code of ${digits} digits${hint}`;
}

function readText(dir: string, file: string): string {
	const full = path.join(dir, file);
	if (!existsSync(full)) throw new GeoSourceError(`${file}: file not found in ${dir}`);
	return readFileSync(full, 'utf8');
}

type CsvRow = { record: string[]; info: { lines: number } };

function parseCsv(file: string, text: string): { header: string[]; rows: CsvRow[] } {
	let rows: CsvRow[];
	try {
		// csv-parse's types do not model `info: true`, which wraps each record with its line.
		rows = parse(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as CsvRow[];
	} catch (error) {
		throw new GeoSourceError(`${file}: not valid CSV (${(error as Error).message})`);
	}
	const first = rows.shift();
	if (!first) throw new GeoSourceError(`${file}: the file is empty`);
	return { header: first.record.map((name) => name.trim().toLowerCase()), rows };
}

function columnIndex<C extends string>(
	file: string,
	header: string[],
	columns: readonly C[]
): Record<C, number> {
	const missing = columns.filter((column) => !header.includes(column));
	if (missing.length > 0) {
		throw new GeoSourceError(`${file}: missing column(s) ${missing.join(', ')}`);
	}
	return Object.fromEntries(columns.map((column) => [column, header.indexOf(column)])) as Record<
		C,
		number
	>;
}

/** Reads gazetteer.csv: codes of 2/4/6/8 digits, each starting with its parent's code. */
export function readGazetteer(dir: string): Gazetteer {
	const file = GAZETTEER_FILE;
	const { header, rows } = parseCsv(file, readText(dir, file));
	const col = columnIndex(file, header, GAZETTEER_COLUMNS);
	const units = new Map<string, GazetteerUnit>();
	const villages = new Map<string, number>();
	const warnings: string[] = [];
	if (rows.length === 0) throw new GeoSourceError(`${file}: no data rows`);

	for (const { record, info } of rows) {
		const line = info.lines;
		const at = `${file} line ${line}`;
		const get = (column: (typeof GAZETTEER_COLUMNS)[number]) => (record[col[column]] ?? '').trim();
		const name = (column: (typeof GAZETTEER_COLUMNS)[number]) => get(column) || null;

		let parent: string | null = null;
		for (const column of ['province_code', 'district_code', 'commune_code'] as const) {
			const level = LEVEL_OF_COLUMN[column];
			const code = get(column);
			const problem = codeProblem(code, CODE_LENGTH[level]);
			if (problem) throw new GeoSourceError(`${at}: ${column} ${problem}`);
			if (parent !== null && !code.startsWith(parent)) {
				throw new GeoSourceError(
					`${at}: ${column} "${code}" does not start with its parent's code "${parent}"`
				);
			}
			const unit: GazetteerUnit = {
				code,
				level,
				parent_code: parent,
				name_en: name(`${level}_en`),
				name_km: name(`${level}_km`),
				line
			};
			const known = units.get(code);
			if (!known) {
				units.set(code, unit);
			} else if (known.name_en !== unit.name_en || known.name_km !== unit.name_km) {
				const names = (u: GazetteerUnit) => `"${u.name_en ?? ''}" / "${u.name_km ?? ''}"`;
				throw new GeoSourceError(
					`${at}: ${level} ${code} is named ${names(unit)} here but ${names(known)} on line ${known.line}`
				);
			}
			parent = code;
		}

		const village = get('village_code');
		const problem = codeProblem(village, 8);
		if (problem) throw new GeoSourceError(`${at}: village_code ${problem}`);
		const seen = villages.get(village);
		if (seen !== undefined) {
			throw new GeoSourceError(`${at}: village_code "${village}" already appears on line ${seen}`);
		}
		villages.set(village, line);
		// The published gazetteer has one such village (05051001 under 050511, README "gazetteer.csv"):
		// the row is the source's word, villages are not mapped, so it is reported, not rejected.
		if (!village.startsWith(parent ?? '')) {
			warnings.push(
				`${at}: village ${village} is listed under commune ${parent} although its code starts with ${village.slice(0, 6)}`
			);
		}
	}
	return { units, villageCount: villages.size, warnings };
}

function toGeometry(
	topology: Topology,
	object: GeometryObject,
	at: string
): Polygon | MultiPolygon {
	let converted;
	try {
		converted = feature(topology, object);
	} catch (error) {
		throw new GeoSourceError(`${at}: invalid geometry (${(error as Error).message})`);
	}
	if (converted.type !== 'Feature' || converted.geometry === null) {
		throw new GeoSourceError(`${at}: has no geometry`);
	}
	const geometry = converted.geometry;
	if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
		throw new GeoSourceError(`${at}: is a ${geometry.type}, expected a Polygon or MultiPolygon`);
	}
	return geometry;
}

/**
 * Reads one level's TopoJSON. Any topology works as long as it has an object named like the
 * file (`provinces`, ...) whose features carry a `code`; other properties are optional.
 * With a `tolerance` (degrees) the lines are simplified for display, arc by arc, so that
 * neighbours keep identical borders (geo/simplify.ts).
 */
export function readTopology(
	dir: string,
	level: GeoLevel,
	tolerance = 0,
	overviewTolerance = 0
): SourcePolygon[] {
	const { file, object: objectName } = TOPOLOGY_FILES[level];
	let topology: unknown;
	try {
		topology = JSON.parse(readText(dir, file));
	} catch (error) {
		if (error instanceof GeoSourceError) throw error;
		throw new GeoSourceError(`${file}: not valid JSON (${(error as Error).message})`);
	}
	if (!isRecord(topology) || topology.type !== 'Topology') {
		const type = isRecord(topology) ? describe(topology.type) : describe(topology);
		const hint =
			type === '"FeatureCollection"'
				? ' (this is GeoJSON: convert it, e.g. `mapshaper in.geojson -o format=topojson`)'
				: '';
		throw new GeoSourceError(`${file}: not a TopoJSON Topology (type is ${type})${hint}`);
	}
	if (!Array.isArray(topology.arcs) || !isRecord(topology.objects)) {
		throw new GeoSourceError(`${file}: not a TopoJSON Topology (no "arcs" array or "objects")`);
	}
	const collection = topology.objects[objectName];
	if (collection === undefined) {
		const found = Object.keys(topology.objects).map((key) => `"${key}"`);
		throw new GeoSourceError(
			`${file}: no object named "${objectName}" (found ${found.join(', ') || 'none'})`
		);
	}
	if (!isRecord(collection) || !Array.isArray(collection.geometries)) {
		throw new GeoSourceError(`${file}: objects.${objectName} is not a GeometryCollection`);
	}

	const simplified = (by: number) => {
		try {
			return simplifyTopology(topology as unknown as Topology, by);
		} catch (error) {
			throw new GeoSourceError(`${file}: invalid arcs (${(error as Error).message})`);
		}
	};
	const lines = tolerance > 0 ? simplified(tolerance) : (topology as unknown as Topology);
	const overviewLines = overviewTolerance > 0 ? simplified(overviewTolerance) : null;
	const digits = CODE_LENGTH[level];
	const firstIndex = new Map<string, number>();
	return collection.geometries.map((object: unknown, index): SourcePolygon => {
		const at = `${file}: objects.${objectName}.geometries[${index}]`;
		if (!isRecord(object)) throw new GeoSourceError(`${at}: is not a geometry object`);
		const properties = isRecord(object.properties) ? object.properties : {};
		const raw = properties.code;
		if (raw === undefined || raw === null || raw === '') {
			throw new GeoSourceError(`${at}: has no "code" property`);
		}
		// Number codes come from tools that guess column types; the width is fixed per level
		// (domain.md §1), so padding restores the dropped leading zero exactly.
		const code =
			typeof raw === 'number' && Number.isInteger(raw) && raw >= 0
				? String(raw).padStart(digits, '0')
				: typeof raw === 'string'
					? raw.trim()
					: null;
		if (code === null) throw new GeoSourceError(`${at}: code is ${describe(raw)}`);
		const problem = codeProblem(code, digits);
		if (problem) throw new GeoSourceError(`${at}: code ${problem}`);
		const seen = firstIndex.get(code);
		if (seen !== undefined) {
			throw new GeoSourceError(`${at}: duplicate code "${code}" (also geometries[${seen}])`);
		}
		firstIndex.set(code, index);
		const text = (value: unknown) => (typeof value === 'string' && value.trim()) || null;
		return {
			code,
			level,
			index,
			name_en: text(properties.name_en),
			name_km: text(properties.name_km),
			geometry: toGeometry(lines, object as unknown as GeometryObject, at),
			...(overviewLines
				? { overview: toGeometry(overviewLines, object as unknown as GeometryObject, at) }
				: {})
		};
	});
}

/** Reads communes_without_polygon.csv when present (columns commune_code, covered_by_polygon_code). */
export function readCoverage(dir: string): Map<string, CoverageNote> | null {
	const file = COVERAGE_FILE;
	if (!existsSync(path.join(dir, file))) return null;
	const { header, rows } = parseCsv(file, readText(dir, file));
	const col = columnIndex(file, header, ['commune_code', 'covered_by_polygon_code'] as const);
	const noteIndex = header.indexOf('note');
	const notes = new Map<string, CoverageNote>();
	for (const { record, info } of rows) {
		const at = `${file} line ${info.lines}`;
		const commune = (record[col.commune_code] ?? '').trim();
		const coveredBy = (record[col.covered_by_polygon_code] ?? '').trim();
		const problem = codeProblem(commune, 6);
		if (problem) throw new GeoSourceError(`${at}: commune_code ${problem}`);
		const coveredProblem = coveredBy === '' ? null : codeProblem(coveredBy, 6);
		if (coveredProblem)
			throw new GeoSourceError(`${at}: covered_by_polygon_code ${coveredProblem}`);
		notes.set(commune, {
			commune_code: commune,
			covered_by: coveredBy || null,
			note: (noteIndex >= 0 && record[noteIndex]?.trim()) || null
		});
	}
	return notes;
}

/** How to read the sources. */
export interface ReadOptions {
	/** Simplification tolerance per level, in degrees (none by default). */
	tolerance?: Readonly<Partial<Record<GeoLevel, number>>>;
	/** Tolerance of the national overview geometry per level (none: no overview). */
	overviewTolerance?: Readonly<Partial<Record<GeoLevel, number>>>;
}

/** Reads and validates everything in the source directory, or throws one GeoSourceError. */
export function readSources(dir: string, options: ReadOptions = {}): GeoSources {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) {
		throw new GeoSourceError(`${dir}: source directory not found (set GEO_DIR or pass --geo DIR)`);
	}
	// Every required file is checked before any is parsed, so the first message names them all.
	const required = [...GEO_LEVELS.map((level) => TOPOLOGY_FILES[level].file), GAZETTEER_FILE];
	const missing = required.filter((file) => !existsSync(path.join(dir, file)));
	if (missing.length > 0) {
		throw new GeoSourceError(`${missing.join(', ')}: file not found in ${dir}`);
	}
	const gazetteer = readGazetteer(dir);
	const polygons = Object.fromEntries(
		GEO_LEVELS.map((level) => [
			level,
			readTopology(dir, level, options.tolerance?.[level], options.overviewTolerance?.[level])
		])
	) as Record<GeoLevel, SourcePolygon[]>;
	return { dir, gazetteer, polygons, coverage: readCoverage(dir) };
}
