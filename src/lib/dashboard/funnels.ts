/**
 * The unit panel's funnels, from one unit's indicator values (`/api/units/{code}/values`):
 * registered → eligible → enrolled → received a benefit; applications → decided → approved;
 * appeals → closed → resolved. Each step is a numerator or denominator of a catalogue
 * indicator (shared/domain.md §5), so the funnel and the indicators always agree.
 */

/** The headline indicators of the unit panel, in the order the national board reads them (§2). */
export const HEADLINE_INDICATORS = [
	'registration_coverage',
	'enrolment_coverage',
	'take_up',
	'applications_backlog',
	'appeals_overdue'
] as const;

/** What a funnel needs of one indicator. */
export interface IndicatorCounts {
	indicator: string;
	numerator: number | null;
	denominator: number | null;
	/** Withheld by disclosure control: the step's count is unknown (null), never 0. */
	suppressed?: boolean;
}

/** A funnel's step: its name (a key of the page's strings) and count (null: suppressed). */
export interface FunnelStep<Key extends string = string> {
	key: Key;
	count: number | null;
}

/** The three funnels of a unit. */
export interface UnitFunnels {
	registration: FunnelStep<'registered' | 'eligible' | 'enrolled' | 'received'>[];
	applications: FunnelStep<'applications_received' | 'decided' | 'approved'>[];
	appeals: FunnelStep<'appeals_lodged' | 'appeals_closed' | 'appeals_resolved'>[];
}

/** Builds the funnels; a missing indicator counts 0, a suppressed one null. */
export function unitFunnels(values: readonly IndicatorCounts[]): UnitFunnels {
	const of = (id: string, part: 'numerator' | 'denominator') => {
		const figures = values.find((v) => v.indicator === id);
		if (figures?.suppressed) return null;
		return figures?.[part] ?? 0;
	};
	return {
		registration: [
			{ key: 'registered', count: of('registration_coverage', 'numerator') },
			{ key: 'eligible', count: of('eligible', 'numerator') },
			// Eligible units enrolled at period end, and eligible units paid in the period.
			{ key: 'enrolled', count: of('enrolment_coverage', 'numerator') },
			{ key: 'received', count: of('effective_coverage', 'numerator') }
		],
		applications: [
			{ key: 'applications_received', count: of('applications_received', 'numerator') },
			{ key: 'decided', count: of('approval_rate', 'denominator') },
			{ key: 'approved', count: of('approval_rate', 'numerator') }
		],
		appeals: [
			{ key: 'appeals_lodged', count: of('appeals_rate', 'numerator') },
			{ key: 'appeals_closed', count: of('appeals_resolved_rate', 'denominator') },
			{ key: 'appeals_resolved', count: of('appeals_resolved_rate', 'numerator') }
		]
	};
}

/**
 * Each step's bar as a share of the funnel's largest count, so that bars compare truly even
 * when a later step outnumbers the first (all programmes together, eligible units, persons and
 * households summed over the programmes, outnumber the registered households); a suppressed
 * step has no bar.
 */
export function barShares(steps: readonly FunnelStep[]): number[] {
	const largest = Math.max(0, ...steps.map((step) => step.count ?? 0));
	return steps.map((step) => (largest > 0 && step.count !== null ? step.count / largest : 0));
}

/** Rank of a unit among its siblings, best first (ties share the better rank); null without value. */
export function rankAmong(
	code: string,
	siblings: readonly { code: string; value: number | null }[],
	higherIsBetter: boolean
): { rank: number; count: number } | null {
	const valued = siblings.filter((s) => s.value !== null);
	const own = valued.find((s) => s.code === code);
	if (!own) return null;
	const better = valued.filter((s) =>
		higherIsBetter ? s.value! > own.value! : s.value! < own.value!
	).length;
	return { rank: better + 1, count: valued.length };
}
