import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { geoSourceDir } from '../src/lib/server/config';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { COORDINATE_DECIMALS, type LayerProperties, type UnitRecord } from './layers';
import { buildGeoLayers } from './pipeline';
import type { GeoReport } from './report';
import { tempDir, writeSourceDir } from './test-fixtures';

type Layer = FeatureCollection<Polygon | MultiPolygon, LayerProperties>;

function readJson<T>(dir: string, file: string): T {
	return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;
}

function positions(layer: Layer): Position[] {
	return layer.features.flatMap(({ geometry }) =>
		geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.coordinates.flat(2)
	);
}

describe('buildGeoLayers on the real reference geodata (GEO_DIR, default ../shared/geo)', () => {
	const out = path.join(tempDir(), 'layers');
	let report: GeoReport;
	let files: string[];
	const layers = new Map<string, Layer>();

	beforeAll(async () => {
		report = await buildGeoLayers({ sourceDir: geoSourceDir(), outDir: out });
		files = readdirSync(out).sort();
		for (const file of files.filter((f) => f.endsWith('.geojson'))) {
			layers.set(file, readJson<Layer>(out, file));
		}
	});

	const features = (prefix: string) =>
		[...layers].filter(([file]) => file.startsWith(prefix)).flatMap(([, l]) => l.features);

	it('joins every polygon to the gazetteer (README "Join statistics")', () => {
		const { province, district, commune } = report.counts;
		expect([province.polygons, district.polygons, commune.polygons]).toEqual([25, 197, 1633]);
		expect([province.gazetteer_units, district.gazetteer_units, commune.gazetteer_units]).toEqual([
			25, 197, 1646
		]);
		expect(report.units_without_polygon).toHaveLength(13);
		expect(report.polygons_without_unit).toEqual([]);
		expect(report.villages).toBe(14372);
	});

	it('reports what covers each commune without a polygon, from communes_without_polygon.csv', () => {
		const stuengMeanChey2 = report.units_without_polygon.find((u) => u.code === '120609');
		expect(stuengMeanChey2).toMatchObject({ level: 'commune', covered_by: '120608' });
		const unknown = report.units_without_polygon.filter((u) => u.covered_by === null);
		expect(unknown.map((u) => u.code)).toEqual(['100506', '120808', '120809']);
	});

	it('writes one province file, a district file per province and a commune file per district', () => {
		expect(files.filter((f) => /^district-\d+\.geojson$/.test(f))).toHaveLength(25);
		expect(files.filter((f) => /^commune-\d+\.geojson$/.test(f))).toHaveLength(197);
		expect(files).toContain('report.json');
		expect(features('province')).toHaveLength(25);
		expect(features('district-')).toHaveLength(197);
		expect(features('commune-')).toHaveLength(1633);
		expect(files).toContain('district.geojson');
		expect(files).toContain('commune.geojson');
	});

	it('writes national overview layers with the same polygons, below 1.5 MB', () => {
		const codes = (layer: Layer) => layer.features.map((f) => f.properties.code).sort();
		const communes = layers.get('commune.geojson')!;
		expect(codes(communes)).toEqual(
			features('commune-')
				.map((f) => f.properties.code)
				.sort()
		);
		expect(codes(layers.get('district.geojson')!)).toEqual(
			features('district-')
				.map((f) => f.properties.code)
				.sort()
		);
		// Served to the browser whole: small enough for a slow connection (issue #5).
		const bytes = statSync(path.join(out, 'commune.geojson')).size;
		expect(bytes).toBeLessThan(1.5 * 1024 * 1024);
		// Simplified (fewer positions than the detailed files) and rounded to 4 decimals.
		expect(positions(communes).length).toBeLessThan(
			0.7 * positions({ features: features('commune-') } as Layer).length
		);
		expect(
			positions(communes)
				.flat()
				.filter((n) => !/^-?\d+(\.\d{1,4})?$/.test(String(n)))
		).toEqual([]);
		// Every ring still closes over at least three distinct points.
		for (const { geometry, properties } of communes.features) {
			const rings =
				geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
			for (const ring of rings) {
				expect(new Set(ring.map(String)).size, properties.code).toBeGreaterThanOrEqual(3);
			}
		}
	});

	it("gives Siem Reap (17) the gazetteer's 12 districts", () => {
		// awk -F, 'NR>1 && $1=="17" {print $4}' gazetteer.csv | sort -u | wc -l  →  12
		const siemReap = layers.get('district-17.geojson')!.features.map((f) => f.properties);
		expect(siemReap).toHaveLength(12);
		expect(siemReap.every((p) => p.parent_code === '17' && p.code.startsWith('17'))).toBe(true);
		expect(siemReap.find((p) => p.code === '1701')?.name_en).toBe('Angkor Chum');
	});

	it('gives every feature exactly code, name_en, name_km and parent_code', () => {
		for (const [file, layer] of layers) {
			for (const { properties } of layer.features) {
				expect(Object.keys(properties).sort(), file).toEqual([
					'code',
					'name_en',
					'name_km',
					'parent_code'
				]);
			}
		}
	});

	it('rounds coordinates to 3 decimals for provinces, 4 for districts and 5 for communes', () => {
		expect(COORDINATE_DECIMALS).toEqual({ province: 3, district: 4, commune: 5 });
		for (const [file, layer] of layers) {
			const decimals =
				COORDINATE_DECIMALS[
					file.startsWith('province')
						? 'province'
						: file.startsWith('district')
							? 'district'
							: 'commune'
				];
			const bad = positions(layer)
				.flat()
				.filter((n) => !new RegExp(`^-?\\d+(\\.\\d{1,${decimals}})?$`).test(String(n)));
			expect(bad, file).toEqual([]);
		}
	});

	it('simplifies the province lines and keeps every ring a ring', () => {
		const source = JSON.parse(
			readFileSync(path.join(geoSourceDir(), 'provinces.topojson'), 'utf8')
		) as { arcs: unknown[][] };
		const sourcePositions = source.arcs.flat().length;
		const provinces = layers.get('province.geojson')!;
		const distinct = new Set(positions(provinces).map((p) => p.join(',')));
		// A quarter pixel of a 1000-pixel map of Cambodia (0.00135°) drops about 30% of the
		// already generalised reference lines (10,474 arc positions).
		expect(distinct.size).toBeLessThan(0.8 * sourcePositions);
		expect(provinces.features).toHaveLength(25);
		for (const { geometry, properties } of provinces.features) {
			const rings =
				geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
			for (const ring of rings) {
				expect(ring.length, properties.code).toBeGreaterThanOrEqual(4);
				expect(ring[0], properties.code).toEqual(ring[ring.length - 1]);
			}
		}
	});

	it('writes a brotli and a gzip copy of every layer, each decoding to the same GeoJSON', () => {
		const geojson = files.filter((f) => f.endsWith('.geojson'));
		expect(files.filter((f) => f.endsWith('.geojson.br'))).toHaveLength(geojson.length);
		expect(files.filter((f) => f.endsWith('.geojson.gz'))).toHaveLength(geojson.length);
		for (const file of ['province.geojson', 'district-17.geojson', 'commune-1701.geojson']) {
			const plain = readFileSync(path.join(out, file), 'utf8');
			expect(brotliDecompressSync(readFileSync(path.join(out, `${file}.br`))).toString()).toBe(
				plain
			);
			expect(gunzipSync(readFileSync(path.join(out, `${file}.gz`))).toString()).toBe(plain);
		}
		const province = readFileSync(path.join(out, 'province.geojson.br')).length;
		expect(province).toBeLessThan(40 * 1024);
		expect(report.output.encoded.br).toBeLessThan(report.output.encoded.gzip!);
	});

	it('lists the provinces, districts and communes (no villages) in units.json', () => {
		const units = readJson<UnitRecord[]>(out, 'units.json');
		expect(units).toHaveLength(25 + 197 + 1646);
		expect(units[0]).toEqual({
			code: '01',
			level: 'province',
			parent_code: null,
			name_en: 'Banteay Meanchey',
			name_km: 'បន្ទាយមានជ័យ'
		});
	});
});

describe('buildGeoLayers on fixtures', () => {
	it('takes names from the gazetteer, not the TopoJSON', async () => {
		const out = path.join(tempDir(), 'layers');
		await buildGeoLayers({ sourceDir: writeSourceDir(), outDir: out });
		const provinces = readJson<Layer>(out, 'province.geojson');
		expect(provinces.features[0]?.properties).toEqual({
			code: '01',
			name_en: 'Banteay Meanchey',
			name_km: 'បន្ទាយមានជ័យ',
			parent_code: null
		});
		// Provinces keep 3 decimals (COORDINATE_DECIMALS).
		expect(positions(provinces)[0]).toEqual([103.123, 13.1]);
	});

	it('replaces the previous layers, dropping files the new build no longer makes', async () => {
		const out = path.join(tempDir(), 'layers');
		await buildGeoLayers({ sourceDir: writeSourceDir(), outDir: out });
		writeFileSync(path.join(out, 'district-99.geojson'), '{}');
		await buildGeoLayers({ sourceDir: writeSourceDir(), outDir: out });
		expect(readdirSync(out).sort()).toEqual([
			'commune-0102.geojson',
			'commune-0102.geojson.br',
			'commune-0102.geojson.gz',
			'commune.geojson',
			'commune.geojson.br',
			'commune.geojson.gz',
			'district-01.geojson',
			'district-01.geojson.br',
			'district-01.geojson.gz',
			'district.geojson',
			'district.geojson.br',
			'district.geojson.gz',
			'province.geojson',
			'province.geojson.br',
			'province.geojson.gz',
			'report.json',
			'units.json'
		]);
		expect(readdirSync(path.dirname(out))).toEqual(['layers']);
	});

	it('refuses to replace a directory that is not a layers directory', async () => {
		const out = tempDir();
		writeFileSync(path.join(out, 'thesis.docx'), 'precious');
		await expect(buildGeoLayers({ sourceDir: writeSourceDir(), outDir: out })).rejects.toThrow(
			`${out}: refusing to replace a directory that holds no report.json from an earlier build`
		);
	});
});

describe('npm run geo (geo/build.ts)', () => {
	it('exits 1 with one message on a bad source and leaves the previous layers intact', async () => {
		const parent = tempDir();
		const out = path.join(parent, 'layers');
		await buildGeoLayers({ sourceDir: writeSourceDir(), outDir: out });
		const before = readFileSync(path.join(out, 'report.json'), 'utf8');
		const source = writeSourceDir({ 'communes.topojson': 'not json' });

		const run = promisify(execFile)('npx', ['tsx', 'geo/build.ts', '--geo', source, '--out', out]);
		const failure = await run.then(
			() => null,
			(error: { code: number; stderr: string }) => error
		);

		expect(failure?.code).toBe(1);
		expect(failure?.stderr).toContain(
			`npm run geo: cannot build the map layers from ${source}\n  communes.topojson: not valid JSON (`
		);
		expect(failure?.stderr).toContain(`Nothing was written; ${out} is unchanged.`);
		expect(readFileSync(path.join(out, 'report.json'), 'utf8')).toBe(before);
		expect(readdirSync(parent)).toEqual(['layers']);
		expect(existsSync(path.join(out, 'province.geojson'))).toBe(true);
	});
});
