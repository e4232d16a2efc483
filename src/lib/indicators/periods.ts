/**
 * Reporting periods (`shared/domain.md` §5): months `2025-03`, quarters `2025-Q1` and years
 * `2025`. Stock indicators are measured at a period's last day.
 */

/** A period with its label and first and last days (`YYYY-MM-DD`). */
/**
 * A day before every period (`YYYY-MM-DD`): what an import touches "from" when its rows change
 * how every earlier record counts, so that every computed period is recomputed.
 */
export const BEFORE_EVERY_PERIOD = '0001-01-01';

export interface Period {
	label: string;
	kind: 'month' | 'quarter' | 'year';
	start: string;
	end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function lastDayOfMonth(year: number, month: number): string {
	// Day 0 of the next month is the last day of this one.
	const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
	return `${year}-${pad(month)}-${pad(day)}`;
}

/** Parses a period label; returns undefined when it is not one. */
export function parsePeriod(label: string): Period | undefined {
	let match = /^(\d{4})-(\d{2})$/.exec(label);
	if (match) {
		const [year, month] = [Number(match[1]), Number(match[2])];
		if (month < 1 || month > 12) return undefined;
		return {
			label,
			kind: 'month',
			start: `${year}-${pad(month)}-01`,
			end: lastDayOfMonth(year, month)
		};
	}
	match = /^(\d{4})-Q([1-4])$/.exec(label);
	if (match) {
		const [year, quarter] = [Number(match[1]), Number(match[2])];
		const first = (quarter - 1) * 3 + 1;
		return {
			label,
			kind: 'quarter',
			start: `${year}-${pad(first)}-01`,
			end: lastDayOfMonth(year, first + 2)
		};
	}
	match = /^(\d{4})$/.exec(label);
	if (match) return { label, kind: 'year', start: `${label}-01-01`, end: `${label}-12-31` };
	return undefined;
}

/** The month label of a `YYYY-MM-DD` date shifted by `offset` months. */
export function monthOf(date: string, offset = 0): string {
	const [year, month] = date.split('-').map(Number) as [number, number];
	const index = year * 12 + (month - 1) + offset;
	return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** The latest complete month before `today` (`YYYY-MM-DD`). */
export function latestCompleteMonth(today: string): string {
	return monthOf(today, -1);
}

/** The quarter label (`2025-Q1`) of a month label (`2025-03`). */
export function quarterOf(month: string): string {
	return `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
}

/**
 * The periods a refresh computes: every year from `firstYear` to the current one (the
 * current year to date), the last `months` complete months, and the complete quarters among
 * them. Older months and quarters are not kept: the yearly figures cover them.
 */
export function refreshPeriods(today: string, firstYear: number, months = 12): Period[] {
	const labels: string[] = [];
	const currentYear = Number(today.slice(0, 4));
	for (let year = Math.min(firstYear, currentYear); year <= currentYear; year++)
		labels.push(String(year));
	const monthLabels: string[] = [];
	for (let i = months; i >= 1; i--) monthLabels.push(monthOf(today, -i));
	// A quarter is complete when its last month is.
	for (const month of monthLabels)
		if (Number(month.slice(5, 7)) % 3 === 0) labels.push(quarterOf(month));
	labels.push(...monthLabels);
	return labels.map((label) => parsePeriod(label)!);
}
