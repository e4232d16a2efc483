/**
 * Applications, enrolments and monthly benefits for one registered household. Eligibility is
 * evaluated from the programme's target (§4) on the day in question: units apply some weeks
 * after they register or become eligible, the district back office decides in 5–60 days
 * (or leaves the application pending), approved units are enrolled, leave when they stop
 * being eligible or drop out, and collect benefits in most but not all months. About 2 % of
 * enrolments are inclusion errors: units that never met the target.
 */
import type { CommuneParams, DistrictParams } from './areas';
import {
	ageAt,
	calendarMonth,
	formatDay,
	formatMonth,
	monthEnd,
	monthOf,
	monthStart,
	parseDay
} from './dates';
import type { RowSink } from './feeds';
import type { ProgrammeSpec } from './programmes';
import { clamp, type Rng } from './random';
import type { Member } from './registry';
import {
	eligibleWindows,
	parseTarget,
	type TargetHousehold,
	type TargetPerson,
	type TargetTerm
} from './targets';

/** Share of enrolments given to units outside the target. */
export const INCLUSION_ERROR_SHARE = 0.02;
/** Benefits are written for this many complete months before the as-of date. */
export const BENEFIT_MONTHS = 24;

/** A registered household with everything its services depend on. */
export interface RegisteredHousehold {
	id: string;
	villageCode: string;
	registered: number;
	idpoorLevel: 0 | 1 | 2;
	/** The commune front office, and the day it closed (null if still open). */
	officeCode: string;
	officeClosed: number | null;
	/** The district back office, which takes applications once the front office has closed. */
	backOfficeCode: string;
	members: Member[];
	personIds: string[];
	commune: CommuneParams;
	district: DistrictParams;
}

/** What a household did, for its appeals: programmes it was refused and enrolled in, when. */
export interface ServiceHistory {
	refused: { code: string; day: number }[];
	enrolled: { code: string; day: number }[];
}

interface CompiledProgramme {
	spec: ProgrammeSpec;
	terms: TargetTerm[];
	launch: number;
	enrolledInTarget: number;
	enrolledOutsideTarget: number;
}

/** The output sinks of the simulation. */
export interface ServiceSinks {
	applications: RowSink;
	enrolments: RowSink;
	benefits: RowSink;
}

/** Simulates programme services household by household, numbering rows as it goes. */
export class ServiceSimulator {
	private readonly programmes: CompiledProgramme[];
	private readonly firstPeriod: number;
	private readonly lastPeriod: number;
	private applicationCount = 0;
	private enrolmentCount = 0;
	private benefitCount = 0;
	/** The first enrolment id written, if any (bad rows refer to it). */
	firstEnrolmentId: string | null = null;

	constructor(
		private readonly rng: Rng,
		private readonly asOf: number,
		programmes: readonly ProgrammeSpec[],
		private readonly sinks: ServiceSinks
	) {
		this.programmes = programmes.map((spec) => {
			const launch = parseDay(spec.launch);
			if (launch === null) throw new Error(`programme ${spec.code}: bad launch date`);
			return {
				spec,
				terms: parseTarget(spec.target),
				launch,
				enrolledInTarget: 0,
				enrolledOutsideTarget: 0
			};
		});
		// The last complete month before the as-of date, and the 23 before it.
		this.lastPeriod = monthOf(asOf) - 1;
		this.firstPeriod = this.lastPeriod - BENEFIT_MONTHS + 1;
	}

	/** Rows written so far per feed. */
	get counts() {
		return {
			applications: this.applicationCount,
			enrolments: this.enrolmentCount,
			benefits: this.benefitCount
		};
	}

	/** Runs every programme for one household. */
	simulate(household: RegisteredHousehold): ServiceHistory {
		const history: ServiceHistory = { refused: [], enrolled: [] };
		const target: TargetHousehold = {
			idpoorLevel: household.idpoorLevel,
			members: household.members
		};
		const end = this.asOf + 1;
		for (const programme of this.programmes) {
			const from = Math.max(household.registered, programme.launch);
			if (from > this.asOf) continue;
			const units: (number | undefined)[] =
				programme.spec.unit === 'household' ? [undefined] : household.members.map((_, i) => i);
			for (const unit of units) {
				const person: TargetPerson | undefined =
					unit === undefined ? undefined : household.members[unit];
				const windows = eligibleWindows(programme.terms, target, person, from, end);
				if (windows.length === 0) {
					if (!this.rng.chance(programme.spec.ineligibleApplyRate)) continue;
					const applied = from + this.rng.int(0, this.asOf - from);
					this.apply(household, programme, unit, applied, Infinity, false, history);
					continue;
				}
				const rate = clamp(programme.spec.applyRate * household.commune.applyFactor, 0, 0.98);
				for (const [start, stop] of windows) {
					if (!this.rng.chance(rate)) continue;
					// Families eligible when they register are helped to apply at once (the point
					// of a single window); later eligibility (a birth, a 60th birthday) is
					// noticed more slowly.
					const delay = this.rng.exponential(start === from ? 40 : 75);
					const applied = start + Math.floor(delay);
					if (applied >= stop || applied > this.asOf) continue;
					this.apply(household, programme, unit, applied, stop, true, history);
				}
			}
		}
		return history;
	}

	private apply(
		household: RegisteredHousehold,
		programme: CompiledProgramme,
		unit: number | undefined,
		applied: number,
		eligibleUntil: number,
		eligible: boolean,
		history: ServiceHistory
	) {
		const rng = this.rng;
		const { spec } = programme;
		const district = household.district;
		const processing = clamp(
			Math.round(district.processingDays * Math.exp(rng.normal(0, 0.45))),
			5,
			60
		);
		const decided = applied + processing;
		// Some back offices leave part of their recent applications undecided: the backlog.
		const stuck = applied >= this.asOf - 365 && rng.chance(district.backlogShare);
		let status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
		if (stuck || decided > this.asOf) status = 'pending';
		else if (eligible) {
			const u = rng.float();
			const refusal = 1 - spec.approvalRate;
			status =
				u < spec.approvalRate
					? 'approved'
					: u < spec.approvalRate + refusal * 0.65
						? 'rejected'
						: 'withdrawn';
			// No longer eligible by the time of the decision (a child turned two…).
			if (status === 'approved' && decided >= eligibleUntil) status = 'rejected';
		} else {
			const enrolled = programme.enrolledInTarget + programme.enrolledOutsideTarget;
			const short = programme.enrolledOutsideTarget < INCLUSION_ERROR_SHARE * (enrolled + 1);
			status = short ? 'approved' : rng.chance(0.85) ? 'rejected' : 'withdrawn';
		}

		const officeCode =
			household.officeClosed !== null && applied >= household.officeClosed
				? household.backOfficeCode
				: household.officeCode;
		const personId = unit === undefined ? '' : (household.personIds[unit] ?? '');
		this.sinks.applications.add([
			`A${pad(++this.applicationCount, 8)}`,
			spec.code,
			household.id,
			personId,
			officeCode,
			formatDay(applied),
			status,
			status === 'pending' ? '' : formatDay(decided)
		]);
		if (status === 'rejected') history.refused.push({ code: spec.code, day: decided });
		if (status !== 'approved') return;

		const enrolled = decided + rng.int(1, 14);
		if (enrolled > this.asOf || enrolled >= eligibleUntil) return;
		let exit = eligibleUntil;
		if (spec.durationDays) exit = Math.min(exit, enrolled + rng.int(...spec.durationDays));
		const dropout =
			enrolled + Math.max(1, Math.round(rng.exponential(30.4375 / spec.monthlyDropout)));
		exit = Math.min(exit, dropout);
		const exited = exit <= this.asOf ? exit : null;
		if (eligible) programme.enrolledInTarget++;
		else programme.enrolledOutsideTarget++;

		const enrolmentId = `E${pad(++this.enrolmentCount, 8)}`;
		this.firstEnrolmentId ??= enrolmentId;
		this.sinks.enrolments.add([
			enrolmentId,
			spec.code,
			household.id,
			personId,
			formatDay(enrolled),
			exited === null ? '' : formatDay(exited)
		]);
		history.enrolled.push({ code: spec.code, day: enrolled });
		this.benefits(household, programme, unit, enrolmentId, enrolled, exited);
	}

	private benefits(
		household: RegisteredHousehold,
		programme: CompiledProgramme,
		unit: number | undefined,
		enrolmentId: string,
		enrolled: number,
		exited: number | null
	) {
		const rng = this.rng;
		const { spec } = programme;
		// A few families hardly ever collect (distance, no ID card at the pay point…).
		const reliability = rng.chance(0.1) ? 0.35 : 1;
		const takeUp = spec.takeUp * household.commune.takeUpFactor * reliability;
		const first = Math.max(this.firstPeriod, monthOf(enrolled));
		const last = Math.min(this.lastPeriod, exited === null ? this.lastPeriod : monthOf(exited - 1));
		const person = unit === undefined ? undefined : household.members[unit];
		for (let month = first; month <= last; month++) {
			if (spec.months && !spec.months.includes(calendarMonth(month))) continue;
			if (!rng.chance(takeUp)) continue;
			// Delivered within the month or up to ten days after it, while enrolled.
			const lo = Math.max(monthStart(month), enrolled);
			const hi = Math.min(monthEnd(month) + 10, this.asOf, exited === null ? Infinity : exited - 1);
			if (hi < lo) continue;
			const delivered = lo + rng.int(0, hi - lo);
			const age = person ? ageAt(person.birth, monthEnd(month)) : null;
			this.sinks.benefits.add([
				`B${pad(++this.benefitCount, 9)}`,
				enrolmentId,
				formatMonth(month),
				formatDay(delivered),
				String(spec.amount(rng, age)),
				spec.benefitKind
			]);
		}
	}
}

/** Zero-padded decimal. */
export function pad(n: number, width: number): string {
	return String(n).padStart(width, '0');
}
