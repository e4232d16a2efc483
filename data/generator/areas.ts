/**
 * Per-area behaviour of the simulated SSDM: how poor a province is, how far registration
 * goes, how fast a district decides applications and appeals, how reliably a commune's
 * families collect their benefits. Drawn once per area so that maps show real geographic
 * contrasts rather than noise.
 */
import type { Geo } from './geo';
import { clamp, type Rng } from './random';

/** Behaviour of one province. */
export interface ProvinceParams {
	/** Share of households that are IDPoor (level 1 or 2). */
	idpoorShare: number;
	/** Typical share of households eventually registered where an office has long been open. */
	coverageMean: number;
	/** Appeals per 1,000 registered households per month. */
	appealRate: number;
}

/** Behaviour of one district (the back office decides applications and appeals). */
export interface DistrictParams {
	/** Median days from application to decision. */
	processingDays: number;
	/** Share of recent applications left pending (the backlog). */
	backlogShare: number;
	/** Median days from appeal to resolution. */
	appealDays: number;
	/** Share of recent appeals left open (overdue). */
	appealStuckShare: number;
	/** Appeals per 1,000 registered households per month. */
	appealRate: number;
}

/** Behaviour of one commune (the front office registers families and takes applications). */
export interface CommuneParams {
	/** Share of households registered once the office has long been open. */
	coverageMax: number;
	/** Registration pace: scale, in days, of the gamma(2) curve after the office opens. */
	paceDays: number;
	idpoorShare: number;
	/** Share of IDPoor households that are level 1 (the poorest). */
	level1Share: number;
	/** Multiplies programmes' application rates (how active the case managers are). */
	applyFactor: number;
	/** Multiplies programmes' take-up (how reliably benefits reach families). */
	takeUpFactor: number;
	personsPerHousehold: number;
	femaleShare: number;
	childShare: number;
	elderShare: number;
}

/** The behaviour of every area, indexed like the Geo arrays, and village size weights. */
export interface AreaParams {
	provinces: ProvinceParams[];
	districts: DistrictParams[];
	communes: CommuneParams[];
	/** Relative size of each village within its commune. */
	villageWeights: Float64Array;
}

/** Draws the behaviour of every area (consumes the generator in geo order). */
export function drawAreaParams(rng: Rng, geo: Geo): AreaParams {
	const provinces = geo.provinces.map((p) => ({
		// Phnom Penh is the least poor; elsewhere 12–35 %.
		idpoorShare: p.code === '12' ? rng.uniform(0.08, 0.11) : rng.uniform(0.12, 0.35),
		coverageMean: rng.uniform(0.55, 0.92),
		appealRate: rng.uniform(1.5, 6)
	}));
	const districts = geo.districts.map((d) => {
		const province = provinces[d.province] as ProvinceParams;
		// Most back offices keep up; a few are stuck, so the backlog map has hot spots.
		const stuck = rng.chance(0.25);
		return {
			processingDays: rng.uniform(8, 30),
			backlogShare: stuck ? rng.uniform(0.06, 0.25) : rng.uniform(0, 0.03),
			appealDays: rng.uniform(6, 40),
			appealStuckShare: stuck ? rng.uniform(0.1, 0.3) : rng.uniform(0, 0.05),
			appealRate: province.appealRate * rng.uniform(0.6, 1.5)
		};
	});
	const communes = geo.communes.map((c) => {
		const province = provinces[c.province] as ProvinceParams;
		return {
			coverageMax: clamp(province.coverageMean + rng.normal(0, 0.08), 0.3, 0.97),
			paceDays: rng.uniform(150, 300),
			idpoorShare: clamp(province.idpoorShare * Math.exp(rng.normal(0, 0.25)), 0.04, 0.6),
			level1Share: rng.uniform(0.3, 0.5),
			applyFactor: rng.uniform(0.75, 1.1),
			takeUpFactor: rng.uniform(0.65, 1),
			personsPerHousehold: rng.uniform(4.2, 4.9),
			femaleShare: rng.uniform(0.505, 0.52),
			childShare: rng.uniform(0.29, 0.37),
			elderShare: rng.uniform(0.065, 0.105)
		};
	});
	const villageWeights = new Float64Array(geo.villages.length);
	for (let v = 0; v < villageWeights.length; v++) villageWeights[v] = Math.exp(rng.normal(0, 0.5));
	return { provinces, districts, communes, villageWeights };
}
