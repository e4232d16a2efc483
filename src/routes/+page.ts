/**
 * The map page. What it shows comes from the URL alone (see `$lib/dashboard/view`), so every
 * view has an address to share and the back button goes up a level. The map's rows are awaited;
 * the unit panel's figures and trends stream in after, so a drill-down draws without them.
 */
import { browser } from '$app/environment';
import { error } from '@sveltejs/kit';
import type { IndicatorRow, SeriesPoint } from '$lib/indicators/catalogue';
import { describeFailedResponse } from '$lib/api-errors';
import { PARENT_LEVEL, parseView, ViewError, type DashboardView } from '$lib/dashboard/view';
import { parsePeriod } from '$lib/indicators/periods';
import { indicatorById } from '$lib/indicators/catalogue';
import { HEADLINE_INDICATORS } from '$lib/dashboard/funnels';
import { fetchLayer } from '$lib/map/ChoroplethMap.svelte';
import type { SvgLayer } from '$lib/map/svg-layer';
import { fetchBatch } from '$lib/batch';
import type { PageLoad } from './$types';

/** A unit as `/api/geo/units/{code}` lists it among the ancestors. */
export interface UnitRef {
	code: string;
	level: 'national' | 'province' | 'district' | 'commune' | 'village';
	name_en: string;
	name_km: string;
}

/** The answer of `GET /api/geo/units/{code}`. */
interface GeoUnit extends UnitRef {
	parent_code: string | null;
	/** From the nation down to the parent. */
	ancestors: UnitRef[];
}

/** A programme as `/api/programmes` lists it. */
export interface ProgrammeChoice {
	code: string;
	name_en: string;
	name_km: string;
	unit: 'household' | 'person';
}

/** One indicator of a unit, as `/api/units/{code}/values` lists it. */
export interface UnitValue {
	indicator: string;
	programme: string | null;
	numerator: number | null;
	denominator: number | null;
	value: number | null;
	/** Withheld by disclosure control (public figures): the numbers are null. */
	suppressed: boolean;
}

export type { SeriesPoint };

const NATION: UnitRef = { code: 'KH', level: 'national', name_en: 'Cambodia', name_km: 'កម្ពុជា' };

export type Fetched<T> = { ok: true; body: T } | { ok: false; problem: string; status: number };

/** Reads a response's JSON, or turns its failure into a sentence for the page. */
async function readJson<T>(response: Response, what: string): Promise<Fetched<T>> {
	if (response.ok) return { ok: true, body: (await response.json()) as T };
	return {
		ok: false,
		status: response.status,
		problem: await describeFailedResponse(response, what)
	};
}

function networkFailure(failure: unknown, what: string): Fetched<never> {
	const reason = failure instanceof Error ? failure.message : String(failure);
	return { ok: false, status: 0, problem: `${what} could not be loaded (${reason}).` };
}

/** Fetches JSON, turning an HTTP or network failure into a sentence for the page. */
async function fetchJson<T>(
	fetch: typeof globalThis.fetch,
	url: string,
	what: string
): Promise<Fetched<T>> {
	try {
		return await readJson<T>(await fetch(url), what);
	} catch (failure) {
		return networkFailure(failure, what);
	}
}

/** What the unit panel shows (see `startPanel`). */
export interface Panel {
	values: Promise<Fetched<{ values: UnitValue[]; first_office_opened: string | null }>>;
	series: Promise<Fetched<SeriesPoint[]>>;
	/** Series of the headline indicators for the panel's unit, by indicator id. */
	headlines: Promise<Record<string, SeriesPoint[]>>;
	villages: Promise<Fetched<IndicatorRow[]>> | null;
}

/**
 * Fetches the unit panel's figures, trends and village rows in one `/batch` request: one
 * request per drill-down instead of seven, which on a slow mobile link queued behind each
 * other and in front of the next view's map data.
 */
function startPanel(
	fetch: typeof globalThis.fetch,
	urls: { values: string; series: string; headlines: [string, string][]; villages: string | null }
): Panel {
	const asked: [string, string][] = [
		[urls.values, 'The unit figures'],
		[urls.series, 'The trend'],
		...urls.headlines.map(([id, url]): [string, string] => [url, id]),
		...(urls.villages ? [[urls.villages, 'Village figures'] as [string, string]] : [])
	];
	const answers: Promise<Fetched<unknown>[]> = fetchBatch(
		fetch,
		asked.map(([url]) => url)
	).then(
		(responses) => Promise.all(responses.map((response, i) => readJson(response, asked[i]![1]))),
		(failure: unknown) => asked.map(([, what]) => networkFailure(failure, what))
	);
	const answer = <T>(index: number) => answers.then((all) => all[index] as Fetched<T>);
	const headlinesFrom = 2;
	return {
		values: answer(0),
		series: answer(1),
		headlines: answers.then((all) =>
			Object.fromEntries(
				urls.headlines.map(([id], i) => {
					const points = all[headlinesFrom + i] as Fetched<SeriesPoint[]>;
					return [id, points.ok ? points.body : []];
				})
			)
		),
		villages: urls.villages ? answer(headlinesFrom + urls.headlines.length) : null
	};
}

// Whether the next load in the browser is the page's first view (the hydration of the server's).
let firstViewInBrowser = true;

// The programme and period lists change only with an import or a refresh: in the browser they
// are fetched once per page visit, not on every drill-down (on the server, nothing is kept
// between requests).
let choicesInBrowser: Promise<[Fetched<ProgrammeChoice[]>, Fetched<string[]>]> | undefined;

function loadChoices(fetch: typeof globalThis.fetch) {
	const load = () =>
		Promise.all([
			fetchJson<ProgrammeChoice[]>(fetch, '/api/programmes', 'The programme list'),
			fetchJson<string[]>(fetch, '/api/periods', 'The period list')
		]);
	if (!browser) return load();
	choicesInBrowser ??= load().then((choices) => {
		if (!choices.every((c) => c.ok)) choicesInBrowser = undefined; // retry next time
		return choices;
	});
	return choicesInBrowser;
}

/** The indicator API's query for the view at a period. */
function indicatorQuery(
	view: DashboardView,
	period: string | null,
	level: string,
	parent: string | null
) {
	const query = new URLSearchParams({ level });
	if (parent) query.set('parent', parent);
	if (period) query.set('period', period);
	if (view.programme) query.set('programme', view.programme);
	// Villages have no disaggregations (the API refuses `by` there): the whole population.
	if (view.by && level !== 'village') query.set('by', view.by);
	return query;
}

/** Keeps the rows of the chosen group (the API lists every group of a disaggregation). */
function ofGroup(rows: IndicatorRow[], view: DashboardView): IndicatorRow[] {
	return view.by ? rows.filter((row) => row.group === view.group) : rows;
}

export const load: PageLoad = async ({ fetch, url, parent: layout }) => {
	let view: DashboardView;
	try {
		view = parseView(url.searchParams);
	} catch (problem) {
		if (problem instanceof ViewError) error(400, problem.message);
		throw problem;
	}
	const boundariesUrl = view.code ? `/geo/${view.level}?parent=${view.code}` : `/geo/${view.level}`;
	// The page's first view (rendered on the server, then hydrated) draws its choropleth as an
	// SVG from the layer projected on the server (`/geo/{level}/paths`, inlined in the HTML
	// like every fetch of a server-side load), so it shows at the first paint; the GeoJSON for
	// MapLibre follows in the browser. After that, a view's layer is fetched with its data
	// (one round trip on a drill-down, already under way when SvelteKit preloads a hovered link)
	// and awaited with it, so the map and the table change together.
	const firstView = !browser || firstViewInBrowser;
	firstViewInBrowser = false;
	const outlineUrl = boundariesUrl.replace(/^\/geo\/(\w+)/, '/geo/$1/paths');
	const indicatorUrl = (period: string | null, level: string, parent: string | null) =>
		`/api/indicators/${view.indicator.id}?${indicatorQuery(view, period, level, parent)}`;

	const [rows, unit, [programmes, periods], outline, layer] = await Promise.all([
		fetchJson<IndicatorRow[]>(
			fetch,
			indicatorUrl(view.period, view.level, view.code),
			view.indicator.name.en
		),
		view.code
			? fetchJson<GeoUnit>(fetch, `/api/geo/units/${view.code}`, `Unit ${view.code}`)
			: null,
		loadChoices(fetch),
		firstView ? fetchJson<SvgLayer>(fetch, outlineUrl, 'The map outline') : null,
		// The first view's GeoJSON is for MapLibre only: the map fetches it once mounted.
		firstView ? null : fetchLayer(fetch, boundariesUrl)
	]);

	// Without a period in the URL the API answers for the latest complete month; when that one
	// is not computed yet, show the newest month that is.
	let shown = rows;
	let period = view.period;
	if (!rows.ok && rows.status === 404 && view.period === null && periods.ok) {
		const newestMonth = periods.body.find((p) => /^\d{4}-\d{2}$/.test(p));
		if (newestMonth) {
			period = newestMonth;
			shown = await fetchJson<IndicatorRow[]>(
				fetch,
				indicatorUrl(period, view.level, view.code),
				view.indicator.name.en
			);
		}
	}
	const units = shown.ok ? ofGroup(shown.body, view) : [];
	period ??= units[0]?.period ?? null;

	// Without the unit's record the trail is rebuilt from the code's prefixes, with bare codes as
	// names, so the way back up still works.
	let trail: UnitRef[] = [NATION];
	if (unit?.ok) {
		trail = [...unit.body.ancestors, unit.body];
	} else if (view.code) {
		const code = view.code;
		const prefix = (length: number): UnitRef => ({
			code: code.slice(0, length),
			level: length === 2 ? 'province' : 'district',
			name_en: code.slice(0, length),
			name_km: ''
		});
		trail = code.length === 4 ? [NATION, prefix(2), prefix(4)] : [NATION, prefix(2)];
	}
	const parent = trail.at(-1)!;
	// Village figures are internal (domain.md §6): only staff who may see the province ask.
	const { user } = await layout();
	const seesVillages =
		user !== null &&
		(user.role === 'national' ||
			user.role === 'admin' ||
			(user.role === 'province' &&
				view.code !== null &&
				user.provinces.includes(view.code.slice(0, 2))));
	const focus = view.unit ? (units.find((u) => u.code === view.unit) ?? null) : null;
	// The unit panel shows the chosen child, or else the parent of the map.
	const panelCode = focus?.code ?? parent.code;
	const panelParent = focus ? parent.code : (trail.at(-2)?.code ?? null);

	const valuesQuery = new URLSearchParams();
	if (period) valuesQuery.set('period', period);
	if (view.programme) valuesQuery.set('programme', view.programme);
	// Trends run over periods of the shown period's kind, so the shown period is on them.
	const kind = (period && parsePeriod(period)?.kind) || 'month';
	const seriesQuery = new URLSearchParams({
		units: [panelCode, panelParent].filter(Boolean).join(','),
		kind
	});
	if (view.programme) seriesQuery.set('programme', view.programme);
	if (view.by) seriesQuery.set('by', view.by);
	if (view.by && view.group) seriesQuery.set('group', view.group);
	let panel: Panel | undefined;

	return {
		view,
		period,
		seriesKind: kind,
		boundariesUrl,
		layer,
		outline: outline?.ok ? outline.body : null,
		units,
		trail,
		parentLevel: view.code ? PARENT_LEVEL[view.level] : 'national',
		programmes: programmes.ok ? programmes.body : [],
		periods: periods.ok ? periods.body : [],
		panelCode,
		panelParent,
		villagesInternal: focus !== null && view.level === 'commune' && !seesVillages,
		villagesListed: focus !== null && view.level === 'commune' && seesVillages,
		/**
		 * Starts fetching the unit panel (once; in the browser): the page calls it after the
		 * view has painted, so the panel never delays the map; a link preloaded on hover
		 * fetches no panel.
		 */
		loadPanel: () =>
			(panel ??= startPanel(fetch, {
				values: `/api/units/${panelCode}/values?${valuesQuery}`,
				series: `/api/indicators/${view.indicator.id}/series?${seriesQuery}`,
				headlines: HEADLINE_INDICATORS.map((id): [string, string] => {
					const query = new URLSearchParams({ units: panelCode, kind });
					if (view.programme && indicatorById(id)?.perProgramme) {
						query.set('programme', view.programme);
					}
					return [id, `/api/indicators/${id}/series?${query}`];
				}),
				villages:
					focus && view.level === 'commune' && seesVillages
						? indicatorUrl(period, 'village', focus.code)
						: null
			})),
		problems: [shown, unit].flatMap((result) => (result && !result.ok ? [result.problem] : []))
	};
};
