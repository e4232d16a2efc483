import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources } from './read-sources';
import {
	GAZETTEER_HEADER,
	GAZETTEER_ROWS,
	squareTopology,
	tempDir,
	writeSourceDir
} from './test-fixtures';

function gazetteer(...rows: string[]): string {
	return [GAZETTEER_HEADER, ...rows].join('\n');
}

/** The message readSources throws for a source dir with these files changed. */
function errorFor(files: Record<string, string | null>): { dir: string; message: string } {
	const dir = writeSourceDir(files);
	try {
		readSources(dir);
	} catch (error) {
		return { dir, message: (error as Error).message };
	}
	throw new Error('readSources accepted a broken source');
}

describe('readSources', () => {
	it('reads a valid directory', () => {
		const sources = readSources(writeSourceDir());
		expect([...sources.gazetteer.units.keys()]).toEqual(['01', '0102', '010201']);
		expect(sources.gazetteer.villageCount).toBe(2);
		expect(sources.polygons.commune.map((p) => p.code)).toEqual(['010201']);
		expect(sources.coverage).toBeNull();
	});

	it('names a missing directory', () => {
		const dir = path.join(tempDir(), 'nope');
		expect(() => readSources(dir)).toThrow(
			`${dir}: source directory not found (set GEO_DIR or pass --geo DIR)`
		);
	});

	it('names a missing file', () => {
		const { dir, message } = errorFor({ 'districts.topojson': null });
		expect(message).toBe(`districts.topojson: file not found in ${dir}`);
	});

	it('names every missing file in one message', () => {
		const { dir, message } = errorFor({ 'communes.topojson': null, 'gazetteer.csv': null });
		expect(message).toBe(`communes.topojson, gazetteer.csv: file not found in ${dir}`);
	});

	it('rejects a TopoJSON file that is not JSON', () => {
		const text = '{"type": "Topology",';
		let parseMessage = '';
		try {
			JSON.parse(text);
		} catch (error) {
			parseMessage = (error as Error).message;
		}
		const { message } = errorFor({ 'provinces.topojson': text });
		expect(message).toBe(`provinces.topojson: not valid JSON (${parseMessage})`);
	});

	it('rejects GeoJSON in place of TopoJSON, saying how to convert it', () => {
		const { message } = errorFor({
			'districts.topojson': '{"type":"FeatureCollection","features":[]}'
		});
		expect(message).toBe(
			'districts.topojson: not a TopoJSON Topology (type is "FeatureCollection") ' +
				'(this is GeoJSON: convert it, e.g. `mapshaper in.geojson -o format=topojson`)'
		);
	});

	it('rejects a topology without the object of its level', () => {
		const { message } = errorFor({
			'communes.topojson': JSON.stringify(squareTopology('adm3', { code: '010201' }))
		});
		expect(message).toBe('communes.topojson: no object named "communes" (found "adm3")');
	});

	it('rejects a feature without a code, giving its index', () => {
		const { message } = errorFor({
			'communes.topojson': JSON.stringify(squareTopology('communes', { name_en: 'x' }))
		});
		expect(message).toBe(
			'communes.topojson: objects.communes.geometries[0]: has no "code" property'
		);
	});

	it('rejects a feature code of the wrong length', () => {
		const { message } = errorFor({
			'districts.topojson': JSON.stringify(squareTopology('districts', { code: '01020' }))
		});
		expect(message).toBe(
			'districts.topojson: objects.districts.geometries[0]: code "01020" is not a code of 4 digits'
		);
	});

	it('pads a numeric code, whose leading zero a conversion tool dropped', () => {
		const dir = writeSourceDir({
			'communes.topojson': JSON.stringify(squareTopology('communes', { code: 10201 }))
		});
		expect(readSources(dir).polygons.commune[0]?.code).toBe('010201');
	});

	it('rejects a gazetteer code that lost its leading zero', () => {
		const { message } = errorFor({
			'gazetteer.csv': gazetteer(GAZETTEER_ROWS[0]!.replace(',0102,', ',102,'))
		});
		expect(message).toBe(
			'gazetteer.csv line 2: district_code "102" is not a code of 4 digits ' +
				'(leading zero lost, e.g. by a spreadsheet?)'
		);
	});

	it("rejects a gazetteer code that does not start with its parent's", () => {
		const { message } = errorFor({
			'gazetteer.csv': gazetteer(
				GAZETTEER_ROWS[0]!,
				GAZETTEER_ROWS[1]!.replace(',010201,', ',020201,')
			)
		});
		expect(message).toBe(
			`gazetteer.csv line 3: commune_code "020201" does not start with its parent's code "0102"`
		);
	});

	it('rejects a gazetteer without a required column', () => {
		const { message } = errorFor({
			'gazetteer.csv': gazetteer(...GAZETTEER_ROWS).replace('commune_km', 'commune_kh')
		});
		expect(message).toBe('gazetteer.csv: missing column(s) commune_km');
	});

	it('rejects two names for one unit', () => {
		const { message } = errorFor({
			'gazetteer.csv': gazetteer(
				GAZETTEER_ROWS[0]!,
				GAZETTEER_ROWS[1]!.replace('Mongkol', 'Mongkul')
			)
		});
		expect(message).toBe(
			'gazetteer.csv line 3: district 0102 is named "Mongkul Borei" / "មង្គលបូរី" here ' +
				'but "Mongkol Borei" / "មង្គលបូរី" on line 2'
		);
	});

	it('rejects a duplicate village', () => {
		const { message } = errorFor({
			'gazetteer.csv': gazetteer(GAZETTEER_ROWS[0]!, GAZETTEER_ROWS[0]!)
		});
		expect(message).toBe('gazetteer.csv line 3: village_code "01020101" already appears on line 2');
	});

	it('keeps a village filed under another commune than its code says, as a warning', () => {
		const dir = writeSourceDir({
			'gazetteer.csv': gazetteer(GAZETTEER_ROWS[0]!.replace(',01020101,', ',01020301,'))
		});
		expect(readSources(dir).gazetteer.warnings).toEqual([
			'gazetteer.csv line 2: village 01020301 is listed under commune 010201 although its code starts with 010203'
		]);
	});

	it('rejects a row with a missing field', () => {
		const { message } = errorFor({
			'gazetteer.csv': gazetteer(GAZETTEER_ROWS[0]!.replace(',Ou Thum', ''))
		});
		expect(message).toMatch(/^gazetteer\.csv: not valid CSV \(Invalid Record Length: .* line 2\)$/);
	});

	it('validates communes_without_polygon.csv when present', () => {
		const { message } = errorFor({
			'communes_without_polygon.csv':
				'commune_code,name_en,name_km,covered_by_polygon_code,note\n10202,x,y,010201,\n'
		});
		expect(message).toBe(
			'communes_without_polygon.csv line 2: commune_code "10202" is not a code of 6 digits ' +
				'(leading zero lost, e.g. by a spreadsheet?)'
		);
	});
});
