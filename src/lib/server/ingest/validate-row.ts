/**
 * Row-level rules of the import contract (`shared/domain.md` §3) that need nothing but the
 * row itself: required values, types, enums, real dates, dates in the future, date order,
 * code levels, ages and programme targets. Rules that need the registry (references, a person
 * in another household) run in SQL on the staged rows; see `import-file.ts`.
 */
import { parseTarget, TargetSyntaxError } from '../../indicators/target';
import { CODE_LENGTH, type ColumnSpec, type FeedSpec, type GeoLevel } from './feeds';

/** The first broken rule of a row. */
export interface RowError {
	column: string;
	error: string;
}

/** A row's values in the feed's column order (null = empty), or the rule it broke. */
export type RowResult = { ok: true; values: (string | null)[] } | ({ ok: false } & RowError);

/** Everything a rule may depend on besides the row. */
export interface ValidationContext {
	/** `YYYY-MM-DD` of the import: later dates are in the future. */
	today: string;
}

// Oldest credible age of a registry member (§3: "a member whose age is … over 120").
const MAX_AGE_YEARS = 120;

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

const LEVEL_BY_LENGTH = new Map<number, GeoLevel>(
	Object.entries(CODE_LENGTH).map(([level, length]) => [length, level as GeoLevel])
);

/** Which level an office's `geo_code` must be at, by the office's `level`. */
const OFFICE_GEO_LEVEL: Record<string, GeoLevel> = {
	commune_front: 'commune',
	district_back: 'district',
	province_back: 'province'
};

// Character codes of '0' and '-', for the date scanners below (hot path: one call per date cell).
const ZERO = 48;
const DASH = 45;

/** The number written by `count` ASCII digits of `value` from `start`, or -1 if one is not a digit. */
function digits(value: string, start: number, count: number): number {
	let n = 0;
	for (let i = start; i < start + count; i++) {
		const d = value.charCodeAt(i) - ZERO;
		if (d < 0 || d > 9) return -1;
		n = n * 10 + d;
	}
	return n;
}

/** Year, month and day of a string written `YYYY-MM-DD` (any digits), else undefined. */
function dateParts(value: string): [number, number, number] | undefined {
	if (value.length !== 10 || value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH) {
		return undefined;
	}
	const [year, month, day] = [digits(value, 0, 4), digits(value, 5, 2), digits(value, 8, 2)];
	return year < 0 || month < 0 || day < 0 ? undefined : [year, month, day];
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether year-month-day is a real date of the proleptic Gregorian calendar (as `Date` has it). */
function isRealDay(year: number, month: number, day: number): boolean {
	// `Date.UTC` reads years 0–99 as 1900–1999, so this validator always refused them.
	if (year < 100 || month < 1 || month > 12 || day < 1) return false;
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** True when `value` is a real calendar date written `YYYY-MM-DD`. */
export function isRealDate(value: string): boolean {
	const parts = dateParts(value);
	return parts !== undefined && isRealDay(...parts);
}

/** Whole years between two `YYYY-MM-DD` dates (negative when `on` precedes `birth`). */
export function ageInYears(birth: string, on: string): number {
	const [by, bm, bd] = [
		Number(birth.slice(0, 4)),
		Number(birth.slice(5, 7)),
		Number(birth.slice(8, 10))
	];
	const [oy, om, od] = [Number(on.slice(0, 4)), Number(on.slice(5, 7)), Number(on.slice(8, 10))];
	let age = oy - by;
	if (om < bm || (om === bm && od < bd)) age -= 1;
	return age;
}

function checkGeoCode(value: string, expected: GeoLevel | 'any'): string | undefined {
	if (!/^\d+$/.test(value)) return `"${value}" is not a geographic code (digits only)`;
	const level = LEVEL_BY_LENGTH.get(value.length);
	if (!level) {
		return `"${value}" is not a geographic code: ${value.length} digits (province 2, district 4, commune 6, village 8)`;
	}
	if (expected !== 'any' && level !== expected) {
		return `code at the wrong level: ${value} is a ${level} code, expected a ${expected} code (${CODE_LENGTH[expected]} digits)`;
	}
	return undefined;
}

function checkValue(
	column: ColumnSpec,
	value: string,
	row: Record<string, string>,
	context: ValidationContext
): string | undefined {
	const type = column.type;
	switch (type.kind) {
		case 'text':
			return undefined;
		case 'geo': {
			const expected = type.level === 'office' ? OFFICE_GEO_LEVEL[row.level ?? ''] : type.level;
			// An office with a bad level is reported on its `level` column instead.
			return expected ? checkGeoCode(value, expected) : undefined;
		}
		case 'date': {
			const parts = dateParts(value);
			if (!parts) return `"${value}" is not a date written YYYY-MM-DD`;
			if (!isRealDay(...parts)) return `${value} is not a real date`;
			if (value > context.today) return `${value} is in the future`;
			return undefined;
		}
		case 'month': {
			const match = MONTH_PATTERN.exec(value);
			if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
				return `"${value}" is not a month written YYYY-MM`;
			}
			if (value > context.today.slice(0, 7)) return `${value} is in the future`;
			return undefined;
		}
		case 'int':
			if (!/^-?\d+$/.test(value)) return `"${value}" is not a whole number`;
			if (type.min !== undefined && Number(value) < type.min) {
				return `${value} is below the minimum of ${type.min}`;
			}
			return undefined;
		case 'number':
			return /^-?\d+(\.\d+)?$/.test(value) ? undefined : `"${value}" is not a number`;
		case 'yesno':
			return value === 'yes' || value === 'no'
				? undefined
				: `bad value "${value}": expected yes or no`;
		case 'enum':
			return type.values.includes(value)
				? undefined
				: `bad value "${value}": expected one of ${type.values.join(', ')}`;
	}
}

/** Feed-specific rules on a row whose columns are individually valid. */
function checkFeedRules(
	feed: FeedSpec,
	row: Record<string, string>,
	context: ValidationContext
): RowError | undefined {
	for (const [later, earlier] of feed.dateOrder) {
		const [a, b] = [row[later], row[earlier]];
		if (a && b && a < b) return { column: later, error: `${later} ${a} is before ${earlier} ${b}` };
	}
	if (feed.name === 'members') {
		const age = ageInYears(row.birth_date!, context.today);
		if (age > MAX_AGE_YEARS) {
			return { column: 'birth_date', error: `age ${age} is over ${MAX_AGE_YEARS} years` };
		}
	}
	if (feed.name === 'programmes') {
		try {
			parseTarget(row.target!);
		} catch (error) {
			if (error instanceof TargetSyntaxError) {
				return { column: 'target', error: `invalid target: ${error.message}` };
			}
			throw error;
		}
	}
	return undefined;
}

/**
 * Validates one row (keys are the feed's column names; absent or blank cells are empty) and
 * returns its values in column order, trimmed, with `yes`/`no` as `true`/`false`.
 */
export function validateRow(
	feed: FeedSpec,
	row: Record<string, string>,
	context: ValidationContext
): RowResult {
	const values: (string | null)[] = [];
	for (const column of feed.columns) {
		const value = row[column.name] ?? '';
		if (value === '') {
			if (column.required)
				return { ok: false, column: column.name, error: `${column.name} is empty` };
			values.push(null);
			continue;
		}
		const error = checkValue(column, value, row, context);
		if (error) return { ok: false, column: column.name, error };
		values.push(column.type.kind === 'yesno' ? String(value === 'yes') : value);
	}
	// A future birth date is already rejected as a date in the future, so ages are never negative.
	const feedError = checkFeedRules(feed, row, context);
	if (feedError) return { ok: false, ...feedError };
	return { ok: true, values };
}
