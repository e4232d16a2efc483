/**
 * Before and after the opening of a unit's SSDM office: the indicator's value over the months
 * before the opening month and over the months from it on, each as the ratio of the summed
 * numerators and denominators (domain.md §5: never an average of monthly rates).
 */

/** A month's numerator and denominator. */
export interface MonthlyCounts {
	period: string;
	numerator: number | null;
	denominator: number | null;
}

/** A window's summed counts and their ratio (null when nothing was counted). */
export interface WindowValue {
	months: number;
	numerator: number;
	denominator: number;
	value: number | null;
}

/** Months compared on each side of the opening: half a year, long enough to smooth seasons out. */
export const BEFORE_AFTER_MONTHS = 6;

function sum(points: readonly MonthlyCounts[]): WindowValue {
	let numerator = 0;
	let denominator = 0;
	for (const p of points) {
		numerator += p.numerator ?? 0;
		denominator += p.denominator ?? 0;
	}
	return {
		months: points.length,
		numerator,
		denominator,
		value: denominator > 0 ? numerator / denominator : null
	};
}

/**
 * The windows before and after `openingMonth` (`YYYY-MM`) in a monthly series, up to
 * `window` months each; the opening month counts as "after". Null when the series has no
 * month on one side.
 */
export function beforeAfter(
	points: readonly MonthlyCounts[],
	openingMonth: string,
	window = BEFORE_AFTER_MONTHS
): { before: WindowValue; after: WindowValue } | null {
	const months = [...points].sort((a, b) => a.period.localeCompare(b.period));
	const before = months.filter((p) => p.period < openingMonth).slice(-window);
	const after = months.filter((p) => p.period >= openingMonth).slice(0, window);
	if (before.length === 0 || after.length === 0) return null;
	return { before: sum(before), after: sum(after) };
}
