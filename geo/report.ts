/**
 * The build report (`report.json`): how well the polygons join the gazetteer, level by level,
 * and which units or polygons are left over, so a deployment sees what its maps cannot show.
 */
import { GEO_LEVELS, type GeoLevel } from '../src/lib/server/geo/layers';
import { byCode } from './layers';
import { COVERAGE_FILE, TOPOLOGY_FILES, type GeoSources } from './read-sources';

/** Join counts of one level. */
export interface LevelCounts {
	gazetteer_units: number;
	polygons: number;
	/** Polygons whose code is a gazetteer unit. */
	matched: number;
	units_without_polygon: number;
	polygons_without_unit: number;
	/** Layer files of this level (one per parent unit plus the national one; one for provinces). */
	layer_files: number;
}

/** A gazetteer unit that no polygon has. */
export interface UnitWithoutPolygon {
	level: GeoLevel;
	code: string;
	name_en: string | null;
	name_km: string | null;
	parent_code: string | null;
	/** The polygon that contains it, from communes_without_polygon.csv; null when unknown. */
	covered_by: string | null;
	note: string | null;
}

/** A polygon whose code the gazetteer does not know (it is still drawn, with its own names). */
export interface PolygonWithoutUnit {
	level: GeoLevel;
	code: string;
	name_en: string | null;
	name_km: string | null;
	/** Where it is in the source, e.g. `communes.topojson: objects.communes.geometries[12]`. */
	source: string;
}

/** Size of the output files. */
export interface OutputSummary {
	files: number;
	bytes: number;
	/** The layers' compressed copies (`.br`, `.gz`), in bytes per encoding; not in `files`. */
	encoded: Record<string, number>;
	largest: { file: string; bytes: number }[];
}

/** Contents of report.json. */
export interface GeoReport {
	source_dir: string;
	generated_at: string;
	duration_ms: number;
	counts: Record<GeoLevel, LevelCounts>;
	villages: number;
	units_without_polygon: UnitWithoutPolygon[];
	polygons_without_unit: PolygonWithoutUnit[];
	/** Oddities that did not stop the build. */
	warnings: string[];
	/** The layer files and units.json (report.json itself excluded). */
	output: OutputSummary;
}

/** Compares the gazetteer with the polygons; `layerFiles` are the names of the layer files. */
export function buildReport(
	sources: GeoSources,
	layerFiles: string[],
	output: OutputSummary,
	generatedAt: Date,
	durationMs: number
): GeoReport {
	const { units } = sources.gazetteer;
	const warnings = [...sources.gazetteer.warnings];
	const polygonCodes = new Set(
		GEO_LEVELS.flatMap((level) => sources.polygons[level].map((p) => p.code))
	);

	const unitsWithoutPolygon: UnitWithoutPolygon[] = [...units.values()]
		.filter((unit) => !polygonCodes.has(unit.code))
		.sort((a, b) => byCode(a.code, b.code))
		.map(({ level, code, name_en, name_km, parent_code }) => {
			const known = sources.coverage?.get(code);
			return {
				level,
				code,
				name_en,
				name_km,
				parent_code,
				covered_by: known?.covered_by ?? null,
				note: known?.note ?? null
			};
		});

	const polygonsWithoutUnit: PolygonWithoutUnit[] = GEO_LEVELS.flatMap((level) =>
		sources.polygons[level]
			.filter((polygon) => !units.has(polygon.code))
			.map(({ code, name_en, name_km, index }) => ({
				level,
				code,
				name_en,
				name_km,
				source: `${TOPOLOGY_FILES[level].file}: objects.${TOPOLOGY_FILES[level].object}.geometries[${index}]`
			}))
	);

	// The coverage list is hand-made; say when it no longer fits the polygons it describes.
	for (const note of sources.coverage?.values() ?? []) {
		if (polygonCodes.has(note.commune_code)) {
			warnings.push(`${COVERAGE_FILE}: commune ${note.commune_code} is listed but has a polygon`);
		}
		if (note.covered_by !== null && !polygonCodes.has(note.covered_by)) {
			warnings.push(
				`${COVERAGE_FILE}: commune ${note.commune_code} is covered by ${note.covered_by}, which is not a polygon`
			);
		}
	}

	const counts = Object.fromEntries(
		GEO_LEVELS.map((level): [GeoLevel, LevelCounts] => {
			const polygons = sources.polygons[level].length;
			const orphans = polygonsWithoutUnit.filter((p) => p.level === level).length;
			return [
				level,
				{
					gazetteer_units: [...units.values()].filter((unit) => unit.level === level).length,
					polygons,
					matched: polygons - orphans,
					units_without_polygon: unitsWithoutPolygon.filter((u) => u.level === level).length,
					polygons_without_unit: orphans,
					layer_files: layerFiles.filter((file) => file.startsWith(level)).length
				}
			];
		})
	) as Record<GeoLevel, LevelCounts>;

	return {
		source_dir: sources.dir,
		generated_at: generatedAt.toISOString(),
		duration_ms: durationMs,
		counts,
		villages: sources.gazetteer.villageCount,
		units_without_polygon: unitsWithoutPolygon,
		polygons_without_unit: polygonsWithoutUnit,
		warnings,
		output
	};
}

const number = new Intl.NumberFormat('en-US');

/** A byte count for people: `812 B`, `143.2 KB`, `3.1 MB`. */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function names(en: string | null, km: string | null): string {
	return [en ?? '(no English name)', km ? `(${km})` : ''].filter(Boolean).join(' ');
}

/** "13 gazetteer units without a polygon:", or a full stop when nothing follows. */
function heading(count: number, word: string, rest = ''): string {
	const text = [number.format(count), count === 1 ? word : `${word}s`, rest].filter(Boolean);
	return `${text.join(' ')}${count > 0 ? ':' : '.'}`;
}

/** The report as text for the terminal: counts first, then the lists. */
export function formatReport(report: GeoReport): string {
	const header = ['level', 'gazetteer', 'polygons', 'matched', 'no polygon', 'no unit', 'files'];
	const rows = GEO_LEVELS.map((level) => {
		const c = report.counts[level];
		return [
			level,
			...[
				c.gazetteer_units,
				c.polygons,
				c.matched,
				c.units_without_polygon,
				c.polygons_without_unit,
				c.layer_files
			].map((n) => number.format(n))
		];
	});
	const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)));
	const line = (cells: string[]) =>
		cells
			.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
			.join('  ');

	const out = [
		`Source: ${report.source_dir}`,
		`Built:  ${report.generated_at}`,
		'',
		line(header),
		...rows.map(line),
		`(and ${number.format(report.villages)} villages in the gazetteer, which have no polygons)`,
		''
	];

	out.push(heading(report.units_without_polygon.length, 'gazetteer unit', 'without a polygon'));
	for (const unit of report.units_without_polygon) {
		const cover = unit.covered_by
			? `inside polygon ${unit.covered_by}`
			: 'covering polygon unknown';
		out.push(`  ${unit.level} ${unit.code} ${names(unit.name_en, unit.name_km)}: ${cover}`);
	}
	out.push(heading(report.polygons_without_unit.length, 'polygon', 'without a gazetteer unit'));
	for (const polygon of report.polygons_without_unit) {
		out.push(`  ${polygon.level} ${polygon.code} ${names(polygon.name_en, polygon.name_km)}`);
		out.push(`    at ${polygon.source}`);
	}
	out.push(heading(report.warnings.length, 'warning'));
	for (const warning of report.warnings) out.push(`  ${warning}`);
	return out.join('\n');
}
