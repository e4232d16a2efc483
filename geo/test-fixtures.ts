/**
 * Tiny source directories for the geo tests: one province (01) > district (0102) > commune
 * (010201) as unit squares, which each test then breaks in one way.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh, empty temporary directory. */
export function tempDir(prefix = 'ssdm-geo-'): string {
	return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A non-quantised topology with one square per level and the given feature properties. */
export function squareTopology(object: string, properties: Record<string, unknown>): object {
	return {
		type: 'Topology',
		arcs: [
			[
				[103.1234567, 13.1],
				[103.2, 13.1],
				[103.2, 13.2],
				[103.1, 13.2],
				[103.1234567, 13.1]
			]
		],
		objects: {
			[object]: {
				type: 'GeometryCollection',
				geometries: [{ type: 'Polygon', arcs: [[0]], properties }]
			}
		}
	};
}

/** The gazetteer header line. */
export const GAZETTEER_HEADER =
	'province_code,province_en,province_km,district_code,district_en,district_km,' +
	'commune_code,commune_en,commune_km,village_code,village_en,village_km';

/** Gazetteer rows of the fixture (a village name with quotes, as the real file has). */
export const GAZETTEER_ROWS = [
	'01,Banteay Meanchey,បន្ទាយមានជ័យ,0102,Mongkol Borei,មង្គលបូរី,010201,Banteay Neang,បន្ទាយនាង,01020101,Ou Thum,អូរធំ',
	'01,Banteay Meanchey,បន្ទាយមានជ័យ,0102,Mongkol Borei,មង្គលបូរី,010201,Banteay Neang,បន្ទាយនាង,01020102,Phnum,"ប្រសូត្រ ""ក"""'
];

/** Writes a valid source directory; `files` replaces (string) or removes (null) a file. */
export function writeSourceDir(files: Record<string, string | null> = {}): string {
	const dir = tempDir('ssdm-geo-src-');
	const defaults: Record<string, string> = {
		'provinces.topojson': JSON.stringify(
			squareTopology('provinces', { code: '01', name_en: 'Old name', parent_code: null })
		),
		'districts.topojson': JSON.stringify(
			squareTopology('districts', { code: '0102', name_en: 'Mongkol Borei' })
		),
		'communes.topojson': JSON.stringify(squareTopology('communes', { code: '010201' })),
		'gazetteer.csv': [GAZETTEER_HEADER, ...GAZETTEER_ROWS, ''].join('\n')
	};
	for (const [file, text] of Object.entries({ ...defaults, ...files })) {
		if (text !== null) writeFileSync(path.join(dir, file), text);
	}
	return dir;
}
