/**
 * The indicator API's request handling (`GET /api/indicators/{id}`): validates the query
 * string with a schema and answers with stored rows, or a 400/404 that says what was wrong.
 */
import { z } from 'zod';
import { stringify } from 'csv-stringify/sync';
import { CATALOGUE, indicatorById, LEVELS } from '../../indicators/catalogue';
import { latestCompleteMonth, parsePeriod } from '../../indicators/periods';
import type { Db } from '../db';
import { findUnit } from '../registry/geo-units';
import { isAbove, listIndicatorValues, type IndicatorRow } from './query';
import { COMPUTED_INDICATORS } from './refresh';

/** An answer the route turns into an HTTP error. */
export class ApiError extends Error {
	constructor(
		readonly status: 400 | 404 | 501,
		message: string
	) {
		super(message);
	}
}

const QUERY = z
	.object({
		level: z.enum(LEVELS).default('province'),
		parent: z
			.string()
			.regex(/^(KH|\d{2}|\d{4}|\d{6})$/, 'parent must be KH or a 2-, 4- or 6-digit NCDD code')
			.optional(),
		period: z
			.string()
			.refine((p) => parsePeriod(p) !== undefined, 'period must be YYYY-MM, YYYY-Qn or YYYY')
			.optional(),
		format: z.enum(['json', 'csv']).optional()
	})
	.strict();

/** Answers `GET /api/indicators/{id}?level=&parent=&period=`. */
export async function getIndicatorRows(
	db: Db,
	indicatorId: string,
	params: URLSearchParams,
	today = new Date().toISOString().slice(0, 10)
): Promise<IndicatorRow[]> {
	const indicator = indicatorById(indicatorId);
	if (!indicator) throw new ApiError(404, `unknown indicator ${indicatorId}`);
	if (!COMPUTED_INDICATORS.includes(indicatorId)) {
		throw new ApiError(501, `${indicatorId} is in the catalogue but not computed yet`);
	}
	const parsed = QUERY.safeParse(Object.fromEntries(params));
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
		const message =
			issue.code === 'unrecognized_keys'
				? `unknown parameter ${issue.keys.join(', ')} (expected level, parent, period, format)`
				: `${where}${issue.message}`;
		throw new ApiError(400, message);
	}
	const { level, parent: parentCode, period = latestCompleteMonth(today) } = parsed.data;
	const parent = parentCode ? await findUnit(db, parentCode) : undefined;
	if (parentCode && !parent) throw new ApiError(404, `unknown geographic unit ${parentCode}`);
	if (parent && !isAbove(parent.level, level)) {
		throw new ApiError(
			400,
			`parent ${parent.code} is a ${parent.level}: it has no ${level} below it`
		);
	}
	const rows = await listIndicatorValues(db, { indicatorId, level, parent, period });
	if (rows.length === 0 && !parent) {
		throw new ApiError(
			404,
			`no values of ${indicatorId} for period ${period}: run npm run refresh`
		);
	}
	return rows;
}

const CSV_COLUMNS = [
	'code',
	'name_en',
	'name_km',
	'period',
	'numerator',
	'denominator',
	'value'
] as const;

/** The same rows as CSV (`?format=csv`); empty cells for nulls, never 0. */
export function indicatorRowsCsv(rows: readonly IndicatorRow[]): string {
	return stringify(
		rows.map((r) => CSV_COLUMNS.map((c) => r[c] ?? '')),
		{ header: true, columns: [...CSV_COLUMNS] }
	);
}

/** The catalogue as `GET /api/indicators` serves it, with what is computed so far. */
export function catalogueResponse() {
	return CATALOGUE.map((indicator) => ({
		...indicator,
		computed: COMPUTED_INDICATORS.includes(indicator.id)
	}));
}
