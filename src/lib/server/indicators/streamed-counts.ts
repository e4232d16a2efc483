/**
 * The programme counts of a full refresh on Postgres (`e`, `en`, `n`, `n_not_e`, `a`, `ab`,
 * `eb` of `programme_values`, see `programme-indicators.ts` for their meaning), counted in this
 * process from the registry as it streams out of Postgres, instead of in SQL.
 *
 * Households, members, enrolments and benefits each keep their household's village and an
 * index by village holding every column read (see `VACUUMED` in `refresh.ts`): each is read
 * once, in village order (`COPY … TO STDOUT`), and the streams are walked side by side a
 * village at a time. Benefits are grouped by enrolment as they are read, each enrolment's into the
 * months it was paid in, and come with their enrolments: three streams, each on a connection of
 * its own. A village's rows fit in small
 * look-ups, so what SQL does with joins and groupings of millions of rows (members to their
 * households, benefits to their enrolments, enrolments to their units) is a few map look-ups
 * per row here; a village's commune is whole once the next commune's first village comes
 * (codes nest), so each commune's groups are counted in a small table too.
 *
 * Eligibility is counted as SQL counts it (`eligibilityBounds`): a unit meets its target on
 * one run of period ends (from its household's registration and its birthdays), a change of +1
 * at the run's first end and −1 after its last, summed over the ends. An enrolled or paid unit
 * (a person or household with an enrolment in the programme) is looked at period by period.
 *
 * A person who moved to another household keeps enrolments made in the village they left: the
 * enrolments of persons who moved, and any enrolment whose unit is not in its village, are set
 * aside and counted at the end, where their person or household lives now (read by key).
 *
 * The counts are summed here too, as `rollup.ts` sums the SQL counts: each village's totals
 * into its commune's, each commune's (totals and groups) into its district's, province's and
 * the nation's, each programme's into all programmes' (total and IDPoor groups). Villages' and
 * communes' rows are written into the refresh's new partitions of `programme_values` as each
 * is complete, the set-aside units' added to them at the end (`addLateCounts`), then the units
 * above. Incremental refreshes (and PGlite) count and sum in SQL: the tests compare both on the
 * same registries.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { postgresClient, queryRows, type Db } from '../db';
import { copyText, CopyTextWriter } from '../db/copy-text';
import type { ComputeContext } from './context';
import { CopyRow, streamKeyedRows } from './copy-rows';
import { targetTests } from './eligibility';
import {
	computeCombinedPackages,
	GROUPS,
	programmeWork,
	type ProgrammeRow
} from './programme-indicators';
import { PROGRAMME_MEASURES, rollUp } from './rollup';

const DAY_MS = 86_400_000;
/** A date as a day number (days since 1970-01-01), as the streams send them. */
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const EPOCH = `DATE '1970-01-01'`;
/** Months to a word of a mask of months (an `int4`'s bits but its sign). */
const MONTH_BITS = 31;
/** An enrolment without an exit day runs for ever. */
const NO_EXIT = Number.MAX_SAFE_INTEGER;

/** The groups' values in one list (sex F, M, life-cycle groups, …): a group row's slot. */
const SLOTS = GROUPS.flatMap((g) => g.values.map((value) => ({ by: g.by, value })));
const slot = (by: string, value: string) =>
	SLOTS.findIndex((s) => s.by === by && s.value === value);
const SEX_SLOTS = [slot('sex', 'F'), slot('sex', 'M')];
/** Sex as counted: 0 F, 1 M (positions in `SEX_SLOTS`), 2 anything else. */
const SEX_CODES: Record<string, number> = { F: 0, M: 1 };
const LIFE_SLOTS = [
	slot('life_cycle', 'children'),
	slot('life_cycle', 'working_age'),
	slot('life_cycle', 'older_persons')
];
const DISABILITY_SLOTS = [slot('disability', 'no'), slot('disability', 'yes')];
/** By IDPoor level as streamed: 0 none, 1, 2. */
const IDPOOR_SLOTS = [slot('idpoor', 'none'), slot('idpoor', '1'), slot('idpoor', '2')];

/** The six measures of an enrolled or paid unit, in `programme_values`' order after `e`. */
const EN = 0;
const N = 1;
const N_NOT_E = 2;
const A = 3;
const AB = 4;
const EB = 5;
const ACTIVITY = 6;

/** A unit's flags in a period: enrolled during it, enrolled at its end, paid in it. */
const DURING = 1;
const AT_END = 2;
const PAID = 4;

/** A programme's target as tests on a unit (see `targetTests`), its ages as positions in `ages`. */
interface Rule {
	code: string;
	person: boolean;
	/** 0: any household; 1: an IDPoor household; 2: IDPoor level 1. */
	idpoor: 0 | 1 | 2;
	/** 0 F, 1 M (as `sex` is counted), or undefined for either. */
	sex?: number;
	disability: boolean;
	never: boolean;
	/** Positions in `ages` of the `age>=Y` and `age<Z` terms. */
	from: number[];
	until: number[];
	needsMember: boolean;
}

function ruleOf(programme: ProgrammeRow, ages: readonly number[]): Rule {
	const tests = targetTests(programme.target);
	return {
		code: programme.programme_code,
		person: programme.unit === 'person',
		idpoor: tests.idpoor === 'idpoor1' ? 2 : tests.idpoor === 'idpoor' ? 1 : 0,
		sex: tests.sex && SEX_CODES[tests.sex],
		disability: tests.disability,
		never: tests.never,
		from: tests.from.map((years) => ages.indexOf(years)),
		until: tests.until.map((years) => ages.indexOf(years)),
		needsMember: tests.needsMember
	};
}

const householdHolds = (rule: Rule, idpoor: number) =>
	rule.idpoor === 0 || (rule.idpoor === 1 ? idpoor !== 0 : idpoor === 1);
const memberHolds = (rule: Rule, sex: number, disability: boolean) =>
	!rule.never && (rule.sex === undefined || sex === rule.sex) && (!rule.disability || disability);

/** Rows of one village (or of the set-aside units' households) from the three streams. */
interface HouseholdBatch {
	key: number;
	ids: string[];
	registered: number[];
	idpoor: number[];
}
interface MemberBatch {
	key: number;
	household: string[];
	person: string[];
	sex: number[];
	born: number[];
	disability: boolean[];
	moved: boolean[];
}
interface EnrolmentBatch {
	key: number;
	programme: number[];
	household: (string | null)[];
	person: (string | null)[];
	from: number[];
	until: number[];
	/** The months it was paid in, `MONTH_BITS` to a word, `words` words an enrolment. */
	paid: number[];
}

/**
 * Batches of rows by key, from a stream that adds them (`push`, which waits while many are
 * queued) to the walk that takes them (`head`, `take`).
 */
class BatchQueue<B extends { key: number }> {
	private readonly queue: B[] = [];
	private finished = false;
	private error: unknown;
	private wake?: () => void;
	private room?: () => void;
	private last = -Infinity;
	private aborted: Error | undefined;
	/** `limit`: how many batches may wait before `push` waits too. */
	constructor(
		readonly name: string,
		private readonly limit = 64
	) {}

	push(batch: B): Promise<void> | undefined {
		if (this.aborted) throw this.aborted;
		if (batch.key <= this.last)
			throw new Error(`${this.name}: rows out of village order at ${batch.key}`);
		this.last = batch.key;
		this.queue.push(batch);
		this.wake?.();
		if (this.queue.length < this.limit) return undefined;
		return new Promise((resolve) => (this.room = resolve));
	}
	finish(error?: unknown) {
		this.finished = true;
		this.error = error;
		this.wake?.();
	}
	/** The walk failed: the stream stops at its next batch, with `error`. */
	abort(error: Error) {
		this.aborted = error;
		this.room?.();
	}
	async head(): Promise<B | undefined> {
		while (!this.queue.length && !this.finished)
			await new Promise<void>((resolve) => (this.wake = resolve));
		if (this.error) throw this.error;
		return this.queue[0];
	}
	take(): B {
		const batch = this.queue.shift()!;
		if (this.queue.length < this.limit / 2 && this.room) {
			this.room();
			this.room = undefined;
		}
		return batch;
	}
}

/** A text field that repeats the previous row's (sorted keys): the previous string, kept. */
function repeatedText(column: number) {
	let bytes: Buffer | undefined;
	let text = '';
	return (row: CopyRow): string => {
		if (bytes && row.equals(column, bytes)) return text;
		text = row.text(column);
		bytes = row.bytes(column);
		return text;
	};
}

/** A stream's decoder into batches: `flush` hands over the batch of the rows so far. */
function batches<B>(start: () => B, decode: (batch: B, row: CopyRow) => void) {
	let batch: B | undefined;
	return {
		decode: (row: CopyRow) => decode((batch ??= start()), row),
		flush: (key: number): B & { key: number } => {
			const done = { ...batch!, key };
			batch = undefined;
			return done;
		}
	};
}

const householdStream = () =>
	batches(
		() => ({ ids: [] as string[], registered: [] as number[], idpoor: [] as number[] }),
		(batch, row) => {
			batch.ids.push(row.text(1));
			batch.registered.push(row.int(2));
			batch.idpoor.push(row.isNull(3) ? 0 : row.int(3));
		}
	);

const memberStream = () => {
	const household = repeatedText(1);
	return batches(
		() => ({
			household: [] as string[],
			person: [] as string[],
			sex: [] as number[],
			born: [] as number[],
			disability: [] as boolean[],
			moved: [] as boolean[]
		}),
		(batch, row) => {
			batch.household.push(household(row));
			batch.person.push(row.text(2));
			batch.sex.push(row.isNull(3) ? 2 : (SEX_CODES[row.text(3)] ?? 2));
			batch.born.push(row.int(4));
			batch.disability.push(row.bool(5));
			batch.moved.push(row.bool(6));
		}
	);
};

const enrolmentStream = (programmeIndex: ReadonlyMap<string, number>, words: number) => {
	const programme = repeatedText(1);
	return batches(
		() => ({
			programme: [] as number[],
			household: [] as (string | null)[],
			person: [] as (string | null)[],
			from: [] as number[],
			until: [] as number[],
			paid: [] as number[]
		}),
		(batch, row) => {
			batch.programme.push(programmeIndex.get(programme(row)) ?? -1);
			batch.household.push(row.isNull(2) ? null : row.text(2));
			batch.person.push(row.isNull(3) ? null : row.text(3));
			batch.from.push(row.int(4));
			batch.until.push(row.isNull(5) ? NO_EXIT : row.int(5));
			for (let w = 0; w < words; w++) batch.paid.push(row.isNull(6 + w) ? 0 : row.int(6 + w));
		}
	);
};

/** What the counting needs to know of the refresh: periods, ends, ages, programmes. */
interface Frame {
	/** K, the number of period ends; each period's end index (1…K) and first and last days. */
	k: number;
	periodEnd: Int32Array;
	periodStart: Float64Array;
	periodLast: Float64Array;
	labels: readonly string[];
	ends: Float64Array;
	/** Per age (in `ages` order), each end's cut-off birth day. */
	cutoffs: Float64Array[];
	ages: readonly number[];
	/** Positions of 18 and 60 in `ages` (life-cycle groups). */
	adult: number;
	older: number;
	rules: Rule[];
	/** The first day of the first period, and the last day of the last. */
	firstDay: number;
	lastDay: number;
	/** Each day from `firstDay`: its month, counted from the first day's. */
	dayMonths: number[];
	/** Words of `MONTH_BITS` months a mask of months takes; each period's months as one. */
	words: number;
	periodMonths: Int32Array;
	villageCode: Map<number, string>;
	communeOf: Map<number, number>;
	communeCode: Map<number, string>;
	/** Each commune's last village (by number). */
	lastVillage: Map<number, number>;
	/** The units above villages: each one's level, and each commune's units above it. */
	levelOf: Map<string, string>;
	above: Map<string, string[]>;
}

/** How many of the sorted `dates` fall before `day` (`datesBefore` in SQL). */
function before(dates: Float64Array, day: number): number {
	let low = 0;
	let high = dates.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (dates[middle]! < day) low = middle + 1;
		else high = middle;
	}
	return low;
}

/** The store's columns, as the counts' `COPY` statements write them. */
const COUNT_COLUMNS = `(period, level, geo_code, programme, group_by, group_value,
	${PROGRAMME_MEASURES.join(', ')})`;
/** The indicator values' columns, as the combined packages' `COPY` writes them. */
const VALUE_COLUMNS = `(indicator_id, period, level, geo_code, programme, group_by, group_value,
	numerator, denominator, value)`;
/** The seven counts of a row: `e`, then the six measures of `ACTIVITY` from 1. */
const MEASURES = 1 + ACTIVITY;

/**
 * The counts of one unit of the geography, for every programme and for all programmes together
 * (position `P`, the number of programmes), by slot (0 the total; 1… the groups of `SLOTS`),
 * period and measure, as the stored rows will hold them. Villages hold their totals only (one
 * slot); communes and above every group. All programmes together have the total and the
 * IDPoor groups (the groups every programme has).
 */
class Counts {
	readonly values: Float64Array;
	private readonly periods: number;
	constructor(
		readonly frame: Frame,
		readonly slots: number
	) {
		this.periods = frame.labels.length;
		this.values = new Float64Array((frame.rules.length + 1) * slots * this.periods * MEASURES);
	}
	/** Where the counts of programme `programme` (or all: `P`), slot and period start. */
	at(programme: number, slotIndex: number, period: number): number {
		return ((programme * this.slots + slotIndex) * this.periods + period) * MEASURES;
	}
	clear() {
		this.values.fill(0);
	}
	copy(): Counts {
		const copy = new Counts(this.frame, this.slots);
		copy.values.set(this.values);
		return copy;
	}
	/** Adds `other`'s counts: all of them (same slots), or its totals only (a village's). */
	add(other: Counts) {
		if (other.slots === this.slots) {
			for (let i = 0; i < this.values.length; i++) this.values[i]! += other.values[i]!;
			return;
		}
		for (let programme = 0; programme <= this.frame.rules.length; programme++)
			for (let p = 0; p < this.periods; p++) {
				const to = this.at(programme, 0, p);
				const from = other.at(programme, 0, p);
				for (let m = 0; m < MEASURES; m++) this.values[to + m]! += other.values[from + m]!;
			}
	}
	/** Writes the rows with a count (the stores are sparse) of the unit `level`, `code`. */
	async write(writer: CopyTextWriter, level: string, code: string) {
		const { frame, values } = this;
		for (let programme = 0; programme <= frame.rules.length; programme++) {
			const name = programme < frame.rules.length ? copyText(frame.rules[programme]!.code) : '';
			const unit = `${level}\t${code}\t${name}`;
			for (let s = 0; s < this.slots; s++) {
				const group = s === 0 ? '\t' : `${SLOTS[s - 1]!.by}\t${SLOTS[s - 1]!.value}`;
				for (let p = 0; p < this.periods; p++) {
					const i = this.at(programme, s, p);
					let any = false;
					for (let m = 0; m < MEASURES; m++) if (values[i + m] !== 0) any = true;
					if (!any) continue;
					const waiting = writer.add(
						`${frame.labels[p]}\t${unit}\t${group}\t${values[i]}\t${values[i + 1]}\t${values[i + 2]}\t${values[i + 3]}\t${values[i + 4]}\t${values[i + 5]}\t${values[i + 6]}`
					);
					if (waiting) await waiting;
				}
			}
		}
	}
}

/**
 * The districts', the provinces' and the nation's counts: each commune's added to the units
 * above it, written at the end.
 */
class UnitsAbove {
	private readonly units = new Map<string, Counts>();
	constructor(private readonly frame: Frame) {}
	add(commune: string, counts: Counts) {
		for (const code of this.frame.above.get(commune)!) {
			let unit = this.units.get(code);
			if (!unit) this.units.set(code, (unit = new Counts(this.frame, counts.slots)));
			unit.add(counts);
		}
	}
	async write(writer: CopyTextWriter) {
		for (const [code, counts] of this.units)
			await counts.write(writer, this.frame.levelOf.get(code)!, code);
	}
}

/** Whether all programmes together have a slot of `Counts`: the total and the IDPoor groups. */
const ALL_PROGRAMMES_SLOT = [true, ...SLOTS.map((s) => s.by === 'idpoor')];

/**
 * Counts for one unit of the geography as the walk counts them (a village's totals, or a
 * commune's groups): per programme and slot, the eligible units' changes by end (`K + 2`
 * each) and the six measures by period (`activity`, counted by `Counter.countUnit`).
 */
class Tally {
	readonly changes: Int32Array;
	readonly activity: Int32Array;
	constructor(
		readonly frame: Frame,
		readonly slots: number
	) {
		const programmes = frame.rules.length;
		this.changes = new Int32Array(programmes * slots * (frame.k + 2));
		this.activity = new Int32Array(programmes * slots * frame.labels.length * ACTIVITY);
	}
	clear() {
		this.changes.fill(0);
		this.activity.fill(0);
	}
	/** A unit eligible from end `first` to `last` (1…K). */
	eligible(programme: number, slotIndex: number, first: number, last: number) {
		const base = (programme * this.slots + slotIndex) * (this.frame.k + 2);
		this.changes[base + first]! += 1;
		this.changes[base + last + 1]! -= 1;
	}
	/**
	 * Adds the counts into `counts`: a village's total into its slot 0, a commune's groups into
	 * theirs; each programme's also into all programmes' where they have the slot.
	 */
	collect(counts: Counts) {
		const { frame } = this;
		const periods = frame.labels.length;
		const all = frame.rules.length;
		const running = new Int32Array(frame.k + 1);
		const out = counts.values;
		for (let programme = 0; programme < frame.rules.length; programme++) {
			for (let s = 0; s < this.slots; s++) {
				const base = (programme * this.slots + s) * (frame.k + 2);
				let sum = 0;
				for (let k = 1; k <= frame.k; k++) running[k] = sum += this.changes[base + k]!;
				const slotIndex = this.slots === 1 ? 0 : s + 1;
				const withAll = ALL_PROGRAMMES_SLOT[slotIndex]!;
				const from = (programme * this.slots + s) * periods * ACTIVITY;
				for (let p = 0; p < periods; p++) {
					const e = running[frame.periodEnd[p]!]!;
					const m = from + p * ACTIVITY;
					const i = counts.at(programme, slotIndex, p);
					const j = counts.at(all, slotIndex, p);
					out[i]! += e;
					if (withAll) out[j]! += e;
					for (let a = 0; a < ACTIVITY; a++) {
						out[i + 1 + a]! += this.activity[m + a]!;
						if (withAll) out[j + 1 + a]! += this.activity[m + a]!;
					}
				}
			}
		}
	}
}

/**
 * A village's households and members (or the set-aside units' households and members), as
 * columns: households by position (`householdIndex` maps ids), members by position, a
 * household's members next to each other (`first`, `size`), ages as `a_Y` per member.
 */
class Residents {
	households = 0;
	r = new Int32Array(0);
	idpoor = new Uint8Array(0);
	first = new Int32Array(0);
	size = new Int32Array(0);
	readonly householdIndex = new Map<string, number>();
	members = 0;
	/** Each member's household position, sex (0 F, 1 M, 2 other), disability, move. */
	household = new Int32Array(0);
	sex = new Uint8Array(0);
	disability = new Uint8Array(0);
	moved = new Uint8Array(0);
	ages = new Int32Array(0);
	/** Members by person id, made when enrolments need them. */
	private persons?: Map<string, number>;
	private personIds: readonly string[] = [];

	constructor(private readonly frame: Frame) {}

	/** Reads a village's batches (either may be missing). */
	load(households: HouseholdBatch | undefined, members: MemberBatch | undefined) {
		const { frame } = this;
		const h = households?.ids.length ?? 0;
		const m = members?.person.length ?? 0;
		if (this.r.length < h) {
			const size = Math.max(h, this.r.length * 2);
			this.r = new Int32Array(size);
			this.idpoor = new Uint8Array(size);
			this.first = new Int32Array(size);
			this.size = new Int32Array(size);
		}
		if (this.household.length < m) {
			const size = Math.max(m, this.household.length * 2);
			this.household = new Int32Array(size);
			this.sex = new Uint8Array(size);
			this.disability = new Uint8Array(size);
			this.moved = new Uint8Array(size);
			this.ages = new Int32Array(size * frame.ages.length);
		}
		this.households = h;
		this.householdIndex.clear();
		this.persons = undefined;
		for (let i = 0; i < h; i++) {
			this.householdIndex.set(households!.ids[i]!, i);
			this.r[i] = before(frame.ends, households!.registered[i]!);
			this.idpoor[i] = households!.idpoor[i]!;
			this.size[i] = 0;
		}
		// Members kept: those whose household is here (others are not counted, as the SQL's join
		// leaves them out); sorted by household, so each household's members are adjacent.
		let kept = 0;
		const ids: string[] = [];
		const ageCount = frame.ages.length;
		let lastId: string | undefined;
		let lastHousehold = -1;
		for (let i = 0; i < m; i++) {
			const id = members!.household[i]!;
			const household = id === lastId ? lastHousehold : (this.householdIndex.get(id) ?? -1);
			lastId = id;
			lastHousehold = household;
			if (household < 0) continue;
			if (this.size[household] === 0) this.first[household] = kept;
			this.size[household]!++;
			this.household[kept] = household;
			this.sex[kept] = members!.sex[i]!;
			this.disability[kept] = members!.disability[i]! ? 1 : 0;
			this.moved[kept] = members!.moved[i]! ? 1 : 0;
			const born = members!.born[i]!;
			for (let a = 0; a < ageCount; a++)
				this.ages[kept * ageCount + a] = before(frame.cutoffs[a]!, born);
			ids.push(members!.person[i]!);
			kept++;
		}
		this.members = kept;
		this.personIds = ids;
	}

	/** A member's position by person id, or −1. */
	person(id: string): number {
		if (!this.persons) {
			this.persons = new Map();
			for (let i = 0; i < this.personIds.length; i++) this.persons.set(this.personIds[i]!, i);
		}
		return this.persons.get(id) ?? -1;
	}

	/** `a_Y` of member `m` for the age at position `age` of `frame.ages`. */
	age(m: number, age: number): number {
		return this.ages[m * this.frame.ages.length + age]!;
	}
}

/** The first end index at which `rule`'s age terms hold for member `m` (`greatest(…)` + 1). */
function runFirst(rule: Rule, r: number, residents: Residents, m: number): number {
	let first = r + 1;
	for (const i of rule.from) first = Math.max(first, residents.age(m, i) + 1);
	return first;
}
/** The last end index at which they hold (`least(…)`). */
function runLast(frame: Frame, rule: Rule, residents: Residents, m: number): number {
	let last = frame.k;
	for (const i of rule.until) last = Math.min(last, residents.age(m, i));
	return last;
}

/** The IDPoor groups of a household's combined packages, as streamed (0 none, 1, 2). */
const PACKAGE_GROUPS = ['none', '1', '2'];

/**
 * The combined packages (`combined_package`: households enrolled at a period's end in two or
 * more programmes, out of those enrolled in one or more), by the enrolments' households: each
 * village's totals, each commune's totals and IDPoor groups, summed to every level at the end.
 * An enrolment whose household is not in its village (the importer keeps them together, so
 * never in practice) makes them `misplaced`: the refresh then counts them in SQL instead.
 */
class PackageCounts {
	readonly villages = new Map<string, Float64Array>();
	/** Per commune (and unit above): slot 0 the total, 1 + each IDPoor group; `[one, two]`. */
	readonly units = new Map<string, Float64Array>();
	misplaced = false;
	/** Per household and period of a village: how many programmes (see `count`). */
	private programmes = new Int32Array(0);
	private seen = new Uint8Array(0);
	constructor(private readonly frame: Frame) {}

	private unit(code: string, slots: number) {
		let counts = this.units.get(code);
		if (!counts) this.units.set(code, (counts = new Float64Array(slots * this.periods * 2)));
		return counts;
	}
	private get periods() {
		return this.frame.labels.length;
	}

	/** Counts a village's households by their enrolments at each period's end. */
	count(village: string, commune: string, residents: Residents, enrolments: EnrolmentBatch) {
		const { frame, periods } = this;
		const programmes = frame.rules.length;
		const households = residents.households;
		if (this.seen.length < households * programmes * periods) {
			this.seen = new Uint8Array(households * programmes * periods * 2);
			this.programmes = new Int32Array(households * periods * 2);
		}
		const seen = this.seen.fill(0, 0, households * programmes * periods);
		const counts = this.programmes.fill(0, 0, households * periods);
		for (let i = 0; i < enrolments.programme.length; i++) {
			const programme = enrolments.programme[i]!;
			const id = enrolments.household[i];
			if (programme < 0 || id === null) continue;
			const household = residents.householdIndex.get(id!);
			if (household === undefined) {
				this.misplaced = true;
				continue;
			}
			const from = enrolments.from[i]!;
			const until = enrolments.until[i]!;
			for (let p = 0; p < periods; p++) {
				const last = frame.periodLast[p]!;
				if (from > last || until <= last) continue;
				const at = (household * programmes + programme) * periods + p;
				if (seen[at]) continue;
				seen[at] = 1;
				counts[household * periods + p]!++;
			}
		}
		const own = new Float64Array(periods * 2);
		const communeCounts = this.unit(commune, 1 + PACKAGE_GROUPS.length);
		for (let household = 0; household < households; household++) {
			const group = 1 + residents.idpoor[household]!;
			for (let p = 0; p < periods; p++) {
				const c = counts[household * periods + p]!;
				if (c === 0) continue;
				const two = c >= 2 ? 1 : 0;
				own[p * 2]! += 1;
				own[p * 2 + 1]! += two;
				communeCounts[p * 2]! += 1;
				communeCounts[p * 2 + 1]! += two;
				communeCounts[(group * periods + p) * 2]! += 1;
				communeCounts[(group * periods + p) * 2 + 1]! += two;
			}
		}
		this.villages.set(village, own);
	}

	/** Writes every unit's rows (villages' totals, the others' groups too) into `writer`. */
	async write(writer: CopyTextWriter) {
		const { frame, periods } = this;
		const slots = 1 + PACKAGE_GROUPS.length;
		// The communes' counts summed into the units above them.
		for (const [commune, counts] of [...this.units]) {
			for (const code of frame.above.get(commune)!) {
				const sum = this.unit(code, slots);
				for (let i = 0; i < counts.length; i++) sum[i]! += counts[i]!;
			}
		}
		const rows = async (level: string, code: string, counts: Float64Array, slotCount: number) => {
			for (let s = 0; s < slotCount; s++) {
				const group = s === 0 ? '\t' : `idpoor\t${PACKAGE_GROUPS[s - 1]}`;
				for (let p = 0; p < periods; p++) {
					const one = counts[(s * periods + p) * 2]!;
					const two = counts[(s * periods + p) * 2 + 1]!;
					if (one === 0) continue;
					const waiting = writer.add(
						`combined_package\t${frame.labels[p]}\t${level}\t${code}\t\t${group}\t${two}\t${one}\t${two / one}`
					);
					if (waiting) await waiting;
				}
			}
		};
		for (const [code, counts] of this.villages) await rows('village', code, counts, 1);
		for (const [code, counts] of this.units)
			await rows(frame.levelOf.get(code)!, code, counts, slots);
	}
}

/** A unit set aside: its programme, its flags per period, and whether it is a person. */
interface SetAside {
	programme: number;
	id: string;
	person: boolean;
	flags: Uint8Array;
}

/**
 * The counting of one walk over the streams: `village` counts a village's rows (totals into
 * the village's tally, groups into its commune's), writing each village's and each commune's
 * rows when they are complete.
 */
class Counter {
	private readonly villageTally: Tally;
	private readonly communeTally: Tally;
	private readonly villageCounts: Counts;
	private readonly communeCounts: Counts;
	/** The counts of communes whose villages come again further on (see `endCommune`). */
	private readonly kept = new Map<number, Counts>();
	private commune: number | undefined;
	/** Scratch marks of period ends (see `eligibleEnds`). */
	private readonly marks: Uint8Array;
	private readonly residents: Residents;
	/** Units set aside (see the module's comment), by programme and id. */
	readonly setAside = new Map<string, SetAside>();
	/** The village's units' flags, period by period (see `flagsFor`). */
	private flags = new Uint8Array(0);
	/** Where a unit is counted in its commune's tally (see `countUnit`). */
	private readonly targets = new Int32Array(4);
	/** Per programme, the village's units by id → their position among its units. */
	private readonly unitSlots: Map<string, number>[];
	constructor(
		readonly frame: Frame,
		/** Where the villages' and communes' rows go. */
		readonly writer: CopyTextWriter,
		/** The districts', provinces' and the nation's counts, which the communes' are added to. */
		readonly above: UnitsAbove,
		/** Whether eligible units are counted (not when counting set-aside units). */
		readonly withEligible: boolean,
		/** Where households' combined packages are counted (not when counting set-aside units). */
		readonly packages?: PackageCounts
	) {
		this.villageTally = new Tally(frame, 1);
		this.communeTally = new Tally(frame, SLOTS.length);
		this.villageCounts = new Counts(frame, 1);
		this.communeCounts = new Counts(frame, 1 + SLOTS.length);
		this.marks = new Uint8Array(frame.k + 2);
		this.residents = new Residents(frame);
		this.unitSlots = frame.rules.map(() => new Map());
	}

	/** `size` cleared flags, from a buffer kept between villages. */
	private flagsFor(size: number): Uint8Array {
		if (this.flags.length < size)
			this.flags = new Uint8Array(Math.max(size, this.flags.length * 2));
		return this.flags.fill(0, 0, size);
	}

	/** Member `m` eligible from end `first` to `last`: the village's total and the commune's groups. */
	private personEligible(programme: number, m: number, first: number, last: number) {
		const { frame, residents } = this;
		const commune = this.communeTally;
		this.villageTally.eligible(programme, 0, first, last);
		const sex = residents.sex[m]!;
		if (sex < 2) commune.eligible(programme, SEX_SLOTS[sex]!, first, last);
		commune.eligible(programme, DISABILITY_SLOTS[residents.disability[m]!]!, first, last);
		commune.eligible(
			programme,
			IDPOOR_SLOTS[residents.idpoor[residents.household[m]!]!]!,
			first,
			last
		);
		const adult = residents.age(m, frame.adult);
		const older = residents.age(m, frame.older);
		if (first <= Math.min(last, adult))
			commune.eligible(programme, LIFE_SLOTS[0]!, first, Math.min(last, adult));
		if (Math.max(first, adult + 1) <= Math.min(last, older))
			commune.eligible(
				programme,
				LIFE_SLOTS[1]!,
				Math.max(first, adult + 1),
				Math.min(last, older)
			);
		if (Math.max(first, older + 1) <= last)
			commune.eligible(programme, LIFE_SLOTS[2]!, Math.max(first, older + 1), last);
	}

	/**
	 * The period ends (1…K) at which a unit (member or household `unit`) meets programme
	 * `programme`'s target, as marks.
	 */
	private eligibleEnds(programme: number, unit: number): Uint8Array {
		const { frame, residents } = this;
		const rule = frame.rules[programme]!;
		const marks = this.marks.fill(0);
		const household = rule.person ? residents.household[unit]! : unit;
		const r = residents.r[household]!;
		if (!householdHolds(rule, residents.idpoor[household]!)) return marks;
		if (!rule.person && !rule.needsMember) {
			for (let k = r + 1; k <= frame.k; k++) marks[k] = 1;
			return marks;
		}
		const first = rule.person ? unit : residents.first[household]!;
		const end = rule.person ? unit + 1 : first + residents.size[household]!;
		for (let m = first; m < end; m++) {
			if (!memberHolds(rule, residents.sex[m]!, residents.disability[m] === 1)) continue;
			const last = runLast(frame, rule, residents, m);
			for (let k = runFirst(rule, r, residents, m); k <= last; k++) marks[k] = 1;
		}
		return marks;
	}

	/** An enrolled or paid unit's periods counted (a member, or a household, by position). */
	private countUnit(programme: number, unit: number, flags: Uint8Array) {
		const { frame, residents, targets } = this;
		const periods = frame.labels.length;
		const person = frame.rules[programme]!.person;
		const eligible = this.eligibleEnds(programme, unit);
		const household = person ? residents.household[unit]! : unit;
		const adult = person ? residents.age(unit, frame.adult) : 0;
		const older = person ? residents.age(unit, frame.older) : 0;
		// Where the unit's counts of period 0 are in its commune's tally: its groups (persons:
		// IDPoor, sex, disability, and a life-cycle group that depends on the period; households:
		// IDPoor); in its village's, the total.
		// (No closure for it: this runs for every enrolled unit, millions at national scale.)
		const first = programme * SLOTS.length;
		const stride = periods * ACTIVITY;
		let groups = 0;
		targets[groups++] = (first + IDPOOR_SLOTS[residents.idpoor[household]!]!) * stride;
		if (person) {
			const sex = residents.sex[unit]!;
			if (sex < 2) targets[groups++] = (first + SEX_SLOTS[sex]!) * stride;
			targets[groups++] = (first + DISABILITY_SLOTS[residents.disability[unit]!]!) * stride;
		}
		const village = programme * periods * ACTIVITY;
		for (let p = 0; p < periods; p++) {
			const f = flags[p]!;
			if (!f) continue;
			const k = frame.periodEnd[p]!;
			const e = eligible[k] === 1;
			targets[groups] = person
				? (first + LIFE_SLOTS[k > older ? 2 : k > adult ? 1 : 0]!) * stride
				: -1;
			const count = person ? groups + 1 : groups;
			const o = p * ACTIVITY;
			if (f & AT_END) {
				this.bump(village, o + N, count);
				this.bump(village, o + (e ? EN : N_NOT_E), count);
			}
			if (f & DURING) this.bump(village, o + A, count);
			if (f & DURING && f & PAID) this.bump(village, o + AB, count);
			if (e && f & PAID) this.bump(village, o + EB, count);
		}
	}

	/**
	 * One more unit at `offset` (its period and measure) from `village` in the village's tally
	 * and from the first `count` of `targets` in its commune's.
	 */
	private bump(village: number, offset: number, count: number) {
		this.villageTally.activity[village + offset]!++;
		const commune = this.communeTally.activity;
		for (let i = 0; i < count; i++) commune[this.targets[i]! + offset]!++;
	}

	private async startVillage(village: number) {
		const commune = this.frame.communeOf.get(village);
		if (commune === undefined) throw new Error(`village ${village} is not in the gazetteer`);
		if (commune !== this.commune) await this.endCommune(village);
		this.commune = commune;
		this.villageTally.clear();
	}

	/** The village's rows written; its totals added to its commune's. */
	private async endVillage(village: number) {
		const code = this.frame.villageCode.get(village)!;
		this.villageCounts.clear();
		this.villageTally.collect(this.villageCounts);
		await this.villageCounts.write(this.writer, 'village', code);
		this.communeCounts.add(this.villageCounts);
	}

	/**
	 * The commune's rows written (its villages' totals, its groups) and added to the units above,
	 * when the walk reaches `next` (a village number) or its end. A commune with a village
	 * further on (a village numbered out of its commune's codes: one in the national gazetteer)
	 * is kept until that village comes, or the walk ends (`finish`).
	 */
	private async endCommune(next = Infinity) {
		if (this.commune === undefined) return;
		this.communeTally.collect(this.communeCounts);
		const kept = this.kept.get(this.commune);
		if (kept) this.communeCounts.add(kept);
		if (this.frame.lastVillage.get(this.commune)! >= next) {
			if (kept) kept.values.set(this.communeCounts.values);
			else this.kept.set(this.commune, this.communeCounts.copy());
		} else {
			this.kept.delete(this.commune);
			await this.writeCommune(this.commune, this.communeCounts);
		}
		this.communeTally.clear();
		this.communeCounts.clear();
		this.commune = undefined;
	}

	private async writeCommune(commune: number, counts: Counts) {
		const code = this.frame.communeCode.get(commune)!;
		await counts.write(this.writer, 'commune', code);
		this.above.add(code, counts);
	}

	/** The last commune's rows, and those of the communes kept, written. */
	async finish() {
		await this.endCommune();
		for (const [commune, counts] of this.kept) await this.writeCommune(commune, counts);
		this.kept.clear();
	}

	/** Counts a village's rows (any batch may be missing: the village has no such rows). */
	async village(
		key: number,
		households: HouseholdBatch | undefined,
		members: MemberBatch | undefined,
		enrolments: EnrolmentBatch | undefined,
		setAside?: ReadonlyMap<string, readonly SetAside[]>
	) {
		const { frame, residents } = this;
		await this.startVillage(key);
		residents.load(households, members);
		if (this.withEligible) this.countEligible();
		if (this.packages && enrolments)
			this.packages.count(
				frame.villageCode.get(key)!,
				frame.communeCode.get(frame.communeOf.get(key)!)!,
				residents,
				enrolments
			);

		// Enrolled and paid units: each programme's units, each with a slot of flags per period.
		const periods = frame.labels.length;
		for (const slots of this.unitSlots) slots.clear();
		const slotUnits: { programme: number; unit: number; setAside?: SetAside }[] = [];
		const count = enrolments?.programme.length ?? 0;
		const enrolmentSlot = new Int32Array(count).fill(-1);
		for (let i = 0; i < count; i++) {
			const programme = enrolments!.programme[i]!;
			const rule = frame.rules[programme];
			const id = rule?.person ? enrolments!.person[i] : enrolments!.household[i];
			if (!rule || id === null || id === undefined) continue;
			const slots = this.unitSlots[programme]!;
			let slot = slots.get(id);
			if (slot === undefined) {
				slot = slotUnits.length;
				slots.set(id, slot);
				const unit = rule.person ? residents.person(id) : (residents.householdIndex.get(id) ?? -1);
				if (unit < 0 || (rule.person && residents.moved[unit])) {
					// Set aside: counted at the end, where the unit lives now.
					const unitKey = `${programme}\t${id}`;
					let setAside = this.setAside.get(unitKey);
					if (!setAside) {
						setAside = { programme, id, person: rule.person, flags: new Uint8Array(periods) };
						this.setAside.set(unitKey, setAside);
					}
					slotUnits.push({ programme, unit: -1, setAside });
				} else slotUnits.push({ programme, unit });
			}
			enrolmentSlot[i] = slot;
		}
		const flags = this.flagsFor(slotUnits.length * periods);
		const { words, periodMonths } = frame;
		for (let i = 0; i < count; i++) {
			const slot = enrolmentSlot[i]!;
			if (slot < 0) continue;
			const from = enrolments!.from[i]!;
			const until = enrolments!.until[i]!;
			for (let p = 0; p < periods; p++) {
				let f = 0;
				if (from <= frame.periodLast[p]!) {
					if (until > frame.periodStart[p]!) f |= DURING;
					if (until > frame.periodLast[p]!) f |= AT_END;
				}
				for (let w = 0; w < words; w++)
					if (enrolments!.paid[i * words + w]! & periodMonths[p * words + w]!) f |= PAID;
				flags[slot * periods + p]! |= f;
			}
		}
		for (const [slot, { programme, unit, setAside }] of slotUnits.entries()) {
			const unitFlags = flags.subarray(slot * periods, (slot + 1) * periods);
			if (setAside) for (let p = 0; p < periods; p++) setAside.flags[p]! |= unitFlags[p]!;
			else this.countUnit(programme, unit, unitFlags);
		}
		// Set-aside units counted here, where they live (the last walk).
		if (setAside) {
			for (const [id, household] of residents.householdIndex)
				for (const entry of setAside.get(id) ?? [])
					if (!entry.person) this.countUnit(entry.programme, household, entry.flags);
			if (members)
				for (const id of new Set(members.person)) {
					const person = residents.person(id);
					if (person >= 0)
						for (const entry of setAside.get(id) ?? [])
							if (entry.person) this.countUnit(entry.programme, person, entry.flags);
				}
		}
		await this.endVillage(key);
	}

	/** The village's eligible units: persons, households, households by their members. */
	private countEligible() {
		const { frame, residents } = this;
		for (const [programme, rule] of frame.rules.entries()) {
			if (rule.person) {
				for (let m = 0; m < residents.members; m++) {
					const household = residents.household[m]!;
					if (!householdHolds(rule, residents.idpoor[household]!)) continue;
					if (!memberHolds(rule, residents.sex[m]!, residents.disability[m] === 1)) continue;
					const first = runFirst(rule, residents.r[household]!, residents, m);
					const last = runLast(frame, rule, residents, m);
					if (first <= last) this.personEligible(programme, m, first, last);
				}
				continue;
			}
			for (let household = 0; household < residents.households; household++) {
				const idpoorSlot = IDPOOR_SLOTS[residents.idpoor[household]!]!;
				// Runs of ends: one from registration, or the union of its members' runs.
				const marks = this.eligibleEnds(programme, household);
				for (let k = 1; k <= frame.k; k++) {
					if (!marks[k] || marks[k - 1]) continue;
					let last = k;
					while (marks[last + 1]) last++;
					this.villageTally.eligible(programme, 0, k, last);
					this.communeTally.eligible(programme, idpoorSlot, k, last);
				}
			}
		}
	}
}

/**
 * Runs `work` on a read-only transaction of its own, with its connection; its backend's
 * process id goes into `backends` (to cancel its statement).
 */
async function onConnection(
	db: Db,
	backends: number[],
	work: (client: pg.ClientBase) => Promise<void>
) {
	await db.transaction(
		async (tx) => {
			const [backend] = await queryRows<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`);
			backends.push(backend!.pid);
			// Every table is read whole in the order of its village index, never sorted or hashed
			// (benefits are grouped, and merged with their enrolments, in that order).
			for (const method of ['seqscan', 'sort', 'hashagg', 'hashjoin'])
				await tx.execute(sql.raw(`SET LOCAL enable_${method} = off`));
			await tx.execute(sql`SET LOCAL max_parallel_workers_per_gather = 0`);
			await work(postgresClient(tx)!);
		},
		{ accessMode: 'read only' }
	);
}

/** Streams `query`'s rows into `queue` in batches by village (`stream`'s decoder). */
async function fill<B extends { key: number }>(
	client: pg.ClientBase,
	query: string,
	stream: { decode(row: CopyRow): void; flush(key: number): B },
	queue: BatchQueue<B>
) {
	try {
		await streamKeyedRows(client, query, stream.decode, (key) => queue.push(stream.flush(key)));
		queue.finish();
	} catch (error) {
		queue.finish(error);
		throw error;
	}
}

/** The refresh's periods, ends, ages and programmes, and the gazetteer's villages. */
async function frameOf(context: ComputeContext): Promise<Frame> {
	const work = await programmeWork(context);
	const { periods } = context;
	const ends = context.ends.map(dayNumber);
	const periodEnd = new Int32Array(periods.map((p) => context.ends.indexOf(p.end) + 1));
	const firstDay = Math.min(...periods.map((p) => dayNumber(p.start)));
	const lastDay = Math.max(...ends);
	// Periods are whole months: a period holds a benefit's day when it holds its month.
	const monthOf = (day: number) => {
		const date = new Date(day * DAY_MS);
		return date.getUTCFullYear() * 12 + date.getUTCMonth();
	};
	const firstMonth = monthOf(firstDay);
	const dayMonths = Array.from(
		{ length: lastDay - firstDay + 1 },
		(_, d) => monthOf(firstDay + d) - firstMonth
	);
	const words = Math.floor(dayMonths.at(-1)! / MONTH_BITS) + 1;
	const periodMonths = new Int32Array(periods.length * words);
	periods.forEach((p, i) => {
		for (let m = monthOf(dayNumber(p.start)); m <= monthOf(dayNumber(p.end)); m++) {
			const month = m - firstMonth;
			periodMonths[i * words + Math.floor(month / MONTH_BITS)]! |= 1 << (month % MONTH_BITS);
		}
	});
	const villages = await queryRows<{
		village: number;
		code: string;
		commune: number;
		commune_code: string;
	}>(
		context.tx,
		sql`SELECT code::int AS village, code, commune_code::int AS commune, commune_code
			FROM geo_units WHERE level = 'village'`
	);
	const units = await queryRows<{ code: string; level: string; parent_code: string | null }>(
		context.tx,
		sql`SELECT code, level, parent_code FROM geo_units WHERE level <> 'village'`
	);
	const parent = new Map(units.map((u) => [u.code, u.parent_code]));
	return {
		k: ends.length,
		periodEnd,
		periodStart: new Float64Array(periods.map((p) => dayNumber(p.start))),
		periodLast: new Float64Array(periods.map((p) => dayNumber(p.end))),
		labels: periods.map((p) => p.label),
		ends: new Float64Array(ends),
		cutoffs: work.ages.map(
			(years) => new Float64Array(work.endIndex.cutoffs.get(years)!.map(dayNumber))
		),
		ages: work.ages,
		adult: work.ages.indexOf(18),
		older: work.ages.indexOf(60),
		rules: work.programmes.map((p) => ruleOf(p, work.ages)),
		firstDay,
		lastDay,
		dayMonths,
		words,
		periodMonths,
		villageCode: new Map(villages.map((v) => [v.village, v.code])),
		communeOf: new Map(villages.map((v) => [v.village, v.commune])),
		communeCode: new Map(villages.map((v) => [v.commune, v.commune_code])),
		lastVillage: villages.reduce(
			(last, v) => last.set(v.commune, Math.max(last.get(v.commune) ?? 0, v.village)),
			new Map<number, number>()
		),
		levelOf: new Map(units.map((u) => [u.code, u.level])),
		above: new Map(
			units
				.filter((u) => u.level === 'commune')
				.map((u) => {
					const codes: string[] = [];
					for (let code = parent.get(u.code); code; code = parent.get(code)) codes.push(code);
					return [u.code, codes];
				})
		)
	};
}

const HOUSEHOLDS = (where = 'TRUE') => `SELECT village_code::int, household_id,
	registered_on - ${EPOCH}, idpoor_level::int FROM households WHERE ${where} ORDER BY village_code`;

/**
 * The enrolments, each with the months of the refreshed periods it was paid in (`frame.words`
 * words of months): its benefits grouped by enrolment as they come from their index by village,
 * merged with the enrolments' (same order).
 */
function enrolmentQuery(frame: Frame): string {
	const paid = Array.from(
		{ length: frame.words },
		(_, w) => `coalesce(bit_or(1 << (m - ${w * MONTH_BITS}))
			FILTER (WHERE m >= ${w * MONTH_BITS} AND m < ${(w + 1) * MONTH_BITS}), 0) AS w${w}`
	);
	return `SELECT e.village_code::int, e.programme_code, e.household_id, e.person_id,
			e.enrolled_on - ${EPOCH}, e.exited_on - ${EPOCH}, ${paid.map((_, w) => `b.w${w}`).join(', ')}
		FROM enrolments e LEFT JOIN (
			SELECT village_code, enrolment_id, ${paid.join(', ')}
			FROM (SELECT village_code, enrolment_id,
					('{${frame.dayMonths.join(',')}}'::int[])[delivered_on - ${EPOCH} - ${frame.firstDay - 1}] AS m
				FROM benefits
				WHERE delivered_on BETWEEN ${EPOCH} + ${frame.firstDay} AND ${EPOCH} + ${frame.lastDay}) d
			GROUP BY village_code, enrolment_id
		) b ON b.village_code = e.village_code AND b.enrolment_id = e.enrolment_id
		ORDER BY e.village_code, e.enrolment_id`;
}
const MEMBERS = (where = 'TRUE') => `SELECT village_code::int, household_id, person_id, sex,
	birth_date - ${EPOCH}, disability, moved_household FROM members WHERE ${where}
	ORDER BY village_code, household_id`;

/** An SQL array of text values (for the set-aside units' look-up: `COPY` takes no parameters). */
const textArray = (values: readonly string[]) =>
	`ARRAY[${values.map((value) => pg.escapeLiteral(value)).join(', ')}]::text[]`;

/** The table of the set-aside units' counts, added to the written rows at the end. */
const LATE = 'ix_programme_late';

/**
 * Counts every programme's units at every level into the refresh's new partitions of
 * `programme_values` (see the module's comment), reading the registry on three connections of
 * `db` besides the refresh's.
 */
export async function streamProgrammeCounts(db: Db, context: ComputeContext) {
	const frame = await frameOf(context);
	const programmeIndex = new Map(frame.rules.map((rule, i) => [rule.code, i]));
	const client = postgresClient(context.tx)!;
	const store = context.storeTable('programme_values');
	const copyInto = (table: string) => `COPY ${table} ${COUNT_COLUMNS} FROM STDIN`;
	let writer = new CopyTextWriter(client, copyInto(store));
	const above = new UnitsAbove(frame);
	const packages = new PackageCounts(frame);
	const counter = new Counter(frame, writer, above, true, packages);
	const queues = {
		households: new BatchQueue<HouseholdBatch>('households'),
		members: new BatchQueue<MemberBatch>('members'),
		enrolments: new BatchQueue<EnrolmentBatch>('enrolments')
	};
	const backends: number[] = [];
	const streams = Promise.all([
		onConnection(db, backends, (c) => fill(c, HOUSEHOLDS(), householdStream(), queues.households)),
		onConnection(db, backends, (c) => fill(c, MEMBERS(), memberStream(), queues.members)),
		onConnection(db, backends, (c) =>
			fill(
				c,
				enrolmentQuery(frame),
				enrolmentStream(programmeIndex, frame.words),
				queues.enrolments
			)
		)
	]);
	// A failed stream ends the walk through its queue (the walk's error is thrown below).
	streams.catch(() => undefined);
	const all = [queues.households, queues.members, queues.enrolments] as const;
	try {
		for (;;) {
			const heads = await Promise.all(all.map((q) => q.head()));
			const keys = heads.flatMap((h) => (h ? [h.key] : []));
			if (!keys.length) break;
			const key = Math.min(...keys);
			const [h, m, e] = all.map((q, i) => (heads[i]?.key === key ? q.take() : undefined));
			await counter.village(
				key,
				h as HouseholdBatch | undefined,
				m as MemberBatch | undefined,
				e as EnrolmentBatch | undefined
			);
		}
		await counter.finish();
		await streams;
		await writer.finish();
		// The set-aside units' counts: their villages' and communes' rows added to the rows
		// written; the units above have them before they are written.
		await context.tx.execute(sql`CREATE TEMP TABLE ${sql.identifier(LATE)}
			(LIKE programme_values INCLUDING DEFAULTS) ON COMMIT DROP`);
		writer = new CopyTextWriter(client, copyInto(LATE));
		await countSetAside(db, frame, counter, new Counter(frame, writer, above, false));
		await writer.finish();
		await addLateCounts(context, store);
		writer = new CopyTextWriter(client, copyInto(store));
		await above.write(writer);
		await writer.finish();
		if (packages.misplaced) {
			await computeCombinedPackages(context);
			await rollUp(context, ['combined_package']);
		} else {
			writer = new CopyTextWriter(
				client,
				`COPY ${context.storeTable('indicator_values')} ${VALUE_COLUMNS} FROM STDIN`
			);
			await packages.write(writer);
			await writer.finish();
		}
	} catch (error) {
		// The other streams stop: their statements cancelled, their batches refused.
		for (const queue of all) queue.abort(error as Error);
		for (const backend of backends)
			await db.execute(sql`SELECT pg_cancel_backend(${backend})`).catch(() => undefined);
		await streams.catch(() => undefined);
		await writer.abort(error as Error);
		throw error;
	}
}

/**
 * The set-aside units (persons who moved, units not in their enrolment's village) counted
 * where they live: their households and members read again, by key, in village order.
 */
async function countSetAside(db: Db, frame: Frame, counter: Counter, late: Counter) {
	const entries = [...counter.setAside.values()];
	if (!entries.length) return;
	const persons = [...new Set(entries.filter((e) => e.person).map((e) => e.id))];
	const households = [...new Set(entries.filter((e) => !e.person).map((e) => e.id))];
	const personHouseholds = `household_id IN (SELECT household_id FROM members
		WHERE person_id = ANY (${textArray(persons)}))`;
	const householdWhere = `household_id = ANY (${textArray(households)}) OR ${personHouseholds}`;
	// Read whole before they are counted: no limit on the batches waiting.
	const h = new BatchQueue<HouseholdBatch>('households set aside', Infinity);
	const m = new BatchQueue<MemberBatch>('members set aside', Infinity);
	await onConnection(db, [], async (c) => {
		await fill(c, HOUSEHOLDS(householdWhere), householdStream(), h);
		await fill(c, MEMBERS(householdWhere), memberStream(), m);
	});
	const byId = new Map<string, SetAside[]>();
	for (const entry of entries) byId.set(entry.id, [...(byId.get(entry.id) ?? []), entry]);
	for (;;) {
		const heads = [await h.head(), await m.head()];
		const keys = heads.flatMap((x) => (x ? [x.key] : []));
		if (!keys.length) break;
		const key = Math.min(...keys);
		const households = heads[0]?.key === key ? h.take() : undefined;
		const members = heads[1]?.key === key ? m.take() : undefined;
		await late.village(key, households, members, undefined, byId);
	}
	await late.finish();
}

/** Adds the set-aside units' counts (`LATE`) to the rows of `store` written, or as new rows. */
async function addLateCounts(context: ComputeContext, store: string) {
	const { tx } = context;
	const late = sql.identifier(LATE);
	const table = sql.identifier(store);
	await tx.execute(sql`ANALYZE ${late}`);
	const sameRow = sql.join(
		['period', 'geo_code', 'programme', 'group_by', 'group_value'].map(
			(column) => sql`v.${sql.identifier(column)} = l.${sql.identifier(column)}`
		),
		sql` AND `
	);
	const set = sql.join(
		PROGRAMME_MEASURES.map(
			(m) => sql`${sql.identifier(m)} = v.${sql.identifier(m)} + l.${sql.identifier(m)}`
		),
		sql`, `
	);
	await tx.execute(sql`UPDATE ${table} v SET ${set} FROM ${late} l WHERE ${sameRow}`);
	await tx.execute(sql`INSERT INTO ${table} SELECT l.* FROM ${late} l
		WHERE NOT EXISTS (SELECT 1 FROM ${table} v WHERE ${sameRow})`);
	await tx.execute(sql`DROP TABLE ${late}`);
}
