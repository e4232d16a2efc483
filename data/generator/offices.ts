/**
 * The SSDM rollout: the June 2014 pilot in Angkor Chum and Srei Snam districts of Siem Reap,
 * then province by province from 2016 up to the as-of date, communes within a province
 * opening over months to years, and a few remote provinces still without any office.
 */
import { dayFromYmd } from './dates';
import { GeoDataError, type Geo } from './geo';
import type { Rng } from './random';

/** Office level (domain.md §3). */
export type OfficeLevel = 'commune_front' | 'district_back' | 'province_back';

/** One office row. Days are day numbers. */
export interface Office {
	code: string;
	level: OfficeLevel;
	geoCode: string;
	opened: number;
	closed: number | null;
	staffCount: number;
	staffTrained: number;
}

/** The offices and, per commune and district, which office serves it. */
export interface Rollout {
	/** In offices.csv order: province, district then commune offices, each in gazetteer order. */
	offices: Office[];
	/** Per commune: index in `offices` of its front office, or -1 when it has none. */
	communeOffice: Int32Array;
	/** Per district: index in `offices` of its back office, or -1 when it has none. */
	districtOffice: Int32Array;
	/** Codes of the provinces that have no office at the as-of date. */
	provincesWithoutOffice: string[];
}

/** The pilot offices' opening day. */
export const PILOT_OPENED = '2014-06-01';
/** The pilot province: Siem Reap. */
export const PILOT_PROVINCE = '17';
/** The pilot districts, looked up in the gazetteer by English name. */
export const PILOT_DISTRICT_NAMES = ['Angkor Chum', 'Srei Snam'] as const;
/** First day of the national rollout. */
export const ROLLOUT_FROM = '2016-01-01';
/** How many provinces are left without offices (when the rollout had time to start). */
export const PROVINCES_WITHOUT_OFFICE = 5;
// Remote provinces, the likeliest to be reached last: Koh Kong, Mondul Kiri, Preah Vihear,
// Ratanak Kiri, Stung Treng, Oddar Meanchey, Kep, Pailin.
const REMOTE_PROVINCES = ['09', '11', '13', '16', '19', '22', '23', '24'];

/** Plans every office up to `asOf` (offices that would open later are left out). */
export function planRollout(rng: Rng, geo: Geo, asOf: number, gazetteerFile: string): Rollout {
	const pilotOpened = dayFromYmd(2014, 6, 1);
	const pilotProvince = geo.provinces.findIndex((p) => p.code === PILOT_PROVINCE);
	const pilotDistricts = (geo.provinces[pilotProvince]?.districts ?? []).filter((d) =>
		PILOT_DISTRICT_NAMES.some((n) => n.toLowerCase() === geo.districts[d]?.nameEn.toLowerCase())
	);
	if (pilotDistricts.length !== PILOT_DISTRICT_NAMES.length) {
		throw new GeoDataError(
			`${gazetteerFile}: pilot districts ${PILOT_DISTRICT_NAMES.join(' and ')} not found in province ${PILOT_PROVINCE}`
		);
	}

	const communeOpened = new Float64Array(geo.communes.length).fill(NaN);
	const districtOpened = new Float64Array(geo.districts.length).fill(NaN);
	const provinceOpened = new Float64Array(geo.provinces.length).fill(NaN);
	provinceOpened[pilotProvince] = pilotOpened;
	for (const d of pilotDistricts) {
		districtOpened[d] = pilotOpened;
		for (const c of geo.districts[d]?.communes ?? []) communeOpened[c] = pilotOpened;
	}

	// The order provinces join the rollout: the rest of Siem Reap, then Banteay Meanchey (the
	// other province of the 2013 assessment), then the others at random with the remote
	// provinces last; the last few remote ones are not reached by the as-of date.
	const rolloutFrom = dayFromYmd(2016, 1, 1);
	const rolloutTo = asOf - 60;
	const others = shuffle(
		rng,
		geo.provinces.map((_, i) => i).filter((i) => i !== pilotProvince)
	);
	const isRemote = (i: number) => REMOTE_PROVINCES.includes(geo.provinces[i]?.code ?? '');
	const remote = others.filter(isRemote);
	const unreached = new Set(remote.slice(0, PROVINCES_WITHOUT_OFFICE));
	for (const i of others) {
		if (unreached.size >= PROVINCES_WITHOUT_OFFICE) break;
		if (geo.provinces[i]?.code !== '01') unreached.add(i);
	}
	const reached = others.filter((i) => !unreached.has(i));
	const order = [
		pilotProvince,
		...reached.filter((i) => geo.provinces[i]?.code === '01'),
		...reached.filter((i) => geo.provinces[i]?.code !== '01' && !isRemote(i)),
		...reached.filter((i) => geo.provinces[i]?.code !== '01' && isRemote(i))
	];
	const span = rolloutTo - rolloutFrom;
	order.forEach((p, k) => {
		if (span <= 0) return;
		const start = Math.round(rolloutFrom + (span * (k + 0.8 * rng.float())) / order.length);
		if (Number.isNaN(provinceOpened[p] ?? NaN)) provinceOpened[p] = start;
		let first = true;
		for (const d of geo.provinces[p]?.districts ?? []) {
			if (pilotDistricts.includes(d)) continue;
			// One district opens with the province office, the others within eight months.
			const districtStart = first ? start : start + rng.int(0, 240);
			first = false;
			if (districtStart > asOf) continue;
			districtOpened[d] = districtStart;
			for (const c of geo.districts[d]?.communes ?? []) {
				// Most communes open within four months of their district, some take a year or
				// two, a few laggards much longer.
				const u = rng.float();
				const delay = u < 0.7 ? rng.int(0, 120) : u < 0.9 ? rng.int(120, 540) : rng.int(540, 1500);
				if (districtStart + delay <= asOf) communeOpened[c] = districtStart + delay;
			}
		}
	});

	const offices: Office[] = [];
	const staff = (min: number, max: number, pilot: boolean) => {
		const count = rng.int(min, max);
		return { staffCount: count, staffTrained: pilot ? count : Math.max(1, count - rng.int(0, 2)) };
	};
	geo.provinces.forEach((p, i) => {
		const opened = provinceOpened[i] ?? NaN;
		if (Number.isNaN(opened)) return;
		offices.push({
			code: `PB-${p.code}`,
			level: 'province_back',
			geoCode: p.code,
			opened,
			closed: null,
			...staff(5, 12, opened === pilotOpened)
		});
	});
	geo.districts.forEach((d, i) => {
		const opened = districtOpened[i] ?? NaN;
		if (Number.isNaN(opened)) return;
		offices.push({
			code: `DB-${d.code}`,
			level: 'district_back',
			geoCode: d.code,
			opened,
			closed: null,
			...staff(3, 8, opened === pilotOpened)
		});
	});
	geo.communes.forEach((c, i) => {
		const opened = communeOpened[i] ?? NaN;
		if (Number.isNaN(opened)) return;
		// A rare front office closes (e.g. merged into a neighbour's); its families stay
		// registered but no new ones join there.
		let closed: number | null = null;
		if (opened !== pilotOpened && opened <= asOf - 3 * 365 && rng.chance(0.004)) {
			const day = asOf - rng.int(30, 700);
			if (day > opened + 365) closed = day;
		}
		offices.push({
			code: `CF-${c.code}`,
			level: 'commune_front',
			geoCode: c.code,
			opened,
			closed,
			...staff(2, 5, opened === pilotOpened)
		});
	});

	const byCode = new Map(offices.map((o, i) => [o.code, i]));
	return {
		offices,
		communeOffice: Int32Array.from(geo.communes, (c) => byCode.get(`CF-${c.code}`) ?? -1),
		districtOffice: Int32Array.from(geo.districts, (d) => byCode.get(`DB-${d.code}`) ?? -1),
		provincesWithoutOffice: geo.provinces
			.filter((_, i) => Number.isNaN(provinceOpened[i] ?? NaN))
			.map((p) => p.code)
	};
}

function shuffle<T>(rng: Rng, items: T[]): T[] {
	const out = items.slice();
	for (let i = out.length - 1; i > 0; i--) {
		const j = rng.int(0, i);
		[out[i], out[j]] = [out[j] as T, out[i] as T];
	}
	return out;
}
