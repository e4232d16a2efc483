/**
 * The indicator API's request handling (`GET /api/indicators/{id}`): validates the query
 * string with a schema and answers with stored rows, or a 400/404 that says what was wrong.
 */
import { z } from 'zod';
import { stringify } from 'csv-stringify/sync';
import {
	CATALOGUE,
	DISAGGREGATIONS,
	GROUP_VALUES,
	indicatorById,
	INDICATOR_ROW_COLUMNS,
	LEVELS,
	PERSON_ONLY_GROUPS,
	type Disaggregation,
	type IndicatorDefinition
} from '../../indicators/catalogue';
import { latestCompleteMonth, parsePeriod } from '../../indicators/periods';
import { ApiError } from './errors';
import { describePeriods, isAbove, type IndicatorRow } from './query';
import type { IndicatorSource } from './source';

export { ApiError };

/** `period`: a month, quarter or year label. */
export const PERIOD_PARAM = z
	.string()
	.refine((p) => parsePeriod(p) !== undefined, 'period must be YYYY-MM, YYYY-Qn or YYYY');

/** `programme`: a programme code as the import contract allows it. */
export const PROGRAMME_PARAM = z
	.string()
	.regex(/^[A-Za-z0-9_-]{1,40}$/, 'programme must be a programme code');

const QUERY = z
	.object({
		level: z.enum(LEVELS).default('province'),
		parent: z
			.string()
			.regex(/^(KH|\d{2}|\d{4}|\d{6})$/, 'parent must be KH or a 2-, 4- or 6-digit NCDD code')
			.optional(),
		period: PERIOD_PARAM.optional(),
		programme: PROGRAMME_PARAM.optional(),
		by: z.enum(DISAGGREGATIONS).optional(),
		format: z.enum(['json', 'csv']).optional()
	})
	.strict();

/** Parses a query string with a strict object schema, or throws a 400 naming the first problem. */
export function parseQueryWith<Shape extends z.ZodRawShape>(
	schema: z.ZodObject<Shape>,
	params: URLSearchParams
): z.infer<z.ZodObject<Shape>> {
	const parsed = schema.safeParse(Object.fromEntries(params));
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0]!;
	const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
	throw new ApiError(
		400,
		issue.code === 'unrecognized_keys'
			? `unknown parameter ${issue.keys.join(', ')} (expected ${Object.keys(schema.shape).join(', ')})`
			: `${where}${issue.message}`
	);
}

/** Checks `programme` and `by` against the indicator and the programmes table. */
export async function checkProgrammeAndGroup(
	source: IndicatorSource,
	indicator: IndicatorDefinition,
	programmeCode: string | undefined,
	by: Disaggregation | undefined
) {
	let unit: string | undefined;
	if (programmeCode) {
		if (!indicator.perProgramme) {
			throw new ApiError(400, `${indicator.id} is not computed per programme: omit programme`);
		}
		const programme = (await source.programmes()).find((p) => p.code === programmeCode);
		if (!programme) throw new ApiError(404, `unknown programme ${programmeCode}`);
		unit = programme.unit;
	}
	if (!by) return;
	if (!indicator.disaggregations.includes(by)) {
		const allowed = indicator.disaggregations;
		throw new ApiError(
			400,
			`${indicator.id} cannot be split by ${by}` +
				(allowed.length ? ` (it can by ${allowed.join(', ')})` : ' (it has no disaggregations)')
		);
	}
	if (PERSON_ONLY_GROUPS.includes(by) && unit !== 'person') {
		throw new ApiError(
			400,
			programmeCode
				? `by=${by} needs a person programme: ${programmeCode} counts households`
				: `by=${by} needs a person programme: give programme=`
		);
	}
}

/** Answers `GET /api/indicators/{id}?level=&parent=&period=&programme=&by=`. */
export async function getIndicatorRows(
	source: IndicatorSource,
	indicatorId: string,
	params: URLSearchParams,
	today = new Date().toISOString().slice(0, 10)
): Promise<IndicatorRow[]> {
	const indicator = indicatorById(indicatorId);
	if (!indicator) throw new ApiError(404, `unknown indicator ${indicatorId}`);
	const query = parseQueryWith(QUERY, params);
	const { level, parent: parentCode, period = latestCompleteMonth(today) } = query;
	const lowest = indicator.lowestLevel ?? 'village';
	if (isAbove(lowest, level)) {
		throw new ApiError(400, `${indicator.id} has no values below ${lowest} level`);
	}
	const parent = parentCode ? await source.findUnit(parentCode) : undefined;
	if (parentCode && !parent) throw new ApiError(404, `unknown geographic unit ${parentCode}`);
	if (parent && !isAbove(parent.level, level)) {
		throw new ApiError(
			400,
			`parent ${parent.code} is a ${parent.level}: it has no ${level} below it`
		);
	}
	await checkProgrammeAndGroup(source, indicator, query.programme, query.by);
	if (query.by && level === 'village') {
		throw new ApiError(400, `by=${query.by} is available from commune level up, not for villages`);
	}
	if (isAbove(source.lowestLevel, level)) {
		throw new ApiError(404, `${level} figures are not published: public figures stop at communes`);
	}
	const periods = await source.periods();
	if (!periods.includes(period)) {
		throw new ApiError(
			404,
			periods.length
				? `no values for period ${period}: computed are ${describePeriods(periods)}`
				: `no values for period ${period}: run npm run refresh`
		);
	}
	return source.values({
		indicator,
		level,
		parent,
		period,
		programme: query.programme,
		by: query.by ? { name: query.by, values: GROUP_VALUES[query.by] } : undefined
	});
}

/**
 * The same rows as CSV (`?format=csv`); empty cells for nulls, never 0; `true`/`false` for the
 * suppression flag, as in the release files.
 */
export function indicatorRowsCsv(rows: readonly IndicatorRow[]): string {
	return stringify(
		rows.map((r) => INDICATOR_ROW_COLUMNS.map((c) => String(r[c] ?? ''))),
		{ header: true, columns: [...INDICATOR_ROW_COLUMNS] }
	);
}

/** The catalogue as `GET /api/indicators` serves it. */
export function catalogueResponse() {
	return CATALOGUE;
}
