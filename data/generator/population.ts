/**
 * Population denominators and where the registered households live.
 *
 * Families per commune come from the 2011 commune database, grown 2 % a year. A demo with N
 * households cannot cover Cambodia's ~4 million, so the whole population is scaled by
 * `scale = N / (households the registry would hold at full scale)`: registered households
 * over population households then gives realistic coverage in every commune. Registered
 * households are placed in communes in proportion to their expected registrations, and
 * within a commune in population "slots", so no village has more registered households than
 * its population.
 */
import type { AreaParams } from './areas';
import type { Geo } from './geo';
import { largestRemainder } from './geo';
import type { Rollout } from './offices';
import { cumulate, type Rng } from './random';

/** Annual growth of the number of households since 2011. */
export const ANNUAL_GROWTH = 0.02;
/** Year of the family counts. */
export const BASE_YEAR = 2011;
/** Population years written besides the as-of year (the three before it). */
export const EARLIER_YEARS = 3;

// Registration after an office opens: most families join in a campaign that ramps up over
// the first months and fades over one to three years (a gamma(2) curve), the rest trickle in
// (new families, movers) evenly over ten years.
const CAMPAIGN_SHARE = 0.88;
const TRICKLE_DAYS = 3_650;

/** Share of a commune's eventual registrations done within `days` of its office opening. */
export function registrationCurve(days: number, paceDays: number): number {
	if (days <= 0) return 0;
	const x = days / paceDays;
	const campaign = 1 - Math.exp(-x) * (1 + x);
	return CAMPAIGN_SHARE * campaign + (1 - CAMPAIGN_SHARE) * Math.min(1, days / TRICKLE_DAYS);
}

/** A registration day offset in [0, days) drawn from the curve (inverse CDF by bisection). */
export function drawRegistrationOffset(rng: Rng, days: number, paceDays: number): number {
	const target = rng.float() * registrationCurve(days, paceDays);
	let lo = 0;
	let hi = days;
	for (let i = 0; i < 40 && hi - lo > 0.01; i++) {
		const mid = (lo + hi) / 2;
		if (registrationCurve(mid, paceDays) < target) lo = mid;
		else hi = mid;
	}
	return Math.min(days - 1, Math.floor(lo));
}

/** The days a commune front office registers families: [first, last], or null. */
export function registrationPeriod(
	rollout: Rollout,
	commune: number,
	asOf: number
): { first: number; last: number } | null {
	const office = rollout.offices[rollout.communeOffice[commune] ?? -1];
	if (!office || office.opened > asOf) return null;
	const last = office.closed === null ? asOf : Math.min(asOf, office.closed - 1);
	return last >= office.opened ? { first: office.opened, last } : null;
}

/** Households in the population before scaling, for a commune and year. */
export function fullScaleHouseholds(families2011: number, year: number): number {
	return families2011 * Math.pow(1 + ANNUAL_GROWTH, year - BASE_YEAR);
}

/** The population side of the demo: scale, denominators and registered households per village. */
export interface PopulationPlan {
	scale: number;
	/** Population years, ascending; the last is the as-of year. */
	years: number[];
	/** Per commune: expected registration coverage at the as-of date (0 without an office). */
	expectedCoverage: Float64Array;
	/** Per year (same order as `years`), per village: population households. */
	villageHouseholds: Int32Array[];
	/** Per village: registered households to generate (sums to N). */
	registered: Int32Array;
	/** Households the registry would hold at full scale (before scaling). */
	fullScaleRegistered: number;
}

/** Computes the scale, the population per village and year, and registered households per village. */
export function planPopulation(
	rng: Rng,
	geo: Geo,
	areas: AreaParams,
	rollout: Rollout,
	households: number,
	asOf: number,
	asOfYear: number
): PopulationPlan {
	const years = Array.from({ length: EARLIER_YEARS + 1 }, (_, i) => asOfYear - EARLIER_YEARS + i);
	const expectedCoverage = Float64Array.from(geo.communes, (_, c) => {
		const period = registrationPeriod(rollout, c, asOf);
		if (!period) return 0;
		const params = areas.communes[c];
		if (!params) return 0;
		return params.coverageMax * registrationCurve(period.last - period.first + 1, params.paceDays);
	});
	const fullScaleRegistered = geo.communes.reduce(
		(sum, commune, c) =>
			sum + fullScaleHouseholds(commune.families2011, asOfYear) * (expectedCoverage[c] ?? 0),
		0
	);
	if (fullScaleRegistered <= 0) {
		throw new Error('no commune front office is open at the as-of date: nothing to register');
	}
	const scale = households / fullScaleRegistered;

	const villageHouseholds = years.map((year) => {
		const out = new Int32Array(geo.villages.length);
		for (const commune of geo.communes) {
			const total = Math.round(fullScaleHouseholds(commune.families2011, year) * scale);
			const parts = largestRemainder(
				total,
				commune.villages.map((v) => areas.villageWeights[v] ?? 1)
			);
			commune.villages.forEach((v, k) => (out[v] = parts[k] ?? 0));
		}
		return out;
	});

	const current = villageHouseholds[villageHouseholds.length - 1] as Int32Array;
	const communePopulation = geo.communes.map((commune) =>
		commune.villages.reduce((s, v) => s + (current[v] ?? 0), 0)
	);
	const perCommune = allocateCapped(
		households,
		communePopulation.map((p, c) => p * (expectedCoverage[c] ?? 0)),
		communePopulation
	);

	const registered = new Int32Array(geo.villages.length);
	geo.communes.forEach((commune, c) => {
		const wanted = perCommune[c] ?? 0;
		if (wanted === 0) return;
		// Pick `wanted` of the commune's population slots without replacement: each village
		// then gets at most its population.
		const slots: number[] = [];
		for (const v of commune.villages) for (let k = 0; k < (current[v] ?? 0); k++) slots.push(v);
		const take = Math.min(wanted, slots.length);
		for (let i = 0; i < take; i++) {
			const j = rng.int(i, slots.length - 1);
			const v = slots[j] as number;
			slots[j] = slots[i] as number;
			slots[i] = v;
			registered[v] = (registered[v] ?? 0) + 1;
		}
		// Only with a tiny N: more households than population slots; spread the rest by size.
		if (wanted > take) {
			const cumulative = cumulate(commune.villages.map((v) => areas.villageWeights[v] ?? 1));
			for (let i = take; i < wanted; i++) {
				const v = commune.villages[rng.weighted(cumulative)] as number;
				registered[v] = (registered[v] ?? 0) + 1;
			}
		}
	});

	return { scale, years, expectedCoverage, villageHouseholds, registered, fullScaleRegistered };
}

/**
 * Splits `total` over weights in whole numbers, no part above its cap (water-filling, then
 * largest remainder). If the caps cannot hold the total, the rest goes by weight regardless.
 */
export function allocateCapped(
	total: number,
	weights: readonly number[],
	caps: readonly number[]
): number[] {
	const parts = weights.map(() => 0);
	const free = new Set(weights.map((w, i) => (w > 0 ? i : -1)).filter((i) => i >= 0));
	let left = total;
	for (;;) {
		const sum = [...free].reduce((s, i) => s + (weights[i] ?? 0), 0);
		if (sum <= 0 || left <= 0) break;
		const over = [...free].filter((i) => (left * (weights[i] ?? 0)) / sum > (caps[i] ?? 0));
		if (over.length === 0) {
			const ids = [...free];
			const split = largestRemainder(
				left,
				ids.map((i) => weights[i] ?? 0)
			);
			ids.forEach((i, k) => (parts[i] = (parts[i] ?? 0) + (split[k] ?? 0)));
			left = 0;
			break;
		}
		for (const i of over) {
			parts[i] = caps[i] ?? 0;
			left -= caps[i] ?? 0;
			free.delete(i);
		}
	}
	if (left > 0) {
		const split = largestRemainder(left, weights);
		split.forEach((s, i) => (parts[i] = (parts[i] ?? 0) + s));
	}
	return parts;
}
