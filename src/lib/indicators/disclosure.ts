/**
 * Disclosure control of public indicators (`shared/domain.md` §6, issue #6): one module,
 * applied identically to pages, the API and downloaded files, shared by server and browser.
 *
 * - Primary suppression: a count below PRIMARY_MIN_COUNT, or a rate whose denominator is
 *   below PRIMARY_MIN_DENOMINATOR. Zero is a count below 5 and is suppressed too (the literal
 *   rule). Publishing zeros would make "suppressed" mean "1 to 4", and a 0 in a group says
 *   something about everyone in it ("no women enrolled"); it also keeps complements honest:
 *   a published count is never 0, so a complement always hides something.
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
 * What it does not defend against: attacks that combine equations beyond subtraction (full
 * linear algebra over several tables, bounds from numerator ≤ denominator), and figures
 * shared between indicators (the `eligible` count is the denominator of the enrolment and
 * effective coverage rates); see the discussion.
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

/** Whether a cell is suppressed by the primary rule of domain.md §6 (zero included). */
export function isBelowThreshold(
	cell: Pick<DisclosureCell, 'numerator' | 'denominator'>,
	rule: DisclosureRule
): boolean {
	switch (rule) {
		case 'count':
		case 'median':
			return cell.numerator < PRIMARY_MIN_COUNT;
		case 'rate':
			return (cell.denominator ?? 0) < PRIMARY_MIN_DENOMINATOR;
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

	for (let i = 0; i < n; i++) if (isBelowThreshold(cells[i]!, options.rule)) hide(i, PRIMARY);
	for (let e = 0; e < equations; e++) if (parts[e]!.length > 0) enqueue(e);

	/**
	 * The published part to hide next: one positive in the quantities that must become
	 * positive, preferring one positive in all (a zero complement can start a zero sum
	 * elsewhere), then the smallest (least information lost), then the first by key.
	 */
	const complementOf = (e: number, needNumerator: boolean, needDenominator: boolean) => {
		const withDenominator = bindsDenominator[e]!;
		let best = -1;
		let bestRank = 0;
		let bestSize = 0;
		for (const part of parts[e]!) {
			if (state[part] !== PUBLISHED) continue;
			const num = numerator[part]!;
			const den = denominator[part]!;
			if ((needNumerator && num <= 0) || (needDenominator && den <= 0)) continue;
			const rank = num > 0 && (!withDenominator || den > 0) ? 0 : 1;
			const size = withDenominator ? den : num;
			if (best < 0 || rank < bestRank || (rank === bestRank && size < bestSize)) {
				best = part;
				bestRank = rank;
				bestSize = size;
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

/** Rows as the public sees them, given the suppressed keys of their table. */
export function publishRows<R extends PublishedFigures>(
	rows: readonly R[],
	/** The result of `suppressSmallCells`, or any set of keys. */
	suppressed: { has(key: string): boolean },
	keyOf: (row: R) => string,
	rule: DisclosureRule
): (R & { suppressed: boolean })[] {
	return rows.map((row) => publishRow(row, suppressed.has(keyOf(row)), rule));
}
