import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue';
import {
	disclosureEquations,
	disclosureKey,
	disclosureRule,
	gridCell,
	isBelowThreshold,
	periodSums,
	publishRow,
	type PublishedFigures,
	suppressGrid,
	suppressSmallCells,
	type DisclosureCell,
	type DisclosureRule
} from './disclosure';

/** A cell of period 2025-06, all programmes, the unit's total unless `extra` says otherwise. */
function cell(
	unitCode: string,
	parentCode: string | null,
	numerator: number,
	denominator: number | null = null,
	extra: Partial<DisclosureCell> = {}
): DisclosureCell {
	return {
		period: '2025-06',
		unitCode,
		parentCode,
		programme: '',
		groupBy: '',
		groupValue: '',
		numerator,
		denominator,
		...extra
	};
}

/** The suppressed cells as `unit programme by=group` (the period is the same everywhere). */
function hidden(result: Map<string, string>): Record<string, string> {
	return Object.fromEntries(
		[...result].map(([key, reason]) => {
			const [, unit, programme, by, value] = key.split('|');
			const name = [unit, programme, by ? `${by}=${value}` : ''].filter(Boolean).join(' ');
			return [name, reason];
		})
	);
}

describe('isBelowThreshold', () => {
	it('applies domain.md §6 at its boundaries, zero included', () => {
		expect(isBelowThreshold({ numerator: 0, denominator: null }, 'count')).toBe(true);
		expect(isBelowThreshold({ numerator: 4, denominator: null }, 'count')).toBe(true);
		expect(isBelowThreshold({ numerator: 5, denominator: null }, 'count')).toBe(false);
		// A rate goes by its denominator only: 0 of 20 and 20 of 20 are published.
		expect(isBelowThreshold({ numerator: 19, denominator: 19 }, 'rate')).toBe(true);
		expect(isBelowThreshold({ numerator: 0, denominator: 20 }, 'rate')).toBe(false);
		expect(isBelowThreshold({ numerator: 0, denominator: 0 }, 'rate')).toBe(true);
		expect(isBelowThreshold({ numerator: 4, denominator: null }, 'median')).toBe(true);
		expect(isBelowThreshold({ numerator: 5, denominator: null }, 'median')).toBe(false);
		expect(isBelowThreshold({ numerator: 0, denominator: null }, 'none')).toBe(false);
	});

	it('lets zeros through when they are published', () => {
		expect(isBelowThreshold({ numerator: 0, denominator: null }, 'count', true)).toBe(false);
		expect(isBelowThreshold({ numerator: 1, denominator: null }, 'count', true)).toBe(true);
		expect(isBelowThreshold({ numerator: 0, denominator: 0 }, 'rate', true)).toBe(false);
		expect(isBelowThreshold({ numerator: 0, denominator: 1 }, 'rate', true)).toBe(true);
		expect(isBelowThreshold({ numerator: 0, denominator: null }, 'median', true)).toBe(false);
	});

	it('gives every public indicator of the catalogue its rule', () => {
		const rules = Object.fromEntries(
			CATALOGUE.filter((i) => !i.internal).map((i) => [i.id, disclosureRule(i)])
		);
		expect(rules).toEqual({
			registration_coverage: 'rate',
			offices_open: 'none',
			commune_office_coverage: 'none',
			eligible: 'count',
			enrolment_coverage: 'rate',
			take_up: 'rate',
			effective_coverage: 'rate',
			inclusion_outside_target: 'rate',
			combined_package: 'rate',
			applications_received: 'count',
			approval_rate: 'rate',
			processing_days_median: 'median',
			applications_backlog: 'count',
			appeals_rate: 'rate',
			appeals_resolved_rate: 'rate',
			appeal_days_median: 'median',
			appeals_overdue: 'count'
		});
	});
});

describe('periodSums', () => {
	it('finds quarters and years made of published months and quarters', () => {
		const labels = ['2024', '2024-Q4', '2024-10', '2024-11', '2024-12', '2025', '2025-01'];
		expect(periodSums(labels)).toEqual([
			{ whole: '2024-Q4', parts: ['2024-10', '2024-11', '2024-12'] },
			// 2024 is complete and only has its last quarter and months: no sum. 2025 is the
			// year to date: January is all of it that is published.
			{ whole: '2025', parts: ['2025-01'] }
		]);
		const wholeYear = Array.from(
			{ length: 12 },
			(_, i) => `2023-${String(i + 1).padStart(2, '0')}`
		);
		expect(periodSums(['2023', '2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4', ...wholeYear])).toEqual([
			{ whole: '2023-Q1', parts: ['2023-01', '2023-02', '2023-03'] },
			{ whole: '2023-Q2', parts: ['2023-04', '2023-05', '2023-06'] },
			{ whole: '2023-Q3', parts: ['2023-07', '2023-08', '2023-09'] },
			{ whole: '2023-Q4', parts: ['2023-10', '2023-11', '2023-12'] },
			{ whole: '2023', parts: ['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4'] },
			{ whole: '2023', parts: wholeYear }
		]);
	});
});

describe('suppressSmallCells', () => {
	it('hides the smallest sibling of a lone small count', () => {
		// D 23 = A 3 + B 8 + C 12. A is below 5; alone, it would be 23 − 8 − 12. B is the
		// smallest other part: A + B = 11 is all that can be learnt.
		const cells = [cell('D', null, 23), cell('A', 'D', 3), cell('B', 'D', 8), cell('C', 'D', 12)];
		expect(hidden(suppressSmallCells(cells, { rule: 'count' }))).toEqual({
			A: 'primary',
			B: 'complementary'
		});
	});

	it('needs no complement when two small counts hide each other', () => {
		// N 37 = D1 7 + D2 30; D1 = A 3 + B 4; D2 = C 30. A and B are both below 5: A + B = 7
		// has two unknowns, and N − D2 = D1 is published anyway.
		const cells = [
			cell('N', null, 37),
			cell('D1', 'N', 7),
			cell('D2', 'N', 30),
			cell('A', 'D1', 3),
			cell('B', 'D1', 4),
			cell('C', 'D2', 30)
		];
		expect(hidden(suppressSmallCells(cells, { rule: 'count' }))).toEqual({
			A: 'primary',
			B: 'primary'
		});
	});

	it('hides one more when the hidden parts add up to zero', () => {
		// D 20 = A 0 + B 0 + C 20. A and B are hidden (zero is below 5), but 20 − 20 = 0 and
		// counts are not negative, so both would be 0 again: C goes too.
		const cells = [cell('D', null, 20), cell('A', 'D', 0), cell('B', 'D', 0), cell('C', 'D', 20)];
		expect(hidden(suppressSmallCells(cells, { rule: 'count' }))).toEqual({
			A: 'primary',
			B: 'primary',
			C: 'complementary'
		});
	});

	it('with zeros published, protects the small count by a positive sibling', () => {
		// D 20 = A 0 + B 3 + C 17. Literally, A and B are both below 5 and A + B = 3 hides
		// them. With zeros published, B is alone: C (positive) is hidden rather than A, whose
		// 0 would add nothing the attacker could not guess.
		const cells = [cell('D', null, 20), cell('A', 'D', 0), cell('B', 'D', 3), cell('C', 'D', 17)];
		expect(hidden(suppressSmallCells(cells, { rule: 'count' }))).toEqual({
			A: 'primary',
			B: 'primary'
		});
		expect(hidden(suppressSmallCells(cells, { rule: 'count', publishZeros: true }))).toEqual({
			B: 'primary',
			C: 'complementary'
		});
	});

	it('protects the groups and the units of a two-way table with a rectangle', () => {
		//          total   F   M
		// D          27   10  17
		// A          12    3   9
		// B          15    7   8
		// A|F is below 5. Its sex row needs A|M, its column (D|F = A|F + B|F) needs B|F, and
		// B's row then needs B|M. The four can move by ±1 together, so none is determined.
		const sex = (value: string) => ({ groupBy: 'sex', groupValue: value });
		const cells = [
			cell('D', null, 27),
			cell('D', null, 10, null, sex('F')),
			cell('D', null, 17, null, sex('M')),
			cell('A', 'D', 12),
			cell('A', 'D', 3, null, sex('F')),
			cell('A', 'D', 9, null, sex('M')),
			cell('B', 'D', 15),
			cell('B', 'D', 7, null, sex('F')),
			cell('B', 'D', 8, null, sex('M'))
		];
		expect(hidden(suppressSmallCells(cells, { rule: 'count' }))).toEqual({
			'A sex=F': 'primary',
			'A sex=M': 'complementary',
			'B sex=F': 'complementary',
			'B sex=M': 'complementary'
		});
	});

	it('prefers a complement that closes the pattern to a smaller one that spreads it', () => {
		//          total   F   M
		// D          44   17  27
		// A          12    3   9
		// B          20    6  14
		// C          12    8   4
		// A|F and C|M are below 5. D's F column needs another cell: B|F (6) is smaller, but
		// would leave B's row with one hidden cell; C|F (8) shares a row with C|M. The A and C
		// rows then need A|M and nothing: four cells instead of six.
		const sex = (value: string) => ({ groupBy: 'sex', groupValue: value });
		const cells = [
			cell('D', null, 44),
			cell('D', null, 17, null, sex('F')),
			cell('D', null, 27, null, sex('M')),
			cell('A', 'D', 12),
			cell('A', 'D', 3, null, sex('F')),
			cell('A', 'D', 9, null, sex('M')),
			cell('B', 'D', 20),
			cell('B', 'D', 6, null, sex('F')),
			cell('B', 'D', 14, null, sex('M')),
			cell('C', 'D', 12),
			cell('C', 'D', 8, null, sex('F')),
			cell('C', 'D', 4, null, sex('M'))
		];
		expect(hidden(suppressSmallCells(cells, { rule: 'count' }))).toEqual({
			'A sex=F': 'primary',
			'A sex=M': 'complementary',
			'C sex=F': 'complementary',
			'C sex=M': 'primary'
		});
	});

	it('treats a rate as two counts: the complement must hide a numerator too', () => {
		// D 6/80 = A 0/15 + B 0/25 + C 6/40. A's denominator is below 20. B is the smaller
		// complement, but then D's numerator minus C's is 0 = A + B: A's rate would be 0 %.
		// C (6/40) hides a numerator.
		const cells = [
			cell('D', null, 6, 80),
			cell('A', 'D', 0, 15),
			cell('B', 'D', 0, 25),
			cell('C', 'D', 6, 40)
		];
		expect(hidden(suppressSmallCells(cells, { rule: 'rate' }))).toEqual({
			A: 'primary',
			C: 'complementary'
		});
	});

	it('hides the total when no published part can cover the hidden one', () => {
		// D 0/50 = A 0/10 + B 0/40: A is small, B's numerator is 0, so with D published
		// A's numerator would be 0 − 0. D is hidden instead (D = A + B, two unknowns).
		const cells = [cell('D', null, 0, 50), cell('A', 'D', 0, 10), cell('B', 'D', 0, 40)];
		expect(hidden(suppressSmallCells(cells, { rule: 'rate' }))).toEqual({
			A: 'primary',
			D: 'complementary'
		});
	});

	it('protects a programme within all programmes together', () => {
		// All programmes 13 = p1 3 + p2 10 at the same unit.
		const cells = [
			cell('D', null, 13),
			cell('D', null, 3, null, { programme: 'p1' }),
			cell('D', null, 10, null, { programme: 'p2' })
		];
		expect(hidden(suppressSmallCells(cells, { rule: 'count' }))).toEqual({
			'D p1': 'primary',
			'D p2': 'complementary'
		});
	});

	it('protects a month within its quarter when the periods are published together', () => {
		// Q1 20 = January 3 + February 9 + March 8: March is the smallest other month.
		const month = (period: string, n: number) => cell('D', null, n, null, { period });
		const cells = [
			month('2025-Q1', 20),
			month('2025-01', 3),
			month('2025-02', 9),
			month('2025-03', 8)
		];
		const labels = cells.map((c) => c.period);
		const result = suppressSmallCells(cells, {
			rule: 'count',
			time: { sums: periodSums(labels), quantities: 'numerator' }
		});
		expect(Object.fromEntries(result)).toEqual({
			'2025-01|D|||': 'primary',
			'2025-03|D|||': 'complementary'
		});
	});

	it('suppresses medians over few records without complements', () => {
		const cells = [
			cell('D', null, 11),
			cell('A', 'D', 4, null, { groupBy: '', groupValue: '' }),
			cell('B', 'D', 7)
		];
		expect(hidden(suppressSmallCells(cells, { rule: 'median' }))).toEqual({ A: 'primary' });
		expect(suppressSmallCells(cells, { rule: 'none' }).size).toBe(0);
	});

	it('gives the same cells whatever the input order', () => {
		const cells = [cell('D', null, 23), cell('A', 'D', 3), cell('B', 'D', 8), cell('C', 'D', 8)];
		// B and C tie at 8: the first by key (B) is hidden, in either order.
		const forwards = suppressSmallCells(cells, { rule: 'count' });
		const backwards = suppressSmallCells([...cells].reverse(), { rule: 'count' });
		expect([...backwards]).toEqual([...forwards]);
		expect(hidden(forwards)).toEqual({ A: 'primary', B: 'complementary' });
	});
});

describe('disclosureEquations', () => {
	it('lists every level below a unit, the groups and the programmes', () => {
		const cells = [
			cell('N', null, 30),
			cell('D', 'N', 30),
			cell('A', 'D', 30),
			cell('A', 'D', 30, null, { groupBy: 'sex', groupValue: 'F' }),
			cell('A', 'D', 30, null, { programme: 'p1' })
		];
		const equations = disclosureEquations(cells, { rule: 'count' }).map(
			(e) => `${e.total} = ${e.parts.join(' + ')}`
		);
		expect(equations.sort()).toEqual([
			'2025-06|A||| = 2025-06|A|p1||',
			'2025-06|A||| = 2025-06|A||sex|F',
			'2025-06|D||| = 2025-06|A|||',
			'2025-06|N||| = 2025-06|A|||',
			'2025-06|N||| = 2025-06|D|||'
		]);
	});
});

/** Rows as the public sees them, given the suppressed keys of their table. */
function publishRows<R extends PublishedFigures>(
	rows: readonly R[],
	suppressed: { has(key: string): boolean },
	keyOf: (row: R) => string,
	rule: DisclosureRule
) {
	return rows.map((row) => publishRow(row, suppressed.has(keyOf(row)), rule));
}

describe('publishRow', () => {
	it('nulls suppressed figures (never 0), keeps the others, and hides a median’s count', () => {
		const rows = [
			{ code: 'A', numerator: 3, denominator: 15, value: 0.2 },
			{ code: 'B', numerator: 30, denominator: 40, value: 0.75 }
		];
		expect(publishRows(rows, new Set(['A']), (r) => r.code, 'rate')).toEqual([
			{ code: 'A', numerator: null, denominator: null, value: null, suppressed: true },
			{ code: 'B', numerator: 30, denominator: 40, value: 0.75, suppressed: false }
		]);
		const medians = [{ code: 'B', numerator: 12, denominator: null, value: 9.5 }];
		expect(publishRows(medians, new Set<string>(), (r) => r.code, 'median')).toEqual([
			{ code: 'B', numerator: null, denominator: null, value: 9.5, suppressed: false }
		]);
	});
});

// ---------------------------------------------------------------------------------------
// The attacker: a public release (suppressed cells hidden) and every subtraction it allows.

/** A sum the attacker knows holds, built from the public structure alone. */
interface KnownSum {
	total: string;
	parts: string[];
}

type Quantity = 'numerator' | 'denominator';

/**
 * Peeling: repeatedly, in any sum with one unknown left, the unknown is the total minus (or
 * the sum of) the rest; in a sum whose published total equals its known parts, every unknown
 * part is 0 (counts are never negative). Returns the cells whose quantity it learns.
 */
function peel(
	sums: readonly KnownSum[],
	release: ReadonlyMap<string, { value: number | null }>
): Set<string> {
	const known = new Map<string, number>();
	for (const [key, cell] of release) if (cell.value !== null) known.set(key, cell.value);
	const learnt = new Set<string>();
	const learn = (key: string, value: number) => {
		known.set(key, value);
		learnt.add(key);
	};
	for (let progress = true; progress;) {
		progress = false;
		for (const { total, parts } of sums) {
			const unknown = parts.filter((part) => !known.has(part));
			const partSum = parts.reduce((sum, part) => sum + (known.get(part) ?? 0), 0);
			const totalValue = known.get(total);
			if (totalValue === undefined) {
				if (unknown.length === 0) {
					learn(total, partSum);
					progress = true;
				}
			} else if (unknown.length === 1) {
				learn(unknown[0]!, totalValue - partSum);
				progress = true;
			} else if (unknown.length > 1 && totalValue === partSum) {
				for (const part of unknown) learn(part, 0);
				progress = true;
			}
		}
	}
	return learnt;
}

const PRIME = 67108859; // below 2^26, so products of two residues stay exact in a double

/**
 * Full linear algebra (the bonus of the issue): the unknowns are the suppressed cells, each
 * sum a linear equation; an unknown is determined iff its unit vector is in the row space.
 * Row reduction modulo a large prime, which agrees with the rationals unless the prime
 * divides a minor: with 0/±1 coefficients and tables this small, it cannot.
 */
function determinedByLinearAlgebra(sums: readonly KnownSum[], unknown: ReadonlySet<string>) {
	const columns = [...unknown];
	const column = new Map(columns.map((key, i) => [key, i]));
	const rows: number[][] = [];
	for (const { total, parts } of sums) {
		const row = new Array<number>(columns.length).fill(0);
		let any = false;
		for (const [key, coefficient] of [[total, 1] as const, ...parts.map((p) => [p, -1] as const)]) {
			const c = column.get(key);
			if (c === undefined) continue;
			row[c] = (row[c]! + coefficient + PRIME) % PRIME;
			any = true;
		}
		if (any) rows.push(row);
	}
	const inverse = (a: number) => {
		let [result, base, exponent] = [1, a, PRIME - 2];
		while (exponent > 0) {
			if (exponent & 1) result = (result * base) % PRIME;
			base = (base * base) % PRIME;
			exponent = Math.floor(exponent / 2);
		}
		return result;
	};
	const pivotRow: number[] = [];
	let rank = 0;
	for (let c = 0; c < columns.length && rank < rows.length; c++) {
		const r = rows.findIndex((row, i) => i >= rank && row[c] !== 0);
		if (r < 0) continue;
		[rows[rank], rows[r]] = [rows[r]!, rows[rank]!];
		const pivot = rows[rank]!;
		const scale = inverse(pivot[c]!);
		for (let k = 0; k < pivot.length; k++) pivot[k] = (pivot[k]! * scale) % PRIME;
		for (const [i, row] of rows.entries()) {
			if (i === rank || row[c] === 0) continue;
			const factor = row[c]!;
			for (let k = 0; k < row.length; k++)
				row[k] = (row[k]! - ((factor * pivot[k]!) % PRIME) + PRIME) % PRIME;
		}
		pivotRow[c] = rank++;
	}
	// Reduced, a pivot row that is the unit vector alone pins its unknown down.
	return columns.filter((key, c) => {
		const r = pivotRow[c];
		return r !== undefined && rows[r]!.every((value, k) => k === c || value === 0);
	});
}

/** A random public table: provinces → districts → communes, programmes, two disaggregations. */
interface Table {
	cells: DisclosureCell[];
	sums: KnownSum[];
	/** Only the sums of one level to the next (the others are their combinations). */
	directSums: KnownSum[];
}

const PROGRAMMES = ['', 'p1', 'p2'];
const GROUPS: readonly (readonly [string, string])[] = [
	['', ''],
	['sex', 'F'],
	['sex', 'M'],
	['life_cycle', 'children'],
	['life_cycle', 'working_age'],
	['life_cycle', 'older_persons']
];

/**
 * Builds the table from communes per district per province and a count for each commune,
 * programme, sex and life-cycle group (numerator ≤ denominator for rates). The attacker's
 * sums come from the same structure, independently of `disclosureEquations`.
 */
function buildTable(
	shape: number[][],
	leaf: (commune: number, programme: number, sex: number, life: number) => [number, number]
): Table {
	const units: { code: string; parent: string | null; communes: number[] }[] = [];
	const children = new Map<string, string[]>();
	let communeCount = 0;
	const national = { code: 'N', parent: null, communes: [] as number[] };
	units.push(national);
	shape.forEach((districts, p) => {
		const province = { code: `P${p}`, parent: 'N', communes: [] as number[] };
		units.push(province);
		districts.forEach((communes, d) => {
			const district = { code: `P${p}D${d}`, parent: province.code, communes: [] as number[] };
			units.push(district);
			for (let c = 0; c < communes; c++) {
				const id = communeCount++;
				units.push({ code: `P${p}D${d}C${c}`, parent: district.code, communes: [id] });
				for (const owner of [district, province, national]) owner.communes.push(id);
			}
		});
	});
	for (const unit of units)
		if (unit.parent) children.set(unit.parent, [...(children.get(unit.parent) ?? []), unit.code]);

	const key = (unit: string, programme: string, [by, value]: readonly [string, string]) =>
		disclosureKey({ period: '2025-06', unitCode: unit, programme, groupBy: by, groupValue: value });
	const cells: DisclosureCell[] = [];
	for (const unit of units)
		for (const [pi, programme] of PROGRAMMES.entries())
			for (const [by, value] of GROUPS) {
				let numerator = 0;
				let denominator = 0;
				for (const commune of unit.communes)
					for (let prog = 1; prog <= 2; prog++) {
						if (pi !== 0 && prog !== pi) continue;
						for (let sex = 0; sex < 2; sex++)
							for (let life = 0; life < 3; life++) {
								if (by === 'sex' && ['F', 'M'][sex] !== value) continue;
								if (by === 'life_cycle' && GROUPS[3 + life]![1] !== value) continue;
								const [num, den] = leaf(commune, prog - 1, sex, life);
								numerator += num;
								denominator += den;
							}
					}
				cells.push({
					period: '2025-06',
					unitCode: unit.code,
					parentCode: unit.parent,
					programme,
					groupBy: by,
					groupValue: value,
					numerator,
					denominator
				});
			}

	const sums: KnownSum[] = [];
	const directSums: KnownSum[] = [];
	const descendants = (code: string, depth: number): string[] =>
		depth === 0 ? [code] : (children.get(code) ?? []).flatMap((c) => descendants(c, depth - 1));
	for (const unit of units)
		for (const programme of PROGRAMMES) {
			for (const group of GROUPS)
				for (let depth = 1; depth <= 3; depth++) {
					const below = descendants(unit.code, depth);
					if (below.length === 0) continue;
					const sum = {
						total: key(unit.code, programme, group),
						parts: below.map((c) => key(c, programme, group))
					};
					sums.push(sum);
					if (depth === 1) directSums.push(sum);
				}
			for (const by of ['sex', 'life_cycle']) {
				const sum = {
					total: key(unit.code, programme, ['', '']),
					parts: GROUPS.filter(([b]) => b === by).map((g) => key(unit.code, programme, g))
				};
				sums.push(sum);
				directSums.push(sum);
			}
		}
	for (const unit of units)
		for (const group of GROUPS) {
			const sum = {
				total: key(unit.code, '', group),
				parts: ['p1', 'p2'].map((p) => key(unit.code, p, group))
			};
			sums.push(sum);
			directSums.push(sum);
		}
	return { cells, sums, directSums };
}

/** A cell as an API row: with its value (a count, or a rate; null over a zero denominator). */
function rowOf(cell: DisclosureCell) {
	const { numerator, denominator } = cell;
	const value = denominator === null ? numerator : denominator > 0 ? numerator / denominator : null;
	return { ...cell, value };
}

/** The release as the public sees one quantity: null where suppressed. */
function releaseOf(
	cells: readonly DisclosureCell[],
	suppressed: ReadonlyMap<string, unknown>,
	rule: DisclosureRule,
	quantity: Quantity
) {
	const rows = publishRows(cells.map(rowOf), suppressed, disclosureKey, rule);
	return new Map(rows.map((row) => [disclosureKey(row), { value: row[quantity] }]));
}

const shapes = fc.array(fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 2, maxLength: 3 }), {
	minLength: 2,
	maxLength: 2
});
/** Enough leaf values for the largest shape: 2 × 3 × 4 communes × 2 programmes × 2 × 3 groups. */
const LEAVES = 2 * 3 * 4 * 2 * 2 * 3;
/** Counts from 0 to a random maximum: from nearly all small to nearly none. */
const leafCounts = fc
	.integer({ min: 1, max: 20 })
	.chain((max) => fc.array(fc.nat({ max }), { minLength: LEAVES, maxLength: LEAVES }));
const leafIndex = (commune: number, programme: number, sex: number, life: number) =>
	((commune * 2 + programme) * 2 + sex) * 3 + life;

describe('the attacker', () => {
	it('peels the example release of the issue without recovering a suppressed cell', () => {
		// The two-way table above, with D's province: P = D + E, E = F (one commune).
		const sex = (value: string) => ({ groupBy: 'sex', groupValue: value });
		const cells = [
			cell('P', null, 57),
			cell('P', null, 25, null, sex('F')),
			cell('P', null, 32, null, sex('M')),
			cell('D', 'P', 27),
			cell('D', 'P', 10, null, sex('F')),
			cell('D', 'P', 17, null, sex('M')),
			cell('A', 'D', 12),
			cell('A', 'D', 3, null, sex('F')),
			cell('A', 'D', 9, null, sex('M')),
			cell('B', 'D', 15),
			cell('B', 'D', 7, null, sex('F')),
			cell('B', 'D', 8, null, sex('M')),
			cell('E', 'P', 30),
			cell('E', 'P', 15, null, sex('F')),
			cell('E', 'P', 15, null, sex('M')),
			cell('F', 'E', 30),
			cell('F', 'E', 15, null, sex('F')),
			cell('F', 'E', 15, null, sex('M'))
		];
		const suppressed = suppressSmallCells(cells, { rule: 'count' });
		expect(hidden(suppressed)).toEqual({
			'A sex=F': 'primary',
			'A sex=M': 'complementary',
			'B sex=F': 'complementary',
			'B sex=M': 'complementary'
		});
		const sums = disclosureEquations(cells, { rule: 'count' });
		const release = releaseOf(cells, suppressed, 'count', 'numerator');
		expect(peel(sums, release)).toEqual(new Set());
		expect(determinedByLinearAlgebra(sums, new Set(suppressed.keys()))).toEqual([]);
		// Without the complements, P|F − E|F − B|F gives A|F = 25 − 15 − 7 = 3 away.
		const primaryOnly = new Map([...suppressed].filter(([, reason]) => reason === 'primary'));
		const naive = releaseOf(cells, primaryOnly, 'count', 'numerator');
		expect(peel(sums, naive)).toEqual(new Set(['2025-06|A||sex|F']));
	});

	it('recovers no suppressed count or rate from any random table', () => {
		fc.assert(
			fc.property(
				shapes,
				leafCounts,
				fc.array(fc.tuple(fc.nat({ max: 12 }), fc.nat({ max: 12 })), {
					minLength: LEAVES,
					maxLength: LEAVES
				}),
				fc.boolean(),
				(shape, counts, pairs, publishZeros) => {
					for (const rule of ['count', 'rate'] as const) {
						const table = buildTable(shape, (c, p, s, l) => {
							const i = leafIndex(c, p, s, l);
							if (rule === 'count') return [counts[i]!, 0];
							const [a, b] = pairs[i]!;
							return [Math.min(a, b), Math.max(a, b)];
						});
						const cells =
							rule === 'count'
								? table.cells.map((c) => ({ ...c, denominator: null }))
								: table.cells;
						const suppressed = suppressSmallCells(cells, { rule, publishZeros });
						for (const quantity of ['numerator', 'denominator'] as const) {
							if (rule === 'count' && quantity === 'denominator') continue;
							const release = releaseOf(cells, suppressed, rule, quantity);
							expect(peel(table.sums, release)).toEqual(new Set());
						}
						// Every cell below the threshold is suppressed; every published one is exact.
						const rows = cells.map(rowOf);
						const published = publishRows(rows, suppressed, disclosureKey, rule);
						published.forEach((row, i) => {
							const original = rows[i]!;
							if (isBelowThreshold(original, rule, publishZeros)) expect(row.suppressed).toBe(true);
							if (row.suppressed) {
								expect([row.numerator, row.denominator, row.value]).toEqual([null, null, null]);
							} else {
								expect(row).toEqual({ ...original, suppressed: false });
							}
						});
					}
				}
			),
			{ numRuns: 100 }
		);
	});

	it('recovers no suppressed month, quarter or commune when periods are published together', () => {
		const months = ['2025-01', '2025-02', '2025-03'];
		fc.assert(
			fc.property(
				fc.integer({ min: 2, max: 5 }),
				fc.array(fc.nat({ max: 9 }), { minLength: 15, maxLength: 15 }),
				fc.boolean(),
				(communes, counts, publishZeros) => {
					// District D with communes C0…, months of Q1 and the quarter itself.
					const units = Array.from({ length: communes }, (_, c) => `C${c}`);
					const count = (unit: string, period: string): number => {
						if (unit === 'D') return units.reduce((sum, u) => sum + count(u, period), 0);
						if (period === '2025-Q1') return months.reduce((sum, m) => sum + count(unit, m), 0);
						return counts[Number(unit.slice(1)) * 3 + months.indexOf(period)]!;
					};
					const cells = ['D', ...units].flatMap((unit) =>
						[...months, '2025-Q1'].map((period) =>
							cell(unit, unit === 'D' ? null : 'D', count(unit, period), null, { period })
						)
					);
					const key = (unit: string, period: string) => `${period}|${unit}|||`;
					const sums: KnownSum[] = [...months, '2025-Q1'].map((period) => ({
						total: key('D', period),
						parts: units.map((u) => key(u, period))
					}));
					for (const unit of ['D', ...units])
						sums.push({ total: key(unit, '2025-Q1'), parts: months.map((m) => key(unit, m)) });
					const suppressed = suppressSmallCells(cells, {
						rule: 'count',
						time: { sums: periodSums([...months, '2025-Q1']), quantities: 'numerator' },
						publishZeros
					});
					expect(peel(sums, releaseOf(cells, suppressed, 'count', 'numerator'))).toEqual(new Set());
				}
			),
			{ numRuns: 200 }
		);
	});

	// Not a guarantee (see the module comment): with zeros published, about 1 random table in
	// 400 has a cell that linear algebra solves. These tables (a fixed seed) have none.
	it('leaves no suppressed cell determined by linear algebra in these random tables', () => {
		fc.assert(
			fc.property(shapes, leafCounts, fc.boolean(), (shape, counts, publishZeros) => {
				const table = buildTable(shape, (c, p, s, l) => [counts[leafIndex(c, p, s, l)]!, 0]);
				const cells = table.cells.map((c) => ({ ...c, denominator: null }));
				const suppressed = suppressSmallCells(cells, { rule: 'count', publishZeros });
				expect(determinedByLinearAlgebra(table.directSums, new Set(suppressed.keys()))).toEqual([]);
			}),
			{ numRuns: 30, seed: 20260611 }
		);
	});
});

describe('suppressGrid', () => {
	const PERIODS = ['2025', '2025-Q1', '2025-01', '2025-02', '2025-03', '2025-Q2', '2025-04'];
	const GROUPS: Record<string, string[]> = { sex: ['F', 'M'], idpoor: ['1', '2', 'none'] };

	/** A random grid: a tree of units with codes like the gazetteer's, programmes, groups. */
	const grids = fc
		.record({
			provinces: fc.uniqueArray(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 3 }),
			fanout: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 12, maxLength: 12 }),
			periods: fc.subarray(PERIODS, { minLength: 1 }),
			programmes: fc.subarray(['CT', 'HEF', 'OAA']),
			dimensions: fc.array(fc.subarray(Object.keys(GROUPS)), { minLength: 4, maxLength: 4 }),
			density: fc.double({ min: 0.05, max: 1, noNaN: true }),
			seed: fc.integer(),
			rule: fc.constantFrom<DisclosureRule>('count', 'rate', 'median'),
			additive: fc.boolean(),
			withTime: fc.boolean(),
			quantities: fc.constantFrom('both' as const, 'numerator' as const)
		})
		.map((g) => {
			const units: { code: string; parent: number }[] = [{ code: 'KH', parent: -1 }];
			let f = 0;
			for (const province of g.provinces) {
				const p = units.push({ code: String(province).padStart(2, '0'), parent: 0 }) - 1;
				for (let d = 1; d <= g.fanout[f++ % 12]!; d++) {
					const code = `${units[p]!.code}${String(d * 7).padStart(2, '0')}`;
					const di = units.push({ code, parent: p }) - 1;
					for (let c = 1; c <= g.fanout[f++ % 12]!; c++)
						units.push({ code: `${code}${String(c * 3).padStart(2, '0')}`, parent: di });
				}
			}
			const options: { programme: string; groupBy: string; groupValue: string }[] = [];
			['', ...g.programmes].forEach((programme, i) => {
				options.push({ programme, groupBy: '', groupValue: '' });
				for (const by of g.dimensions[i]!)
					for (const value of GROUPS[by]!)
						options.push({ programme, groupBy: by, groupValue: value });
			});
			return { ...g, units, options };
		});

	it('suppresses exactly the cells suppressSmallCells does, from the values alone', () => {
		fc.assert(
			fc.property(grids, (g) => {
				let state = g.seed;
				const random = () => {
					state = (Math.imul(state, 1103515245) + 12345) | 0;
					return ((state >>> 8) & 0xffff) / 0x10000;
				};
				const grid = { periods: g.periods, units: g.units, options: g.options };
				const rate = g.rule === 'rate';
				const values: { cell: number; numerator: number; denominator: number | null }[] = [];
				const all: DisclosureCell[] = [];
				// Leaves (communes, programmes' groups, months) drawn; totals their sums or drawn too.
				const figure = new Map<number, [number, number]>();
				const draw = (): [number, number] => {
					if (random() > g.density) return [0, 0];
					const den = Math.floor(random() * (random() < 0.5 ? 8 : 45));
					return [rate ? Math.floor(random() * (den + 1)) : den, den];
				};
				const childrenOf = (u: number) => g.units.flatMap((x, i) => (x.parent === u ? [i] : []));
				const valueOf = (p: number, u: number, o: number): [number, number] => {
					const cell = gridCell(grid, p, u, o);
					const known = figure.get(cell);
					if (known) return known;
					let result: [number, number] = draw();
					const children = childrenOf(u);
					if (g.additive && children.length > 0) {
						result = [0, 0];
						for (const c of children) {
							const [a, b] = valueOf(p, c, o);
							result = [result[0] + a, result[1] + b];
						}
					}
					figure.set(cell, result);
					return result;
				};
				g.periods.forEach((period, p) =>
					g.units.forEach((unit, u) =>
						g.options.forEach((option, o) => {
							const [num, den] = valueOf(p, u, o);
							const cell = gridCell(grid, p, u, o);
							if (num !== 0 || den !== 0 || random() < 0.1)
								values.push({ cell, numerator: num, denominator: rate ? den : null });
							all.push({
								period,
								unitCode: unit.code,
								parentCode: unit.parent < 0 ? null : g.units[unit.parent]!.code,
								...option,
								numerator: num,
								denominator: rate ? den : null
							});
						})
					)
				);
				const options = {
					rule: g.rule,
					time: g.withTime ? { sums: periodSums(g.periods), quantities: g.quantities } : undefined
				};
				const expected = suppressSmallCells(all, options);
				const states = suppressGrid({ ...grid, values: values.reverse() }, options);
				const actual = new Map<string, string>();
				let c = 0;
				for (const cell of all) {
					const s = states[c++]!;
					if (s !== 0) actual.set(disclosureKey(cell), s === 1 ? 'primary' : 'complementary');
				}
				expect(actual).toEqual(expected);
			}),
			{ numRuns: 300 }
		);
	});
});
