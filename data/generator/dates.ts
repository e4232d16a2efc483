/**
 * Calendar helpers on day numbers (whole days since 1970-01-01, UTC). Integers compare and
 * subtract cheaply and fit in typed arrays; formatting is cached because the same few
 * thousand dates are written millions of times.
 */

const MS_PER_DAY = 86_400_000;

/** Day number of a calendar date (month 1–12). */
export function dayFromYmd(year: number, month: number, day: number): number {
	return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

const ymdCache = new Map<number, number>();

/** Year, month (1–12) and day of a day number. */
export function ymd(day: number): [number, number, number] {
	let packed = ymdCache.get(day);
	if (packed === undefined) {
		const d = new Date(day * MS_PER_DAY);
		packed = d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
		ymdCache.set(day, packed);
	}
	return [Math.floor(packed / 10_000), Math.floor(packed / 100) % 100, packed % 100];
}

const formatCache = new Map<number, string>();

/** `YYYY-MM-DD`. */
export function formatDay(day: number): string {
	let text = formatCache.get(day);
	if (text === undefined) {
		const [y, m, d] = ymd(day);
		text = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
		formatCache.set(day, text);
	}
	return text;
}

/** Day number of a strict `YYYY-MM-DD` that is a real calendar date, else null. */
export function parseDay(text: string): number | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return null;
	const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
	if (m < 1 || m > 12 || d < 1 || d > 31) return null;
	const day = dayFromYmd(y, m, d);
	const [yy, mm, dd] = ymd(day);
	return yy === y && mm === m && dd === d ? day : null;
}

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Completed years of age on `at` of someone born on `birth` (negative before birth). */
export function ageAt(birth: number, at: number): number {
	const [by, bm, bd] = ymd(birth);
	const [y, m, d] = ymd(at);
	return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The day someone born on `birth` turns `years` old, consistent with `ageAt`: a 29 February
 * birthday falls on 1 March in common years.
 */
export function birthdayAt(birth: number, years: number): number {
	const [y, m, d] = ymd(birth);
	if (m === 2 && d === 29 && !isLeapYear(y + years)) return dayFromYmd(y + years, 3, 1);
	return dayFromYmd(y + years, m, d);
}

/** Month index (year × 12 + month − 1) of a day number. */
export function monthOf(day: number): number {
	const [y, m] = ymd(day);
	return y * 12 + m - 1;
}

/** First day of a month index. */
export function monthStart(month: number): number {
	return dayFromYmd(Math.floor(month / 12), (month % 12) + 1, 1);
}

/** Last day of a month index. */
export function monthEnd(month: number): number {
	return monthStart(month + 1) - 1;
}

/** Calendar month (1–12) of a month index. */
export function calendarMonth(month: number): number {
	return (month % 12) + 1;
}

/** `YYYY-MM` of a month index. */
export function formatMonth(month: number): string {
	return `${Math.floor(month / 12)}-${pad2((month % 12) + 1)}`;
}

/** Today's local calendar date as `YYYY-MM-DD` (the default "current date" of the simulation). */
export function todayIso(now = new Date()): string {
	return `${now.getFullYear()}-${pad2(now.getMonth() + 1)}-${pad2(now.getDate())}`;
}

function pad2(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}
