/**
 * Disclosure control of public indicators (`shared/domain.md` §6, issue #6): one module,
 * applied identically to pages, the API and downloaded files, shared by server and browser.
 *
 * - Primary suppression: a count below PRIMARY_MIN_COUNT, or a rate whose denominator is
 *   below PRIMARY_MIN_DENOMINATOR. Zero is a count below 5 and is suppressed too (the literal
 *   rule, the default). Publishing zeros would make "suppressed" mean "1 to 4", and a 0 in a
 *   group says something about everyone in it ("no women enrolled"). Statistical offices
 *   often publish zeros all the same, because a rare event (an overdue appeal) is otherwise
 *   suppressed almost everywhere: `publishZeros` does that, as a policy choice.
 * - Complementary suppression: every published figure that is the sum of others (a parent
 *   and its descendants one or more levels down, a unit's total and the groups of one
 *   disaggregation, all programmes and each programme, a quarter or year and its months) is
 *   an equation an attacker can subtract in. Cells are added until, in every equation,
 *   (a) no cell is the only one hidden (it would be the total minus the rest), and
 *   (b) when the total is published, the hidden parts do not add up to 0 in a published
 *       quantity (counts are never negative, so a hidden sum of 0 gives every part away).
 *   A rate is two additive quantities (numerator and denominator, both published); a cell is
 *   hidden whole, so both are tested: (a) is about cells, (b) about each quantity.
 * - Medians (processing and appeal days) are not additive and cannot be subtracted: the
 *   median is suppressed when it is taken over fewer than PRIMARY_MIN_COUNT records, with no
 *   complementary suppression. Their record count is additive, so it is never published
 *   (`publishRow` nulls it): it is also the denominator of the approval rate (decided
 *   applications) or of the appeals resolved rate (closed appeals), which that rate's own
 *   suppression hides.
 * - Offices (`offices_open`, `commune_office_coverage`) describe public buildings, not people:
 *   no suppression (a commune has 0 or 1 office, so the rule would hide every commune).
 *
 * The fixed point is deterministic (cells are sorted by key, so the input order does not
 * matter) and roughly linear in the number of cells: each suppression updates the running
 * counts of the few equations its cell is in, and each equation is repaired a handful of times.
 *
 * What it does not guarantee: safety against attacks that combine many sums at once (linear
 * algebra over the whole table: on random three-way tables of communes × groups ×
 * programmes, about 1 table in 400 with zeros published had one cell it could solve, none in
 * 3,000 with the literal rule; bounds from numerator ≤ denominator), nor figures shared
 * between indicators (the `eligible` count is the denominator of the enrolment and effective
 * coverage rates). Both would need an audit of the whole release (an optimisation over
 * every table at once, as statistical offices' tools do), which this module does not do.
 */
import type { IndicatorDefinition } from './catalogue';
import { monthOf, parsePeriod } from './periods';

/** domain.md §6: a count below 5 is published as suppressed. */
export const PRIMARY_MIN_COUNT = 5;
/** domain.md §6: a rate whose denominator is below 20 is published as suppressed. */
export const PRIMARY_MIN_DENOMINATOR = 20;

/** How an indicator's cells are protected (see the module comment). */
export type DisclosureRule = 'count' | 'rate' | 'median' | 'none';

/** Indicators about offices, not people or households: nothing to protect. */
const ABOUT_OFFICES: ReadonlySet<string> = new Set(['offices_open', 'commune_office_coverage']);

/** The rule an indicator's public cells follow. */
export function disclosureRule(
	indicator: Pick<IndicatorDefinition, 'id' | 'unit'>
): DisclosureRule {
	if (ABOUT_OFFICES.has(indicator.id)) return 'none';
	if (indicator.unit === 'count') return 'count';
	if (indicator.unit === 'days') return 'median';
	return 'rate';
}

/** Which published quantities of a flow add up over months (a quarter's are its months' sum). */
export type TimeAdditivity = 'both' | 'numerator';

/**
 * Flows counted by an event's date in the period (`activity-indicators.ts`), so a quarter or
 * year is the sum of its months. Not here: stocks (measured at the period's end), take-up and
 * effective coverage (a unit counts once however many months it was paid in), and the appeals
 * rate's denominator (households registered at the period's end).
 */
const ADDITIVE_OVER_TIME: Readonly<Record<string, TimeAdditivity>> = {
	applications_received: 'numerator',
	approval_rate: 'both',
	appeals_rate: 'numerator',
	appeals_resolved_rate: 'both'
};

/** What of an indicator adds up over time, or null when its periods are not sums of months. */
export function additivityOverTime(indicatorId: string): TimeAdditivity | null {
	return ADDITIVE_OVER_TIME[indicatorId] ?? null;
}

/** One public figure before disclosure control: a unit's value for a period, programme, group. */
export interface DisclosureCell {
	period: string;
	unitCode: string;
	/** The unit one level up; null for the nation. */
	parentCode: string | null;
	/** A programme code, or '' for all programmes together (their sum). */
	programme: string;
	/** The disaggregation (`sex`…), or '' for the unit's total. */
	groupBy: string;
	/** The group (`F`…), or '' for the unit's total. */
	groupValue: string;
	/** The count, the rate's numerator, or a median's number of records. */
	numerator: number;
	/** The rate's denominator; null for counts and medians. */
	denominator: number | null;
}

/** The fields that identify a cell. */
export type DisclosureCellId = Pick<
	DisclosureCell,
	'period' | 'unitCode' | 'programme' | 'groupBy' | 'groupValue'
>;

/** A cell's identity as one string (codes and labels never contain `|`). */
export function disclosureKey(cell: DisclosureCellId): string {
	return `${cell.period}|${cell.unitCode}|${cell.programme}|${cell.groupBy}|${cell.groupValue}`;
}

/**
 * Whether a cell is suppressed by the primary rule of domain.md §6: zero included, unless
 * `publishZeros` (a count of 0, a rate over a denominator of 0, a median over no records).
 */
export function isBelowThreshold(
	cell: Pick<DisclosureCell, 'numerator' | 'denominator'>,
	rule: DisclosureRule,
	publishZeros = false
): boolean {
	switch (rule) {
		case 'count':
		case 'median':
			return cell.numerator < PRIMARY_MIN_COUNT && !(publishZeros && cell.numerator === 0);
		case 'rate': {
			const denominator = cell.denominator ?? 0;
			return denominator < PRIMARY_MIN_DENOMINATOR && !(publishZeros && denominator === 0);
		}
		case 'none':
			return false;
	}
}

/** A period published as the sum of other published periods. */
export interface PeriodSum {
	whole: string;
	parts: readonly string[];
}

/**
 * The period sums among `labels`: a quarter and its three months; a year and its four
 * quarters; a year and its twelve months. The latest year may be a year to date (the refresh
 * counts it to today): it is taken as the sum of its months (or quarters) published from
 * January on, which hides at least as much as the exact sum would.
 */
export function periodSums(labels: readonly string[]): PeriodSum[] {
	const published = new Set(labels);
	const sums: PeriodSum[] = [];
	const years = labels.filter((label) => parsePeriod(label)?.kind === 'year').sort();
	const latestYear = years.at(-1);
	for (const label of [...published].sort()) {
		const period = parsePeriod(label);
		if (period?.kind !== 'quarter') continue;
		const months = [0, 1, 2].map((i) => monthOf(period.start, i));
		if (months.every((month) => published.has(month))) sums.push({ whole: label, parts: months });
	}
	for (const year of years) {
		const leading = (parts: string[]) => {
			const present: string[] = [];
			for (const part of parts) {
				if (!published.has(part)) break;
				present.push(part);
			}
			return present.length === parts.length || (year === latestYear && present.length > 0)
				? present
				: [];
		};
		const quarters = leading([1, 2, 3, 4].map((q) => `${year}-Q${q}`));
		if (quarters.length > 0) sums.push({ whole: year, parts: quarters });
		const months = leading(Array.from({ length: 12 }, (_, i) => monthOf(`${year}-01-01`, i)));
		if (months.length > 0) sums.push({ whole: year, parts: months });
	}
	return sums;
}

/** What the equations of a table are built from, beyond the cells themselves. */
export interface DisclosureOptions {
	rule: DisclosureRule;
	/**
	 * For flows published for several periods at once: the period sums among them and which
	 * quantities add up over time. Leave out for stocks, which must then be suppressed one
	 * period at a time (a quarter's stock is its last month's, so both get the same cells).
	 */
	time?: { sums: readonly PeriodSum[]; quantities: TimeAdditivity };
	/**
	 * Publish zeros instead of suppressing them (see the module comment). Complements still
	 * prefer cells that are not zero, and a hidden sum of 0 is still repaired.
	 */
	publishZeros?: boolean;
}

/**
 * One published sum an attacker can subtract in: total = Σ parts, in the numerators, and in
 * the denominators too when `quantities` is `both` and the rule is a rate.
 */
export interface SumEquation {
	total: string;
	parts: string[];
	quantities: TimeAdditivity;
}

/** Why a cell is suppressed. */
export type SuppressionReason = 'primary' | 'complementary';

/** Cells sorted by key, with their equations by index. */
interface Table {
	cells: DisclosureCell[];
	keys: string[];
	totals: number[];
	parts: number[][];
	bindsDenominator: boolean[];
}

function buildTable(input: readonly DisclosureCell[], options: DisclosureOptions): Table {
	// Sorting makes the result independent of the input's order (and of the period label, so
	// that a quarter's stock gets the same cells as its last month's).
	const keyed = input.map((cell) => ({ cell, key: disclosureKey(cell) }));
	keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	const cells = keyed.map((k) => k.cell);
	const keys = keyed.map((k) => k.key);
	const index = new Map<string, number>();
	keys.forEach((key, i) => {
		if (index.has(key)) throw new Error(`disclosure control: cell ${key} given twice`);
		index.set(key, i);
	});
	const table: Table = { cells, keys, totals: [], parts: [], bindsDenominator: [] };
	// Medians are not sums; offices are not suppressed.
	if (options.rule === 'median' || options.rule === 'none') return table;

	const parentOf = new Map<string, string | null>();
	for (const cell of cells) {
		const known = parentOf.get(cell.unitCode);
		if (known !== undefined && known !== cell.parentCode)
			throw new Error(`disclosure control: unit ${cell.unitCode} has two parents`);
		parentOf.set(cell.unitCode, cell.parentCode);
	}
	const rate = options.rule === 'rate';
	const sums = options.time?.sums ?? [];
	const timeBoth = options.time?.quantities === 'both';
	// An equation is its total and a kind (levels down, disaggregation, programmes, period
	// sum), numbered so that the lookup needs no string per part.
	const kinds = new Map<string, number>();
	const kindOf = (kind: string) => {
		let k = kinds.get(kind);
		if (k === undefined) kinds.set(kind, (k = kinds.size));
		return k;
	};
	const equationOf = new Map<number, number>();
	/** For each equation, the period sum it stands for, or -1. */
	const periodSum: number[] = [];
	const addPart = (
		total: number | undefined,
		kind: number,
		part: number,
		both: boolean,
		sum = -1
	) => {
		if (total === undefined) return;
		const id = total * 4096 + kind;
		let e = equationOf.get(id);
		if (e === undefined) {
			e = table.totals.length;
			equationOf.set(id, e);
			table.totals.push(total);
			table.parts.push([]);
			table.bindsDenominator.push(rate && both);
			periodSum.push(sum);
		}
		table.parts[e]!.push(part);
	};
	const timeParts = new Map<string, { sum: number; whole: string; kind: number }[]>();
	sums.forEach(({ whole, parts }, sum) => {
		for (const part of parts) {
			const list = timeParts.get(part) ?? [];
			list.push({ sum, whole, kind: kindOf(`time${sum}`) });
			timeParts.set(part, list);
		}
	});
	const programmes = kindOf('programmes');

	cells.forEach((cell, i) => {
		const { period, unitCode, programme, groupBy, groupValue } = cell;
		const at = (p: string, unit: string, prog: string, by: string, value: string) =>
			index.get(`${p}|${unit}|${prog}|${by}|${value}`);
		// Every ancestor, not only the parent: a province minus its communes is a subtraction too.
		let ancestor = cell.parentCode;
		for (let distance = 1; ancestor !== null && ancestor !== undefined; distance++) {
			const total = at(period, ancestor, programme, groupBy, groupValue);
			addPart(total, kindOf(`level${distance}`), i, true);
			ancestor = parentOf.get(ancestor) ?? null;
		}
		if (groupBy !== '')
			addPart(at(period, unitCode, programme, '', ''), kindOf(`by:${groupBy}`), i, true);
		if (programme !== '')
			addPart(at(period, unitCode, '', groupBy, groupValue), programmes, i, true);
		for (const { sum, whole, kind } of timeParts.get(period) ?? [])
			addPart(at(whole, unitCode, programme, groupBy, groupValue), kind, i, timeBoth, sum);
	});
	if (kinds.size > 4096) throw new Error('disclosure control: too many kinds of sums');
	// A period sum with a part missing is not a sum of published cells: no equation.
	periodSum.forEach((sum, e) => {
		if (sum >= 0 && table.parts[e]!.length !== sums[sum]!.parts.length) table.parts[e] = [];
	});
	return table;
}

/** The equations an attacker can subtract in, by cell key (for audits and tests). */
export function disclosureEquations(
	cells: readonly DisclosureCell[],
	options: DisclosureOptions
): SumEquation[] {
	const table = buildTable(cells, options);
	return table.totals.flatMap((total, e) =>
		table.parts[e]!.length === 0
			? []
			: [
					{
						total: table.keys[total]!,
						parts: table.parts[e]!.map((part) => table.keys[part]!),
						quantities: table.bindsDenominator[e] ? 'both' : 'numerator'
					}
				]
	);
}

const PUBLISHED = 0;
const PRIMARY = 1;
const COMPLEMENTARY = 2;

/**
 * Primary and complementary suppression of one table: all the cells of an indicator that are
 * published together (every level from the nation to the communes, every programme and group,
 * and every period when `options.time` is given). The cells must be complete, zeros
 * included (`indicator_values` stores no row for them): a cell left out is never suppressed,
 * and readers would show it as 0. Returns the suppressed cells' keys and why.
 */
export function suppressSmallCells(
	input: readonly DisclosureCell[],
	options: DisclosureOptions
): Map<string, SuppressionReason> {
	const { cells, keys, totals, parts, bindsDenominator } = buildTable(input, options);
	const n = cells.length;
	const numerator = Float64Array.from(cells, (cell) => cell.numerator);
	const denominator = Float64Array.from(cells, (cell) => cell.denominator ?? 0);
	const state = new Uint8Array(n);

	// Each cell's equations, as a part and as the total.
	const asPart: number[][] = Array.from({ length: n }, () => []);
	const asTotal: number[][] = Array.from({ length: n }, () => []);
	totals.forEach((total, e) => {
		if (parts[e]!.length === 0) return;
		asTotal[total]!.push(e);
		for (const part of parts[e]!) asPart[part]!.push(e);
	});

	// Running counts of each equation's hidden parts and of their numerators and denominators.
	const equations = totals.length;
	const hiddenParts = new Int32Array(equations);
	const hiddenNumerator = new Float64Array(equations);
	const hiddenDenominator = new Float64Array(equations);
	const queued = new Uint8Array(equations);
	const queue: number[] = [];
	const enqueue = (e: number) => {
		if (queued[e]) return;
		queued[e] = 1;
		queue.push(e);
	};
	const hide = (i: number, reason: number) => {
		state[i] = reason;
		for (const e of asPart[i]!) {
			hiddenParts[e]!++;
			hiddenNumerator[e]! += numerator[i]!;
			hiddenDenominator[e]! += denominator[i]!;
			enqueue(e);
		}
		for (const e of asTotal[i]!) enqueue(e);
	};

	for (let i = 0; i < n; i++)
		if (isBelowThreshold(cells[i]!, options.rule, options.publishZeros)) hide(i, PRIMARY);
	for (let e = 0; e < equations; e++) if (parts[e]!.length > 0) enqueue(e);

	/** How many other sums hiding `cell` would leave with one hidden cell (each needs another). */
	const loneCellsMade = (cell: number, except: number) => {
		let count = 0;
		for (const e of asPart[cell]!)
			if (e !== except && hiddenParts[e] === 0 && state[totals[e]!] === PUBLISHED) count++;
		for (const e of asTotal[cell]!) if (e !== except && hiddenParts[e] === 0) count++;
		return count;
	};

	/**
	 * The published part of `e` to hide next, or -1. It must be positive in the quantities whose
	 * hidden sum is 0. Then, in order: positive in all (a zero complement can start a zero sum
	 * elsewhere); leaving the fewest other sums with a lone hidden cell (a part whose unit or
	 * group already hides something closes the pattern instead of spreading it: on random
	 * tables this hides a fifth fewer cells, and leaves fewer cells that linear algebra over
	 * several sums could solve); the smallest (least information lost); the first by key.
	 */
	const complementOf = (e: number, needNumerator: boolean, needDenominator: boolean) => {
		const withDenominator = bindsDenominator[e]!;
		let best = -1;
		let bestRank = [0, 0, 0];
		for (const part of parts[e]!) {
			if (state[part] !== PUBLISHED) continue;
			const num = numerator[part]!;
			const den = denominator[part]!;
			if ((needNumerator && num <= 0) || (needDenominator && den <= 0)) continue;
			const rank = [
				num > 0 && (!withDenominator || den > 0) ? 0 : 1,
				loneCellsMade(part, e),
				withDenominator ? den : num
			];
			const better = rank.findIndex((r, i) => r !== bestRank[i]!);
			if (best < 0 || (better >= 0 && rank[better]! < bestRank[better]!)) {
				best = part;
				bestRank = rank;
			}
		}
		return best;
	};

	/** The cell whose suppression repairs equation `e`, or -1 when it is safe. */
	const repair = (e: number): number => {
		const total = totals[e]!;
		const hidden = hiddenParts[e]!;
		if (state[total] !== PUBLISHED) {
			// The hidden total alone would be the sum of its published parts.
			return hidden === 0 ? complementOf(e, false, false) : -1;
		}
		if (hidden === 0) return -1;
		const zeroNumerator = hiddenNumerator[e] === 0;
		const zeroDenominator = bindsDenominator[e]! && hiddenDenominator[e] === 0;
		if (hidden >= 2 && !zeroNumerator && !zeroDenominator) return -1;
		const part = complementOf(e, zeroNumerator, zeroDenominator);
		// No published part can cover the hidden one: the total itself must go.
		return part >= 0 ? part : total;
	};

	for (let head = 0; head < queue.length; head++) {
		const e = queue[head]!;
		queued[e] = 0;
		const cell = repair(e);
		if (cell >= 0) {
			hide(cell, COMPLEMENTARY);
			enqueue(e);
		}
	}

	const suppressed = new Map<string, SuppressionReason>();
	state.forEach((s, i) => {
		if (s !== PUBLISHED) suppressed.set(keys[i]!, s === PRIMARY ? 'primary' : 'complementary');
	});
	return suppressed;
}

/** The published figures of a row (an `IndicatorRow`, a file's line). */
export interface PublishedFigures {
	numerator: number | null;
	denominator: number | null;
	value: number | null;
}

/**
 * A row as the public sees it: flagged, and with its figures null (never 0) when suppressed.
 * A median's record count is never published (see the module comment).
 */
export function publishRow<R extends PublishedFigures>(
	row: R,
	suppressed: boolean,
	rule: DisclosureRule
): R & { suppressed: boolean } {
	if (suppressed) return { ...row, numerator: null, denominator: null, value: null, suppressed };
	if (rule === 'median') return { ...row, numerator: null, suppressed };
	return { ...row, suppressed };
}

/** A table given as a grid: every period × unit × option is a cell; values are sparse. */
export interface DisclosureGrid {
	periods: readonly string[];
	/** The units of every level, each with the index of the unit one level up (-1 at the top). */
	units: readonly { code: string; parent: number }[];
	/** The programme options and groups every unit has for every period. */
	options: readonly Pick<DisclosureCell, 'programme' | 'groupBy' | 'groupValue'>[];
	/**
	 * The cells with a value, by index (`gridCell`); every other cell is a count of 0 or a rate
	 * of 0/0, below the threshold.
	 */
	values: readonly { cell: number; numerator: number; denominator: number | null }[];
}

/** A cell's index in a grid: by period, then unit, then option. */
export function gridCell(
	grid: Pick<DisclosureGrid, 'units' | 'options'>,
	period: number,
	unit: number,
	option: number
): number {
	return (period * grid.units.length + unit) * grid.options.length + option;
}

/** Positions of labels in the order of `disclosureKey`s (`|` follows a label in the key). */
function keyRanks(labels: readonly string[], separated: boolean): Int32Array {
	const keys = labels.map((label) => (separated ? `${label}|` : label));
	const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
	const rank = new Int32Array(labels.length);
	order.forEach((i, r) => {
		if (r > 0 && keys[order[r - 1]!] === keys[i])
			throw new Error(`disclosure control: ${labels[i]} given twice`);
		rank[i] = r;
	});
	return rank;
}

/**
 * `suppressSmallCells` of a grid, with exactly its result (`disclosure.spec.ts` compares the
 * two), in time and memory that grow with the cells at or above the threshold rather than with
 * the whole grid. Returns each cell's state by index: 0 published, 1 primary, 2 complementary.
 *
 * Why it is the same: a cell below the threshold is suppressed from the start and stays so;
 * all the fixed point needs of it is its share of the running counts of its sums and its
 * place in the queue's first order, both known before the first repair. Only the published
 * cells change, and only a sum with a published cell in it can ever need a repair: a sum
 * whose cells are all suppressed is safe and stays untouched. So the fixed point runs over the
 * published cells and their sums, numbered and queued in the order `suppressSmallCells` gives
 * them (by key), and takes the same steps. Most cells of a small registry are zeros below
 * every published figure, and are never looked at one by one.
 *
 * Zeros must be suppressed (`publishZeros` is not supported: every zero would be published).
 */
export function suppressGrid(grid: DisclosureGrid, options: DisclosureOptions): Uint8Array {
	if (options.publishZeros) throw new Error('suppressGrid: zeros are always suppressed here');
	const { periods, units, options: cellOptions } = grid;
	const P = periods.length;
	const U = units.length;
	const O = cellOptions.length;
	const n = P * U * O;
	const result = new Uint8Array(n);
	if (options.rule === 'none') return result;
	const rule = options.rule;

	// The order of disclosureKey: period, unit, then programme, group and value.
	const periodRank = keyRanks(periods, true);
	const unitRank = keyRanks(
		units.map((u) => u.code),
		true
	);
	const optionRank = keyRanks(
		cellOptions.map((o) => `${o.programme}|${o.groupBy}|${o.groupValue}`),
		false
	);
	const rankOf = (cell: number) => {
		const o = cell % O;
		const t = (cell - o) / O;
		const u = t % U;
		return (periodRank[(t - u) / U]! * U + unitRank[u]!) * O + optionRank[o]!;
	};

	// The cells with a value, by key; which are published (the rest is suppressed, `primary`).
	const seen = new Uint8Array(n);
	const stored = grid.values.map((v) => {
		if (v.cell < 0 || v.cell >= n || !Number.isInteger(v.cell))
			throw new Error(`disclosure control: no cell ${v.cell} in the grid`);
		if (seen[v.cell]) throw new Error(`disclosure control: cell ${v.cell} given twice`);
		seen[v.cell] = 1;
		return {
			cell: v.cell,
			rank: rankOf(v.cell),
			numerator: v.numerator,
			denominator: v.denominator ?? 0,
			below: isBelowThreshold(v, rule)
		};
	});
	stored.sort((a, b) => a.rank - b.rank);
	result.fill(PRIMARY);
	const explicit = stored.filter((s) => !s.below);
	for (const s of explicit) result[s.cell] = PUBLISHED;
	// Medians are not sums.
	if (rule === 'median' || explicit.length === 0) return result;

	// Units: the descendants of each unit at each distance, by key.
	const descendants: number[][][] = [];
	units.forEach((_, v) => {
		let ancestor = units[v]!.parent;
		for (let d = 1; ancestor >= 0; d++) {
			if (d > U) throw new Error('disclosure control: the units form a cycle');
			(descendants[d - 1] ??= Array.from({ length: U }, () => []))[ancestor]!.push(v);
			ancestor = units[ancestor]!.parent;
		}
	});
	for (const level of descendants)
		for (const list of level) list.sort((a, b) => unitRank[a]! - unitRank[b]!);
	const D = descendants.length;

	// Options: each one's total over its disaggregation and over the programmes.
	const optionIndex = new Map(
		cellOptions.map((o, i) => [`${o.programme}|${o.groupBy}|${o.groupValue}`, i])
	);
	const dimensions = [...new Set(cellOptions.map((o) => o.groupBy).filter((by) => by !== ''))];
	const G = dimensions.length;
	const groupTotal = new Int32Array(O).fill(-1);
	const groupDimension = new Int32Array(O).fill(-1);
	const programmeTotal = new Int32Array(O).fill(-1);
	const groupParts: number[][][] = Array.from({ length: O }, () => dimensions.map(() => []));
	const programmeParts: number[][] = Array.from({ length: O }, () => []);
	cellOptions.forEach((option, o) => {
		if (option.groupBy !== '') {
			const total = optionIndex.get(`${option.programme}||`);
			if (total !== undefined) {
				groupTotal[o] = total;
				groupDimension[o] = dimensions.indexOf(option.groupBy);
				groupParts[total]![groupDimension[o]]!.push(o);
			}
		}
		if (option.programme !== '') {
			const total = optionIndex.get(`|${option.groupBy}|${option.groupValue}`);
			if (total !== undefined) {
				programmeTotal[o] = total;
				programmeParts[total]!.push(o);
			}
		}
	});
	const byOptionRank = (a: number, b: number) => optionRank[a]! - optionRank[b]!;
	for (const lists of groupParts) for (const list of lists) list.sort(byOptionRank);
	for (const list of programmeParts) list.sort(byOptionRank);

	// Periods: the sums whose whole and parts are all in the grid (else no equation).
	const periodIndex = new Map(periods.map((p, i) => [p, i]));
	const sumWhole: number[] = [];
	const sumParts: number[][] = [];
	const sumsOfPart: number[][] = periods.map(() => []);
	const sumsOfWhole: number[][] = periods.map(() => []);
	for (const { whole, parts } of options.time?.sums ?? []) {
		const w = periodIndex.get(whole);
		const ps = parts.map((part) => periodIndex.get(part));
		const s = sumWhole.length;
		sumWhole.push(w ?? -1);
		sumParts.push(ps.every((p) => p !== undefined) && w !== undefined ? (ps as number[]) : []);
		for (const p of sumParts[s]!) sumsOfPart[p]!.push(s);
		if (sumParts[s]!.length > 0) sumsOfWhole[w!]!.push(s);
		sumParts[s]!.sort((a, b) => periodRank[a]! - periodRank[b]!);
	}
	const S = sumWhole.length;

	// Kinds of sums, numbered in the order a cell lists the sums it is a part of (levels up,
	// its disaggregation, the programmes, the period sums): an equation is created by its
	// first part, so equations are numbered by (first part's key, kind).
	const GROUP = D;
	const PROGRAMMES = D + G;
	const TIME = D + G + 1;
	const NK = TIME + S;
	const rate = rule === 'rate';
	const timeBoth = options.time?.quantities === 'both';

	/** The parts of the sum of `kind` whose total is `total`, by key (a cell function of j). */
	const partsOf = (total: number, kind: number): { count: number; at: (j: number) => number } => {
		const o = total % O;
		const t = (total - o) / O;
		const u = t % U;
		const p = (t - u) / U;
		if (kind < GROUP) {
			const list = descendants[kind]![u]!;
			return { count: list.length, at: (j) => (p * U + list[j]!) * O + o };
		}
		if (kind < PROGRAMMES) {
			const list = groupParts[o]![kind - GROUP]!;
			return { count: list.length, at: (j) => t * O + list[j]! };
		}
		if (kind === PROGRAMMES) {
			const list = programmeParts[o]!;
			return { count: list.length, at: (j) => t * O + list[j]! };
		}
		const list = sumParts[kind - TIME]!;
		return { count: list.length, at: (j) => (list[j]! * U + u) * O + o };
	};
	/** Calls `visit(total, kind)` for every sum `cell` is a part of. */
	const sumsWithPart = (cell: number, visit: (total: number, kind: number) => void) => {
		const o = cell % O;
		const t = (cell - o) / O;
		const u = t % U;
		const p = (t - u) / U;
		let ancestor = units[u]!.parent;
		for (let d = 1; ancestor >= 0; d++) {
			visit((p * U + ancestor) * O + o, d - 1);
			ancestor = units[ancestor]!.parent;
		}
		if (groupTotal[o]! >= 0) visit(t * O + groupTotal[o]!, GROUP + groupDimension[o]!);
		if (programmeTotal[o]! >= 0) visit(t * O + programmeTotal[o]!, PROGRAMMES);
		for (const s of sumsOfPart[p]!) visit((sumWhole[s]! * U + u) * O + o, TIME + s);
	};
	/** Calls `visit(kind)` for every sum `cell` is the total of. */
	const sumsWithTotal = (cell: number, visit: (kind: number) => void) => {
		const o = cell % O;
		const t = (cell - o) / O;
		const u = t % U;
		const p = (t - u) / U;
		for (let d = 0; d < D; d++) if (descendants[d]![u]!.length > 0) visit(d);
		for (let g = 0; g < G; g++) if (groupParts[o]![g]!.length > 0) visit(GROUP + g);
		if (programmeParts[o]!.length > 0) visit(PROGRAMMES);
		for (const s of sumsOfWhole[p]!) visit(TIME + s);
	};

	// The sums with a published cell in them (the others never need a repair), with their
	// published parts by key.
	const m = explicit.length;
	const localOf = new Int32Array(n).fill(-1);
	explicit.forEach((s, i) => (localOf[s.cell] = i));
	const found = new Map<number, number>();
	const sumTotal: number[] = [];
	const sumKind: number[] = [];
	const sumPublishedParts: number[][] = [];
	const sumOf = (total: number, kind: number) => {
		const id = total * NK + kind;
		let e = found.get(id);
		if (e === undefined) {
			e = sumTotal.length;
			found.set(id, e);
			sumTotal.push(total);
			sumKind.push(kind);
			sumPublishedParts.push([]);
		}
		return e;
	};
	explicit.forEach((s, i) => {
		sumsWithPart(s.cell, (total, kind) => sumPublishedParts[sumOf(total, kind)]!.push(i));
		sumsWithTotal(s.cell, (kind) => sumOf(s.cell, kind));
	});

	// Numbered as suppressSmallCells numbers them.
	const count = sumTotal.length;
	const created = new Float64Array(count);
	const partsCount = new Int32Array(count);
	for (let f = 0; f < count; f++) {
		const parts = partsOf(sumTotal[f]!, sumKind[f]!);
		partsCount[f] = parts.count;
		created[f] = rankOf(parts.at(0)) * NK + sumKind[f]!;
	}
	const order = Array.from({ length: count }, (_, f) => f).sort(
		(a, b) => created[a]! - created[b]!
	);
	const eOf = new Int32Array(count);
	order.forEach((f, e) => (eOf[f] = e));

	const totals = new Int32Array(count);
	const partStart = new Int32Array(count + 1);
	for (let e = 0; e < count; e++)
		partStart[e + 1] = partStart[e]! + sumPublishedParts[order[e]!]!.length;
	const parts = new Int32Array(partStart[count]!);
	const bindsDenominator = new Uint8Array(count);
	const hiddenParts = new Int32Array(count);
	const hiddenNumerator = new Float64Array(count);
	const hiddenDenominator = new Float64Array(count);
	for (let e = 0; e < count; e++) {
		const f = order[e]!;
		totals[e] = localOf[sumTotal[f]!]!;
		parts.set(sumPublishedParts[f]!, partStart[e]!);
		const kind = sumKind[f]!;
		bindsDenominator[e] = rate && (kind < TIME || timeBoth) ? 1 : 0;
		hiddenParts[e] = partsCount[f]! - sumPublishedParts[f]!.length;
	}
	// The suppressed cells' share, added in the order of keys as suppressSmallCells adds it.
	for (const s of stored) {
		if (!s.below) continue;
		sumsWithPart(s.cell, (total, kind) => {
			const f = found.get(total * NK + kind);
			if (f === undefined) return;
			hiddenNumerator[eOf[f]!]! += s.numerator;
			hiddenDenominator[eOf[f]!]! += s.denominator;
		});
	}

	// Each published cell's sums, as a part and as the total, by number.
	const asPartStart = new Int32Array(m + 1);
	const asTotalStart = new Int32Array(m + 1);
	for (let e = 0; e < count; e++) {
		for (let j = partStart[e]!; j < partStart[e + 1]!; j++) asPartStart[parts[j]! + 1]!++;
		if (totals[e]! >= 0) asTotalStart[totals[e]! + 1]!++;
	}
	for (let i = 0; i < m; i++) {
		asPartStart[i + 1]! += asPartStart[i]!;
		asTotalStart[i + 1]! += asTotalStart[i]!;
	}
	const asPart = new Int32Array(asPartStart[m]!);
	const asTotal = new Int32Array(asTotalStart[m]!);
	{
		const partFill = asPartStart.slice(0, m);
		const totalFill = asTotalStart.slice(0, m);
		for (let e = 0; e < count; e++) {
			for (let j = partStart[e]!; j < partStart[e + 1]!; j++) asPart[partFill[parts[j]!]!++] = e;
			if (totals[e]! >= 0) asTotal[totalFill[totals[e]!]!++] = e;
		}
	}

	// The first queue: suppressSmallCells hides the cells below the threshold by key, queueing
	// the sums of each (those it is a part of, then the one it totals), then queues the rest.
	const firstHidden = new Float64Array(count);
	for (let e = 0; e < count; e++) {
		const f = order[e]!;
		const sum = partsOf(sumTotal[f]!, sumKind[f]!);
		let first = Infinity;
		for (let j = 0; j < sum.count; j++) {
			const cell = sum.at(j);
			if (localOf[cell]! < 0) {
				first = rankOf(cell) * 2;
				break;
			}
		}
		if (totals[e]! < 0) first = Math.min(first, rankOf(sumTotal[f]!) * 2 + 1);
		firstHidden[e] = first;
	}
	const queue = Array.from({ length: count }, (_, e) => e).sort(
		(a, b) => firstHidden[a]! - firstHidden[b]! || a - b
	);

	// The fixed point of suppressSmallCells, on the published cells.
	const numerator = Float64Array.from(explicit, (s) => s.numerator);
	const denominator = Float64Array.from(explicit, (s) => s.denominator);
	const state = new Uint8Array(m);
	const queued = new Uint8Array(count).fill(1);
	const enqueue = (e: number) => {
		if (queued[e]) return;
		queued[e] = 1;
		queue.push(e);
	};
	const hide = (i: number) => {
		state[i] = COMPLEMENTARY;
		for (let k = asPartStart[i]!; k < asPartStart[i + 1]!; k++) {
			const e = asPart[k]!;
			hiddenParts[e]!++;
			hiddenNumerator[e]! += numerator[i]!;
			hiddenDenominator[e]! += denominator[i]!;
			enqueue(e);
		}
		for (let k = asTotalStart[i]!; k < asTotalStart[i + 1]!; k++) enqueue(asTotal[k]!);
	};
	const totalPublished = (e: number) => totals[e]! >= 0 && state[totals[e]!] === PUBLISHED;
	const loneCellsMade = (cell: number, except: number) => {
		let lone = 0;
		for (let k = asPartStart[cell]!; k < asPartStart[cell + 1]!; k++) {
			const e = asPart[k]!;
			if (e !== except && hiddenParts[e] === 0 && totalPublished(e)) lone++;
		}
		for (let k = asTotalStart[cell]!; k < asTotalStart[cell + 1]!; k++) {
			const e = asTotal[k]!;
			if (e !== except && hiddenParts[e] === 0) lone++;
		}
		return lone;
	};
	const complementOf = (e: number, needNumerator: boolean, needDenominator: boolean) => {
		const withDenominator = bindsDenominator[e] === 1;
		let best = -1;
		let best0 = 0;
		let best1 = 0;
		let best2 = 0;
		for (let k = partStart[e]!; k < partStart[e + 1]!; k++) {
			const part = parts[k]!;
			if (state[part] !== PUBLISHED) continue;
			const num = numerator[part]!;
			const den = denominator[part]!;
			if ((needNumerator && num <= 0) || (needDenominator && den <= 0)) continue;
			const r0 = num > 0 && (!withDenominator || den > 0) ? 0 : 1;
			const r1 = loneCellsMade(part, e);
			const r2 = withDenominator ? den : num;
			const better =
				best < 0 ||
				(r0 !== best0 ? r0 < best0 : r1 !== best1 ? r1 < best1 : r2 !== best2 && r2 < best2);
			if (better) {
				best = part;
				best0 = r0;
				best1 = r1;
				best2 = r2;
			}
		}
		return best;
	};
	const repair = (e: number): number => {
		const total = totals[e]!;
		const hidden = hiddenParts[e]!;
		if (!totalPublished(e)) return hidden === 0 ? complementOf(e, false, false) : -1;
		if (hidden === 0) return -1;
		const zeroNumerator = hiddenNumerator[e] === 0;
		const zeroDenominator = bindsDenominator[e] === 1 && hiddenDenominator[e] === 0;
		if (hidden >= 2 && !zeroNumerator && !zeroDenominator) return -1;
		const part = complementOf(e, zeroNumerator, zeroDenominator);
		return part >= 0 ? part : total;
	};
	for (let head = 0; head < queue.length; head++) {
		const e = queue[head]!;
		queued[e] = 0;
		const cell = repair(e);
		if (cell >= 0) {
			hide(cell);
			enqueue(e);
		}
	}
	explicit.forEach((s, i) => (result[s.cell] = state[i]!));
	return result;
}
