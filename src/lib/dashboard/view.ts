/**
 * The dashboard's view, read from and written to the URL: every choice on the map page lives
 * in the query string, so a copied link reopens the same view and the back button undoes a
 * drill-down. Pure functions, shared by the load function and the page.
 */
import {
	DISAGGREGATIONS,
	GROUP_VALUES,
	indicatorById,
	type Disaggregation,
	type IndicatorDefinition
} from '../indicators/catalogue';
import { CLASS_METHODS, MAX_CLASSES, MIN_CLASSES, type ClassMethod } from '../indicators/classify';

/** Levels the map can show: those with boundary layers (villages have none). */
export const MAP_LEVELS = ['province', 'district', 'commune'] as const;
export type MapLevel = (typeof MAP_LEVELS)[number];

/** The level of a map's parent unit (provinces sit in the nation). */
export const PARENT_LEVEL = {
	province: 'national',
	district: 'province',
	commune: 'district'
} as const;

/** The level drawn inside a unit of each level; communes are where the map stops. */
export const CHILD_LEVEL = {
	national: 'province',
	province: 'district',
	district: 'commune'
} as const;

/** Digits of the parent's code for each level below province (shared/domain.md §1). */
const PARENT_CODE_DIGITS = { district: 2, commune: 4 } as const;

/** Everything the map page shows, as the URL says it. */
export interface DashboardView {
	level: MapLevel;
	/** The parent unit's code (absent for the provinces of the nation). */
	code: string | null;
	indicator: IndicatorDefinition;
	programme: string | null;
	/** The period asked for, or null for the latest. */
	period: string | null;
	by: Disaggregation | null;
	group: string | null;
	method: ClassMethod;
	classes: number;
	/** Fixed thresholds in the indicator's display unit (80 for 80 %). */
	thresholds: number[];
	/** The unit whose panel is open (a child on the map), or null for the parent. */
	unit: string | null;
}

/** The view of a first visit. */
export const DEFAULT_VIEW = {
	indicator: 'registration_coverage',
	method: 'quantile',
	classes: 5
} as const;

/** A problem with the URL, said in a sentence for the page (HTTP 400). */
export class ViewError extends Error {}

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
	return (values as readonly string[]).includes(value);
}

/** Reads the view from the query string; throws ViewError naming the bad parameter. */
export function parseView(params: URLSearchParams): DashboardView {
	const level = params.get('level') ?? 'province';
	if (!oneOf(MAP_LEVELS, level)) {
		throw new ViewError(`Unknown level "${level}": expected one of ${MAP_LEVELS.join(', ')}.`);
	}
	let code: string | null = null;
	if (level !== 'province') {
		code = params.get('code');
		const digits = PARENT_CODE_DIGITS[level];
		if (code === null || !new RegExp(`^\\d{${digits}}$`).test(code)) {
			throw new ViewError(`A ${level} view needs code=<the ${digits}-digit code of its parent>.`);
		}
	}
	const indicatorId = params.get('indicator') ?? DEFAULT_VIEW.indicator;
	const indicator = indicatorById(indicatorId);
	if (!indicator || indicator.internal) {
		throw new ViewError(`Unknown indicator "${indicatorId}".`);
	}
	const period = params.get('period');
	if (period !== null && !/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$/.test(period)) {
		throw new ViewError(`Unknown period "${period}": expected YYYY, YYYY-Qn or YYYY-MM.`);
	}
	const programme = params.get('programme') || null;
	if (programme !== null && !/^[A-Za-z0-9_-]{1,40}$/.test(programme)) {
		throw new ViewError(`Unknown programme "${programme}".`);
	}
	const byParam = params.get('by') || null;
	let by: Disaggregation | null = null;
	let group: string | null = null;
	if (byParam !== null) {
		if (!oneOf(DISAGGREGATIONS, byParam) || !indicator.disaggregations.includes(byParam)) {
			throw new ViewError(`${indicator.name.en} cannot be split by "${byParam}".`);
		}
		by = byParam;
		// A group of another disaggregation (left by the form when `by` changed) falls back to
		// the first group of the new one rather than failing.
		const asked = params.get('group') ?? '';
		group = GROUP_VALUES[by].includes(asked) ? asked : GROUP_VALUES[by][0]!;
	}
	const method = params.get('classes') ?? DEFAULT_VIEW.method;
	if (!oneOf(CLASS_METHODS, method)) {
		throw new ViewError(
			`Unknown classification "${method}": expected ${CLASS_METHODS.join(', ')}.`
		);
	}
	const k = Number(params.get('k') ?? DEFAULT_VIEW.classes);
	if (!Number.isInteger(k) || k < MIN_CLASSES || k > MAX_CLASSES) {
		throw new ViewError(
			`k must be a whole number of classes from ${MIN_CLASSES} to ${MAX_CLASSES}.`
		);
	}
	const thresholdText = params.get('thresholds') ?? '';
	const thresholds = thresholdText
		.split(',')
		.filter((part) => part.trim() !== '')
		.map(Number);
	if (thresholds.some((t) => !Number.isFinite(t))) {
		throw new ViewError(`thresholds must be numbers separated by commas, e.g. 50,80.`);
	}
	// Choosing "fixed" in the form comes without thresholds yet: a rate starts at the usual
	// target of 80 % (the example); other units show one class until a threshold is set.
	if (method === 'fixed' && thresholds.length === 0 && indicator.unit === '%') thresholds.push(80);
	const unit = params.get('unit') || null;
	if (unit !== null && !/^\d{2,8}$/.test(unit)) throw new ViewError(`Unknown unit "${unit}".`);
	return {
		level,
		code,
		indicator,
		programme: indicator.perProgramme ? programme : null,
		period,
		by,
		group,
		method,
		classes: k,
		thresholds,
		unit
	};
}

/** The query string of a view; defaults are left out so links stay short. */
export function viewSearch(view: DashboardView): string {
	const params = new URLSearchParams();
	if (view.level !== 'province') params.set('level', view.level);
	if (view.code) params.set('code', view.code);
	if (view.indicator.id !== DEFAULT_VIEW.indicator) params.set('indicator', view.indicator.id);
	if (view.programme) params.set('programme', view.programme);
	if (view.period) params.set('period', view.period);
	if (view.by) params.set('by', view.by);
	if (view.by && view.group) params.set('group', view.group);
	if (view.method !== DEFAULT_VIEW.method) params.set('classes', view.method);
	if (view.classes !== DEFAULT_VIEW.classes) params.set('k', String(view.classes));
	if (view.thresholds.length) params.set('thresholds', view.thresholds.join(','));
	if (view.unit) params.set('unit', view.unit);
	const search = params.toString();
	return search ? `?${search}` : '';
}

/** The view of a unit's children (a drill-down), keeping every other choice. */
export function childView(view: DashboardView, code: string): DashboardView {
	// Communes have no polygons below them: choosing one opens its panel and villages.
	if (view.level === 'commune') return { ...view, unit: code };
	return { ...view, level: CHILD_LEVEL[view.level], code, unit: null };
}

/** The view listing the children of an ancestor (the breadcrumb's links). */
export function ancestorView(
	view: DashboardView,
	ancestor: { code: string; level: 'national' | 'province' | 'district' }
): DashboardView {
	if (ancestor.level === 'national') return { ...view, level: 'province', code: null, unit: null };
	return { ...view, level: CHILD_LEVEL[ancestor.level], code: ancestor.code, unit: null };
}

/** Scales a threshold in display units to the stored value (80 % is stored as 0.8). */
export function thresholdValue(indicator: IndicatorDefinition, threshold: number): number {
	return indicator.unit === '%' ? threshold / 100 : threshold;
}
