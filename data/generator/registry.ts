/**
 * Household members for the single registry: sizes averaging ~4.5, a head, usually a spouse,
 * children, sometimes the head's elderly parents or grandchildren, giving Cambodia's young
 * age structure (~1/3 under 18, ~8 % aged 60+). Names are romanised Khmer; adults mostly have
 * a 12-digit national ID, unique by construction.
 *
 * No two registry persons share a normalised name + birth date + sex by chance (a draw that
 * would is redrawn), so the only possible duplicates are the ones planted on purpose.
 */
import { ageAt } from './dates';
import { drawName, FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, normaliseName } from './names';
import { clamp, cumulate, type Rng } from './random';

/** Relationship to the head of household. */
export type Relationship = 'head' | 'spouse' | 'child' | 'parent' | 'other';

/** One generated household member. */
export interface Member {
	sex: 'F' | 'M';
	/** Day number of birth. */
	birth: number;
	disability: boolean;
	fullName: string;
	/** '' when the person has none. */
	nationalId: string;
	relationship: Relationship;
}

/** An identity forced onto a household head, to plant a possible duplicate. */
export interface ForcedHead {
	sex: 'F' | 'M';
	birth: number;
	familyName: string;
	/** Copied as is; when absent a fresh given name is drawn (so the name matches no one). */
	fullName?: string;
	/** Copied as is; when absent the head gets a fresh ID. */
	nationalId?: string;
}

// Household size 1..10: mean ≈ 4.46.
const SIZE_CUMULATIVE = cumulate([5, 11, 18, 21, 18, 12, 7, 4, 2.5, 1.5]);
// Age of a head of household: bands 20–29 … 70–85.
const HEAD_AGE_BANDS: readonly [number, number][] = [
	[20, 29],
	[30, 39],
	[40, 49],
	[50, 59],
	[60, 69],
	[70, 85]
];
const HEAD_AGE_CUMULATIVE = cumulate([8, 21, 28, 26, 12, 5]);
const DAYS_PER_YEAR = 365.2425;
// National IDs: 100000000000 + (A·k + B) mod 9·10^11 is a bijection on k < 9·10^11 when A is
// coprime with 9·10^11 = 2^11·3^2·5^11, so IDs are unique without remembering them.
const ID_MODULUS = 900_000_000_000n;
const ID_MULTIPLIER = 614_889_782_588_491n; // odd, not a multiple of 3 or 5

/** Draws households' members; remembers identities so no chance duplicates arise. */
export class MemberFactory {
	private idCounter = 0n;
	private readonly idOffset: bigint;
	private readonly identityKeys = new Set<number>();

	constructor(
		private readonly rng: Rng,
		private readonly asOf: number
	) {
		this.idOffset = BigInt(rng.int(0, 899_999_999));
	}

	/** Members of a household registered on `registered`, head first. */
	household(registered: number, forced?: ForcedHead): Member[] {
		const rng = this.rng;
		const size = 1 + rng.weighted(SIZE_CUMULATIVE);
		const yearsRegistered = (this.asOf - registered) / DAYS_PER_YEAR;
		// The head was an adult when the family registered.
		const minHeadAge = Math.ceil(18 + yearsRegistered);

		let headSex: 'F' | 'M';
		let headAge: number;
		if (forced) {
			headSex = forced.sex;
			headAge = ageAt(forced.birth, this.asOf);
		} else {
			headSex = rng.chance(size === 1 ? 0.5 : 0.2) ? 'F' : 'M';
			if (size === 1 && rng.chance(0.45)) headAge = rng.int(60, 88);
			else {
				const [lo, hi] = HEAD_AGE_BANDS[rng.weighted(HEAD_AGE_CUMULATIVE)] as [number, number];
				headAge = rng.int(lo, hi);
			}
			headAge = Math.min(94, Math.max(headAge, minHeadAge));
		}
		const people: { sex: 'F' | 'M'; age: number; relationship: Relationship }[] = [
			{ sex: headSex, age: headAge, relationship: 'head' }
		];
		let left = size - 1;

		const spouseChance = headSex === 'M' ? (headAge < 65 ? 0.93 : 0.72) : 0.25;
		if (left >= 1 && rng.chance(spouseChance)) {
			const gap = Math.round(rng.normal(3.5, 3));
			const age = headSex === 'M' ? headAge - gap : headAge + gap;
			people.push({
				sex: headSex === 'M' ? 'F' : 'M',
				age: clamp(age, Math.ceil(16 + yearsRegistered), 94),
				relationship: 'spouse'
			});
			left--;
		}
		if (left >= 2 && headAge <= 50 && rng.chance(0.16)) {
			const both = left >= 3 && rng.chance(0.35);
			const age = Math.min(94, headAge + rng.int(22, 34));
			if (both) {
				people.push({ sex: 'M', age: Math.min(94, age + rng.int(0, 5)), relationship: 'parent' });
				people.push({ sex: 'F', age, relationship: 'parent' });
				left -= 2;
			} else {
				people.push({ sex: rng.chance(0.72) ? 'F' : 'M', age, relationship: 'parent' });
				left--;
			}
		}
		const mother = people.find((p) => p.sex === 'F' && p.relationship !== 'parent');
		const parentAge = mother ? mother.age : headAge - 3;
		for (; left > 0; left--) {
			const sex = rng.chance(0.51) ? 'M' : 'F';
			if (parentAge >= 55 && rng.chance(0.35)) {
				people.push({ sex, age: rng.int(0, 17), relationship: 'other' }); // grandchild
			} else if (rng.chance(0.12) || parentAge < 18) {
				people.push({ sex, age: rng.int(12, 40), relationship: 'other' }); // sibling, in-law…
			} else {
				// Born when the mother was 18–40; grown children often still live at home.
				const age = parentAge - rng.int(18, Math.min(40, parentAge));
				people.push({ sex, age: Math.min(age, 40), relationship: 'child' });
			}
		}

		// Family names: the head's, the spouse's own, children take their father's.
		const headFamily = forced?.familyName ?? drawName(rng, FAMILY_NAMES);
		const spouseFamily = drawName(rng, FAMILY_NAMES);
		const father = people.find((p) => p.sex === 'M' && p.relationship !== 'parent');
		const childFamily = father?.relationship === 'spouse' ? spouseFamily : headFamily;

		return people.map((p, i) => {
			const forcedHead = i === 0 ? forced : undefined;
			const birth =
				forcedHead?.birth ?? this.asOf - Math.floor((p.age + rng.float()) * DAYS_PER_YEAR);
			const age = ageAt(birth, this.asOf);
			const disability = rng.chance(age < 18 ? 0.015 : age < 60 ? 0.03 : 0.12);
			let family: string;
			if (p.relationship === 'head') family = headFamily;
			else if (p.relationship === 'spouse') family = spouseFamily;
			else if (p.relationship === 'child') family = childFamily;
			else family = rng.chance(0.5) ? childFamily : drawName(rng, FAMILY_NAMES);
			const fullName = forcedHead?.fullName ?? this.uniqueName(family, p.sex, birth);
			let nationalId = '';
			if (forcedHead) nationalId = forcedHead.nationalId ?? this.nextNationalId();
			else if (age >= 18 && rng.chance(0.92)) nationalId = this.nextNationalId();
			return { sex: p.sex, birth, disability, fullName, nationalId, relationship: p.relationship };
		});
	}

	/** A fresh national ID (12 digits, never repeated). */
	nextNationalId(): string {
		const k = this.idCounter++ + this.idOffset;
		return String(100_000_000_000n + ((ID_MULTIPLIER * k) % ID_MODULUS));
	}

	/** Draws given names until name + birth date + sex is new in the registry. */
	private uniqueName(family: string, sex: 'F' | 'M', birth: number): string {
		const given = sex === 'F' ? FEMALE_NAMES : MALE_NAMES;
		for (let attempt = 0; ; attempt++) {
			// After many clashes (only in huge registries), vary the family name as well.
			const fam = attempt < 20 ? family : drawName(this.rng, FAMILY_NAMES);
			const name = `${fam} ${drawName(this.rng, given)}`;
			const key = identityKey(name, birth, sex);
			if (!this.identityKeys.has(key)) {
				this.identityKeys.add(key);
				return name;
			}
		}
	}
}

/**
 * A 30-bit hash of normalised name + birth date + sex. A hash clash only makes an innocent
 * name be redrawn, never lets a real duplicate through, and 30-bit numbers are small
 * integers in V8, so millions of keys stay cheap.
 */
export function identityKey(fullName: string, birth: number, sex: 'F' | 'M'): number {
	const text = `${normaliseName(fullName)}|${birth}|${sex}`;
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash & 0x3fffffff;
}
