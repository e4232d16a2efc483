/**
 * An exploration in the page's URL, so a link reopens the same view: `?level=commune&
 * indicator=registration_coverage&period=2026-10&rows=province`. Pure, both ways.
 *
 * `*` stands for "each" (a period, programme or group left unpinned: a dimension), and a period
 * left out means the latest of its kind, found once the dataset is loaded.
 */
import { RELEASE_LEVELS, type ReleaseLevel } from '../releases/schema';
import {
	DIMENSIONS,
	MEASURES,
	ORDERS,
	PERIOD_KINDS,
	type Dimension,
	type Exploration
} from './query-builder';

/** The period value that means "the latest period of the kind in the dataset". */
export const LATEST_PERIOD = '';

/** "Each" in the URL. */
const EACH = '*';

/** The first view: small enough to load on any connection, grouped by its own units. */
export const DEFAULT_EXPLORATION: Exploration = {
	level: 'province',
	indicator: 'registration_coverage',
	periodKind: 'month',
	period: LATEST_PERIOD,
	programme: '',
	groupBy: '',
	groupValue: '',
	province: null,
	district: null,
	rows: ['unit'],
	pivot: null,
	measure: 'rate',
	order: 'value_desc',
	limit: 100
};

/** The rows a dataset is first grouped by: provinces, or each unit of a province dataset. */
export function defaultRows(level: ReleaseLevel): Dimension[] {
	return level === 'district' || level === 'commune' ? ['province'] : ['unit'];
}

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
	return (values as readonly string[]).includes(value ?? '') ? (value as T) : fallback;
}

/** Codes, ids and periods: short tokens only, so a crafted link cannot smuggle anything odd. */
function token(value: string | null): string | null {
	return value !== null && /^[A-Za-z0-9_.-]{1,40}$/.test(value) ? value : null;
}

/** Reads an exploration from a query string; anything missing or malformed takes its default. */
export function explorationFromParams(params: URLSearchParams): Exploration {
	const d = DEFAULT_EXPLORATION;
	const level = oneOf(RELEASE_LEVELS, params.get('level'), d.level);
	const each = (name: string, fallback: string) => {
		const value = params.get(name);
		return value === EACH ? null : (token(value) ?? fallback);
	};
	const rows = params.has('rows')
		? (params.get('rows') ?? '')
				.split(',')
				.filter((r): r is Dimension => (DIMENSIONS as readonly string[]).includes(r))
		: defaultRows(level);
	const pivot = params.get('pivot');
	const limit = Number(params.get('limit') ?? d.limit);
	return {
		level,
		indicator: token(params.get('indicator')) ?? d.indicator,
		periodKind: oneOf(PERIOD_KINDS, params.get('kind'), d.periodKind),
		period: each('period', LATEST_PERIOD),
		programme: each('programme', ''),
		groupBy: token(params.get('by')) ?? '',
		groupValue: each('group', ''),
		province: token(params.get('province')),
		district: token(params.get('district')),
		rows,
		pivot: (DIMENSIONS as readonly string[]).includes(pivot ?? '') ? (pivot as Dimension) : null,
		measure: oneOf(MEASURES, params.get('measure'), d.measure),
		order: oneOf(ORDERS, params.get('order'), d.order),
		limit: Number.isInteger(limit) && limit > 0 ? limit : d.limit
	};
}

/** The query string of an exploration (values equal to "all" or "everyone" left out). */
export function explorationParams(exploration: Exploration): URLSearchParams {
	const params = new URLSearchParams();
	const each = (value: string | null) => (value === null ? EACH : value);
	params.set('level', exploration.level);
	params.set('indicator', exploration.indicator);
	params.set('kind', exploration.periodKind);
	if (exploration.period !== LATEST_PERIOD) params.set('period', each(exploration.period));
	if (exploration.programme !== '') params.set('programme', each(exploration.programme));
	if (exploration.groupBy) {
		params.set('by', exploration.groupBy);
		params.set('group', each(exploration.groupValue));
	}
	if (exploration.province) params.set('province', exploration.province);
	if (exploration.district) params.set('district', exploration.district);
	params.set('rows', exploration.rows.join(','));
	if (exploration.pivot) params.set('pivot', exploration.pivot);
	params.set('measure', exploration.measure);
	params.set('order', exploration.order);
	params.set('limit', String(exploration.limit));
	return params;
}
