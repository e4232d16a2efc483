import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { geoSourceDir } from '../../src/lib/server/config';
import { GeoDataError, largestRemainder, loadGeo } from './geo';
import { allocateCapped, registrationCurve } from './population';

const geoDir = geoSourceDir();
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempGeo(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'ssdm-geo-'));
	scratch.push(dir);
	copyFileSync(path.join(geoDir, 'gazetteer.csv'), path.join(dir, 'gazetteer.csv'));
	copyFileSync(
		path.join(geoDir, 'commune_families_2011.csv'),
		path.join(dir, 'commune_families_2011.csv')
	);
	return dir;
}

describe('loadGeo', () => {
	const geo = loadGeo(geoDir);
	const commune = (code: string) => geo.communes.find((c) => c.code === code);

	it('reads the whole gazetteer with string codes', () => {
		expect(geo.provinces).toHaveLength(25);
		expect(geo.districts).toHaveLength(197);
		expect(geo.communes).toHaveLength(1646);
		expect(geo.villages).toHaveLength(14372);
		expect(geo.provinces[0]?.code).toBe('01');
		// The anomaly the README keeps: village 05051001 belongs to commune 050511.
		const v = geo.villages.find((x) => x.code === '05051001');
		expect(geo.communes[v?.commune ?? -1]?.code).toBe('050511');
	});

	it('joins 2011 families on gazetteer_code', () => {
		expect(commune('010201')).toMatchObject({ families2011: 4206, familiesSource: 'census' });
		// Stueng Mean Chey (11,594 families) split into 120608, 120609, 120610 with 8, 8 and 6
		// villages: 11,594 × 8/22 = 4,216 and 11,594 × 6/22 = 3,162 exactly.
		expect(commune('120608')).toMatchObject({ families2011: 4216, familiesSource: 'split' });
		expect(commune('120609')?.families2011).toBe(4216);
		expect(commune('120610')?.families2011).toBe(3162);
		// Boeng Tumpun (8,770) into two communes of 11 villages each.
		expect(commune('120611')?.families2011).toBe(4385);
		expect(commune('120612')?.families2011).toBe(4385);
	});

	it("gives communes created after 2011 their district's average", () => {
		// District 0110 has 011001 (4,269) and 011002 (10,759): average 7,514.
		expect(commune('011003')).toMatchObject({
			families2011: 7514,
			familiesSource: 'district_average'
		});
		// District 0204: (5575 + 2306 + 2563 + 2465 + 2318 + 2192) / 6 = 2903.17.
		expect(commune('020407')?.families2011).toBe(2903);
		expect(geo.communes.filter((c) => c.familiesSource === 'district_average')).toHaveLength(18);
	});

	it('names the file when the directory or a file is missing', () => {
		expect(() => loadGeo('/nonexistent/geo')).toThrow(GeoDataError);
		expect(() => loadGeo('/nonexistent/geo')).toThrow(/\/nonexistent\/geo\/gazetteer\.csv/);
		const dir = tempGeo();
		rmSync(path.join(dir, 'commune_families_2011.csv'));
		expect(() => loadGeo(dir)).toThrow(/commune_families_2011\.csv: file not found/);
	});

	it('names the file and line of a malformed row', () => {
		const dir = tempGeo();
		const file = path.join(dir, 'gazetteer.csv');
		const lines = readFileSync(file, 'utf8').split('\n');
		lines[3] = (lines[3] ?? '').replace(/^01,/, '1,'); // a province code that lost its zero
		writeFileSync(file, lines.join('\n'));
		expect(() => loadGeo(dir)).toThrow(`${file}: line 4: province_code "1" is not a 2-digit code`);

		writeFileSync(file, 'province_code,district_code\n01,0102\n');
		expect(() => loadGeo(dir)).toThrow(/gazetteer\.csv: missing column\(s\) province_en/);
	});
});

describe('allocation helpers', () => {
	it('splits whole numbers exactly', () => {
		expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
		expect(largestRemainder(7, [2, 1])).toEqual([5, 2]);
		expect(largestRemainder(0, [2, 1])).toEqual([0, 0]);
	});

	it('respects caps and still hands out the total', () => {
		// Quotas of 2.5 each; the first is capped at 1, the other three share 9.
		expect(allocateCapped(10, [1, 1, 1, 1], [1, 5, 5, 5])).toEqual([1, 3, 3, 3]);
		// Caps too small for the total: the rest goes by weight anyway.
		expect(allocateCapped(6, [1, 1], [1, 1])).toEqual([3, 3]);
	});

	it('has a registration curve rising from 0 to 1', () => {
		expect(registrationCurve(0, 200)).toBe(0);
		expect(registrationCurve(3650, 200)).toBeCloseTo(1, 6);
		expect(registrationCurve(365, 200)).toBeLessThan(registrationCurve(730, 200));
	});
});
