/**
 * Reads the reference geodata the demo data is built on: the NCDD gazetteer (villages with
 * their commune > district > province chain) and the 2011 family counts per commune (see
 * `shared/geo/README.md`). Any problem throws one GeoDataError whose message starts with the
 * file's path, so a bad geo directory fails clearly instead of producing odd data.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { GAZETTEER_COLUMNS } from '../../src/lib/server/ingest/feeds';

/** A geo source that is missing or malformed; the message names the file. */
export class GeoDataError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'GeoDataError';
	}
}

/** The gazetteer file name in the geo directory. */
export const GAZETTEER_FILE = 'gazetteer.csv';

/** The 2011 family counts file name in the geo directory. */
export const FAMILIES_FILE = 'commune_families_2011.csv';

const FAMILIES_COLUMNS = ['commune_code', 'families', 'gazetteer_code'] as const;

/** A province of the gazetteer. */
export interface GeoProvince {
	code: string;
	nameEn: string;
	nameKm: string;
	districts: number[];
}

/** A district (srok / khan / krong) of the gazetteer. */
export interface GeoDistrict {
	code: string;
	nameEn: string;
	nameKm: string;
	province: number;
	communes: number[];
}

/** Where a commune's 2011 family count comes from. */
export type FamiliesSource = 'census' | 'split' | 'district_average' | 'province_average';

/** A commune (khum / sangkat) of the gazetteer, with its 2011 family count. */
export interface GeoCommune {
	code: string;
	nameEn: string;
	nameKm: string;
	district: number;
	province: number;
	villages: number[];
	/** Families in 2011 within today's boundaries (a split 2011 commune shared out). */
	families2011: number;
	familiesSource: FamiliesSource;
}

/** A village (phum). */
export interface GeoVillage {
	code: string;
	commune: number;
}

/** The gazetteer as linked arrays (indexes, in first-appearance order), plus its raw rows. */
export interface Geo {
	provinces: GeoProvince[];
	districts: GeoDistrict[];
	communes: GeoCommune[];
	villages: GeoVillage[];
	/** The gazetteer rows in source order, columns as GAZETTEER_COLUMNS. */
	gazetteerRows: string[][];
}

/** Loads and validates `gazetteer.csv` and `commune_families_2011.csv` from `dir`. */
export function loadGeo(dir: string): Geo {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) {
		throw new GeoDataError(
			`${path.join(dir, GAZETTEER_FILE)}: geo directory ${dir} not found (set GEO_DIR or pass --geo)`
		);
	}
	const gazetteerFile = path.join(dir, GAZETTEER_FILE);
	const geo = readGazetteer(gazetteerFile, readCsv(gazetteerFile, GAZETTEER_COLUMNS));
	const familiesFile = path.join(dir, FAMILIES_FILE);
	assignFamilies(geo, familiesFile, readCsv(familiesFile, FAMILIES_COLUMNS));
	return geo;
}

/** A parsed CSV: data rows as arrays, and a lookup of a column's index by (lower-case) name. */
interface CsvTable {
	rows: string[][];
	column: (name: string) => number;
}

function readCsv(file: string, required: readonly string[]): CsvTable {
	if (!existsSync(file)) throw new GeoDataError(`${file}: file not found`);
	let rows: string[][];
	try {
		rows = parse(readFileSync(file), { bom: true, skip_empty_lines: true }) as string[][];
	} catch (error) {
		throw new GeoDataError(`${file}: not a valid CSV file (${(error as Error).message})`);
	}
	const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
	const missing = required.filter((c) => !header.includes(c));
	if (missing.length > 0) {
		throw new GeoDataError(`${file}: missing column(s) ${missing.join(', ')}`);
	}
	if (rows.length === 0) throw new GeoDataError(`${file}: no data rows`);
	return { rows, column: (name) => header.indexOf(name) };
}

function readGazetteer(file: string, table: CsvTable): Geo {
	const geo: Geo = { provinces: [], districts: [], communes: [], villages: [], gazetteerRows: [] };
	const provinceIndex = new Map<string, number>();
	const districtIndex = new Map<string, number>();
	const communeIndex = new Map<string, number>();
	const villageCodes = new Set<string>();

	const indexes = GAZETTEER_COLUMNS.map((c) => table.column(c));
	table.rows.forEach((record, i) => {
		// Line numbers as an editor shows them: the header is line 1.
		const where = `${file}: line ${i + 2}`;
		const row = indexes.map((k) => (record[k] ?? '').trim());
		const [pCode, pEn, pKm, dCode, dEn, dKm, cCode, cEn, cKm, vCode] = row as [
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string
		];
		checkCode(where, 'province_code', pCode, 2, '');
		checkCode(where, 'district_code', dCode, 4, pCode);
		checkCode(where, 'commune_code', cCode, 6, dCode);
		// Not checked against the commune prefix: the gazetteer keeps village 05051001 under
		// commune 050511, and the commune column is what counts.
		checkCode(where, 'village_code', vCode, 8, '');
		if (villageCodes.has(vCode))
			throw new GeoDataError(`${where}: duplicate village_code ${vCode}`);
		villageCodes.add(vCode);

		let p = provinceIndex.get(pCode);
		if (p === undefined) {
			p = geo.provinces.push({ code: pCode, nameEn: pEn, nameKm: pKm, districts: [] }) - 1;
			provinceIndex.set(pCode, p);
		}
		let d = districtIndex.get(dCode);
		if (d === undefined) {
			d = geo.districts.push({ code: dCode, nameEn: dEn, nameKm: dKm, province: p, communes: [] });
			d -= 1;
			districtIndex.set(dCode, d);
			geo.provinces[p]?.districts.push(d);
		}
		let c = communeIndex.get(cCode);
		if (c === undefined) {
			c = geo.communes.push({
				code: cCode,
				nameEn: cEn,
				nameKm: cKm,
				district: d,
				province: p,
				villages: [],
				families2011: 0,
				familiesSource: 'census'
			});
			c -= 1;
			communeIndex.set(cCode, c);
			geo.districts[d]?.communes.push(c);
		} else if (geo.communes[c]?.district !== d) {
			throw new GeoDataError(`${where}: commune ${cCode} listed under two districts`);
		}
		const v = geo.villages.push({ code: vCode, commune: c }) - 1;
		geo.communes[c]?.villages.push(v);
		geo.gazetteerRows.push(row);
	});
	return geo;
}

const DIGITS = /^\d+$/;

function checkCode(where: string, column: string, code: string, length: number, parent: string) {
	if (code.length !== length || !DIGITS.test(code)) {
		throw new GeoDataError(`${where}: ${column} "${code}" is not a ${length}-digit code`);
	}
	if (!code.startsWith(parent)) {
		throw new GeoDataError(`${where}: ${column} ${code} does not start with its parent ${parent}`);
	}
}

function assignFamilies(geo: Geo, file: string, table: CsvTable) {
	const byCode = new Map(geo.communes.map((c, i) => [c.code, i]));
	const assigned = new Map<number, { families: number; source: FamiliesSource }>();
	const familiesColumn = table.column('families');
	const codeColumn = table.column('gazetteer_code');
	table.rows.forEach((record, i) => {
		const where = `${file}: line ${i + 2}`;
		const familiesText = (record[familiesColumn] ?? '').trim();
		if (!/^\d+$/.test(familiesText)) {
			throw new GeoDataError(`${where}: families "${familiesText}" is not a whole number`);
		}
		const codes = (record[codeColumn] ?? '')
			.split(';')
			.map((c) => c.trim())
			.filter((c) => c !== '');
		if (codes.length === 0) throw new GeoDataError(`${where}: empty gazetteer_code`);
		const successors = codes.map((code) => {
			const c = byCode.get(code);
			if (c === undefined) {
				throw new GeoDataError(
					`${where}: gazetteer_code ${code} is not a commune of the gazetteer`
				);
			}
			return c;
		});
		// A split commune's families go to its successors in proportion to their villages: the
		// only size measure the gazetteer offers.
		const shares = largestRemainder(
			Number(familiesText),
			successors.map((c) => geo.communes[c]?.villages.length ?? 1)
		);
		successors.forEach((c, k) => {
			const previous = assigned.get(c);
			assigned.set(c, {
				families: (previous?.families ?? 0) + (shares[k] ?? 0),
				source: successors.length > 1 ? 'split' : 'census'
			});
		});
	});

	for (const [c, { families, source }] of assigned) {
		const commune = geo.communes[c];
		if (commune) {
			commune.families2011 = families;
			commune.familiesSource = source;
		}
	}
	// Communes created after 2011 have no row: give them their district's average (their
	// families are inside a neighbour's count, so this slightly over-counts, as intended for
	// a plausible denominator), else the province's.
	geo.communes.forEach((commune, c) => {
		if (assigned.has(c)) return;
		const district = geo.districts[commune.district];
		const province = geo.provinces[commune.province];
		const fromDistrict = average(district?.communes ?? [], assigned);
		if (fromDistrict !== null) {
			commune.families2011 = fromDistrict;
			commune.familiesSource = 'district_average';
			return;
		}
		const provinceCommunes = (province?.districts ?? []).flatMap(
			(d) => geo.districts[d]?.communes ?? []
		);
		commune.families2011 = average(provinceCommunes, assigned) ?? 0;
		commune.familiesSource = 'province_average';
	});
}

function average(communes: number[], assigned: Map<number, { families: number }>): number | null {
	const values = communes.flatMap((c) => {
		const a = assigned.get(c);
		return a ? [a.families] : [];
	});
	if (values.length === 0) return null;
	return Math.round(values.reduce((s, v) => s + v, 0) / values.length);
}

/**
 * Splits a whole number over weights so the parts are whole and sum exactly to `total`
 * (largest remainder; ties go to the earlier index, so the result is deterministic).
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
	const sum = weights.reduce((s, w) => s + w, 0);
	if (sum <= 0 || total <= 0) return weights.map(() => 0);
	const exact = weights.map((w) => (total * w) / sum);
	const parts = exact.map((x) => Math.floor(x));
	let left = total - parts.reduce((s, p) => s + p, 0);
	const order = exact
		.map((x, i) => ({ i, r: x - Math.floor(x) }))
		.sort((a, b) => b.r - a.r || a.i - b.i);
	for (const { i } of order) {
		if (left <= 0) break;
		parts[i] = (parts[i] ?? 0) + 1;
		left--;
	}
	return parts;
}
