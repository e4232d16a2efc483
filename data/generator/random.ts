/**
 * The one seeded random source of the demo data generator. Every draw goes through one `Rng`,
 * consumed in a fixed order, so a seed (plus household count and as-of date) gives the same
 * bytes on every machine.
 */
import seedrandom from 'seedrandom';

/** A seeded pseudo-random generator with the few distributions the generator needs. */
export class Rng {
	// Alea rather than seedrandom's default ARC4: several times faster, and 500,000 households
	// take tens of millions of draws.
	private readonly prng: seedrandom.PRNG;

	constructor(seed: string) {
		this.prng = seedrandom.alea(`ssdm-demo:${seed}`);
	}

	/** Uniform in [0, 1). */
	float(): number {
		return this.prng();
	}

	/** Uniform in [min, max). */
	uniform(min: number, max: number): number {
		return min + (max - min) * this.prng();
	}

	/** Uniform integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.prng() * (max - min + 1));
	}

	/** True with probability p. */
	chance(p: number): boolean {
		return this.prng() < p;
	}

	/** One element of a non-empty array, uniformly. */
	pick<T>(items: readonly T[]): T {
		const item = items[Math.floor(this.prng() * items.length)];
		if (item === undefined) throw new Error('Rng.pick: empty array');
		return item;
	}

	/** Normal deviate (Box–Muller; always two draws, so the consumption order never varies). */
	normal(mean = 0, sd = 1): number {
		const u = 1 - this.prng();
		const v = this.prng();
		return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/** Exponential deviate with the given mean. */
	exponential(mean: number): number {
		return -mean * Math.log(1 - this.prng());
	}

	/** Poisson deviate; a rounded normal approximation above 30, where Knuth's loop gets slow. */
	poisson(lambda: number): number {
		if (lambda <= 0) return 0;
		if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
		const limit = Math.exp(-lambda);
		let k = 0;
		let p = this.prng();
		while (p > limit) {
			k++;
			p *= this.prng();
		}
		return k;
	}

	/** Index drawn from cumulative weights (ascending, last = total). */
	weighted(cumulative: readonly number[]): number {
		const total = cumulative[cumulative.length - 1] ?? 0;
		const x = this.prng() * total;
		let lo = 0;
		let hi = cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if ((cumulative[mid] ?? 0) > x) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	}
}

/** Cumulative sums of weights, for `Rng.weighted`. */
export function cumulate(weights: readonly number[]): number[] {
	let sum = 0;
	return weights.map((w) => (sum += w));
}

/** Clamp x to [min, max]. */
export function clamp(x: number, min: number, max: number): number {
	return x < min ? min : x > max ? max : x;
}
