/**
 * The coverage map. What it shows comes from the URL alone (`level`, `code` of the parent unit,
 * optional `period`), so every view has an address to share and the back button goes up a level.
 */
import { error } from '@sveltejs/kit';
import type { UnitCoverage } from '$lib/components/UnitTable.svelte';
import type { PageLoad } from './$types';
import { describeFailedResponse } from '$lib/api-errors';

/** Levels the map can show: those with boundary layers (villages have none). */
const MAP_LEVELS = ['province', 'district', 'commune'] as const;
type MapLevel = (typeof MAP_LEVELS)[number];

/** Digits of the parent's code for each level below province (shared/domain.md §1: 17, 1701). */
const PARENT_CODE_DIGITS = { district: 2, commune: 4 } as const;

/** Any level of the gazetteer, as `/api/geo/units` names them. */
type UnitLevel = 'national' | 'province' | 'district' | 'commune' | 'village';

/** A unit as `/api/geo/units/{code}` lists it among the ancestors. */
interface UnitRef {
	code: string;
	level: UnitLevel;
	name_en: string;
	name_km: string;
}

/** The answer of `GET /api/geo/units/{code}`. */
interface GeoUnit extends UnitRef {
	parent_code: string | null;
	/** From the nation down to the parent. */
	ancestors: UnitRef[];
}

const NATION: UnitRef = { code: 'KH', level: 'national', name_en: 'Cambodia', name_km: 'កម្ពុជា' };

function isMapLevel(value: string): value is MapLevel {
	return (MAP_LEVELS as readonly string[]).includes(value);
}

type Fetched<T> = { ok: true; body: T } | { ok: false; problem: string };

/** Fetches JSON, turning an HTTP or network failure into a sentence for the page. */
async function fetchJson<T>(
	fetch: typeof globalThis.fetch,
	url: string,
	what: string
): Promise<Fetched<T>> {
	try {
		const response = await fetch(url);
		if (response.ok) return { ok: true, body: (await response.json()) as T };
		return { ok: false, problem: await describeFailedResponse(response, what) };
	} catch (failure) {
		const reason = failure instanceof Error ? failure.message : String(failure);
		return { ok: false, problem: `${what} could not be loaded (${reason}).` };
	}
}

export const load: PageLoad = async ({ fetch, url }) => {
	const level = url.searchParams.get('level') ?? 'province';
	if (!isMapLevel(level)) {
		error(400, `Unknown level "${level}": expected one of ${MAP_LEVELS.join(', ')}.`);
	}
	let code: string | null = null;
	if (level !== 'province') {
		code = url.searchParams.get('code');
		const digits = PARENT_CODE_DIGITS[level];
		if (code === null || !new RegExp(`^\\d{${digits}}$`).test(code)) {
			error(400, `A ${level} view needs code=<the ${digits}-digit code of its parent>.`);
		}
	}
	const period = url.searchParams.get('period');
	if (period !== null && !/^\d{4}(-(\d{2}|Q[1-4]))?$/.test(period)) {
		error(400, `Unknown period "${period}": expected YYYY, YYYY-Qn or YYYY-MM.`);
	}

	const query = new URLSearchParams({ level });
	if (code) query.set('parent', code);
	if (period) query.set('period', period);
	const [coverage, unit] = await Promise.all([
		fetchJson<UnitCoverage[]>(
			fetch,
			`/api/indicators/registration_coverage?${query}`,
			'Registration coverage'
		),
		code ? fetchJson<GeoUnit>(fetch, `/api/geo/units/${code}`, `Unit ${code}`) : null
	]);

	// Without the unit's record the trail is rebuilt from the code's prefixes, with bare codes as
	// names, so the way back up still works.
	let trail: UnitRef[] = [NATION];
	if (unit?.ok) {
		trail = [...unit.body.ancestors, unit.body];
	} else if (code) {
		const prefix = (length: number): UnitRef => ({
			code: code.slice(0, length),
			level: length === 2 ? 'province' : 'district',
			name_en: code.slice(0, length),
			name_km: ''
		});
		trail = code.length === 4 ? [NATION, prefix(2), prefix(4)] : [NATION, prefix(2)];
	}

	return {
		level,
		code,
		period,
		boundariesUrl: code ? `/geo/${level}?parent=${code}` : `/geo/${level}`,
		units: coverage.ok ? coverage.body : [],
		trail,
		problems: [coverage, unit].flatMap((result) => (result && !result.ok ? [result.problem] : []))
	};
};
