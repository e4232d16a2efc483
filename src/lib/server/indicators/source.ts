/**
 * Where indicator figures are read from, by who asks (domain.md §6, §7):
 *
 * - the **store** in the database (unsuppressed): national and admin users everywhere,
 *   provincial staff inside their provinces;
 * - the **latest release** (suppressed, read from its files): everyone else, and provincial
 *   staff outside their provinces. Public traffic therefore never touches the registry
 *   database, and shows exactly the cells of the downloads.
 *
 * The API, the unit profile, the series and the finder are written once against
 * `IndicatorSource`; the two sources differ only in how they read.
 */
import { storedValues } from './stored';
import { sql } from 'drizzle-orm';
import type {
	IndicatorDefinition,
	IndicatorRow,
	Level,
	SeriesPoint
} from '../../indicators/catalogue';
import { RELEASE_LEVELS, type ReleaseLevel } from '../../releases/schema';
import { canSeeProvince, hasRole } from '../auth/guard';
import type { AuthUser } from '../auth/sessions';
import { getAppDatabase, queryRows, type Db } from '../db';
import {
	findUnit,
	listUnits,
	type GeoUnitDetail,
	type GeoUnitSummary
} from '../registry/geo-units';
import { listProgrammes, type ProgrammeSummary } from '../registry/programmes';
import type { OfficeOpening } from '../../indicators/rollout';
import { cellKey, LEFT_OUT, latestPublished, type PublishedRelease } from '../releases/published';
import { readOffices } from '../releases/reference-files';
import { ApiError } from './errors';
import { computedPeriods, listIndicatorValues, type IndicatorQuery } from './query';
import { currentGeneration } from './response-cache';

export type { SeriesPoint };

/** One programme option and group of an indicator. */
export interface CellChoice {
	programme: string;
	groupBy: string;
	groupValue: string;
}

/** Indicator figures as one kind of reader sees them. */
export interface IndicatorSource {
	/** `store` (unsuppressed) or `release` (public, suppressed). */
	readonly kind: 'store' | 'release';
	/** What the figures are read from: changes when they may change (the answer cache's key). */
	generation(): Promise<string>;
	/** Periods with figures, newest first (months, quarters, years). */
	periods(): Promise<string[]>;
	/** The lowest level with figures (villages are never published). */
	readonly lowestLevel: Level;
	findUnit(code: string): Promise<GeoUnitDetail | undefined>;
	/** Units of a level, optionally inside a province or district (by its code), by code. */
	units(level: Exclude<Level, 'national'>, insideCode?: string): Promise<GeoUnitSummary[]>;
	programmes(): Promise<ProgrammeSummary[]>;
	/** One indicator at one level and period: every unit of the level (inside the parent). */
	values(query: IndicatorQuery): Promise<IndicatorRow[]>;
	/** One indicator for units (by level) over periods: points by unit, then period. */
	series(
		indicator: IndicatorDefinition,
		units: readonly GeoUnitSummary[],
		periods: readonly string[],
		choice: CellChoice
	): Promise<SeriesPoint[]>;
	/** When the first SSDM office inside the unit opened, or null. */
	firstOfficeOpened(unit: GeoUnitSummary): Promise<string | null>;
	/** Every SSDM office, opened and closed (the rollout's whole history). */
	offices(): Promise<OfficeOpening[]>;
}

/** The value a unit has in the store when nothing was stored for it (`query.ts`). */
export function missingPoint(indicator: IndicatorDefinition, code: string, period: string) {
	return {
		code,
		period,
		numerator: 0,
		denominator: indicator.denominator === null ? null : 0,
		value: indicator.unit === 'count' ? 0 : null,
		suppressed: false
	};
}

/** The store in the database: every stored value, unsuppressed. */
export function storeSource(db: Db): IndicatorSource {
	return {
		kind: 'store',
		lowestLevel: 'village',
		generation: async () => `store:${await currentGeneration(db)}`,
		periods: () => computedPeriods(db),
		findUnit: (code) => findUnit(db, code),
		units: (level, insideCode) => listUnits(db, level, insideCode),
		programmes: () => listProgrammes(db),
		values: (query) => listIndicatorValues(db, query),
		async series(indicator, units, periods, choice) {
			if (units.length === 0 || periods.length === 0) return [];
			const rows = await queryRows<Omit<SeriesPoint, 'suppressed'>>(
				db,
				sql`SELECT geo_code AS code, period, numerator, denominator, value
					FROM ${storedValues(indicator.id)} v
					WHERE indicator_id = ${indicator.id}
						AND period = ANY(${`{${periods.join(',')}}`}::text[])
						AND geo_code = ANY(${`{${units.map((u) => u.code).join(',')}}`}::text[])
						AND programme = ${choice.programme} AND group_by = ${choice.groupBy}
						AND group_value = ${choice.groupValue}`
			);
			const stored = new Map(rows.map((row) => [`${row.code}|${row.period}`, row]));
			return units.flatMap((unit) =>
				periods.map((period) => {
					const row = stored.get(`${unit.code}|${period}`);
					return row ? { ...row, suppressed: false } : missingPoint(indicator, unit.code, period);
				})
			);
		},
		async firstOfficeOpened(unit) {
			// geo_units carries each unit's province, district and commune codes (not a village's).
			const inside =
				unit.level === 'national'
					? sql`TRUE`
					: unit.level === 'village'
						? sql`g.code = ${unit.code}`
						: sql`g.${sql.identifier(`${unit.level}_code`)} = ${unit.code}`;
			const [office] = await queryRows<{ opened: string | null }>(
				db,
				sql`SELECT min(o.opened_on)::text AS opened FROM offices o
					JOIN geo_units g ON g.code = o.geo_code WHERE ${inside}`
			);
			return office?.opened ?? null;
		},
		offices: () => readOffices(db)
	};
}

/** A level of the release, or a 404 for villages (never published). */
function publishedLevel(level: Level): ReleaseLevel {
	if (!(RELEASE_LEVELS as readonly string[]).includes(level)) {
		throw new ApiError(404, `${level} figures are not published: public figures stop at communes`);
	}
	return level as ReleaseLevel;
}

/** A published release: the public, suppressed figures. */
export function releaseSource(release: PublishedRelease): IndicatorSource {
	return {
		kind: 'release',
		lowestLevel: 'commune',
		generation: async () => `release:${release.dir}`,
		periods: async () => [...release.periods],
		findUnit: async (code) => release.findUnit(code),
		units: async (level, insideCode) =>
			release
				.unitsAt(publishedLevel(level), insideCode)
				.map((u) => ({ code: u.code, level: u.level, name_en: u.name_en, name_km: u.name_km })),
		programmes: async () => release.programmes.map((p) => ({ ...p })),
		async values(query) {
			const level = publishedLevel(query.level);
			const cells = await release.slice(level, query.indicator.id, query.period);
			const inside = query.parent?.level === 'national' ? undefined : query.parent?.code;
			const groups = query.by ? query.by.values : [''];
			return release.unitsAt(level, inside).flatMap((unit) =>
				groups.map((group) => ({
					code: unit.code,
					name_en: unit.name_en,
					name_km: unit.name_km,
					period: query.period,
					programme: query.programme ?? null,
					group: query.by ? group : null,
					...(cells.get(cellKey(unit.code, query.programme ?? '', query.by?.name ?? '', group)) ??
						LEFT_OUT)
				}))
			);
		},
		async series(indicator, units, periods, choice) {
			const points: SeriesPoint[] = [];
			for (const unit of units) {
				const level = publishedLevel(unit.level);
				for (const period of periods) {
					const cell = await release.cell(
						level,
						indicator.id,
						period,
						unit.code,
						choice.programme,
						choice.groupBy,
						choice.groupValue
					);
					points.push({ code: unit.code, period, ...cell });
				}
			}
			return points;
		},
		firstOfficeOpened: async (unit) => release.unit(unit.code)?.first_office_opened || null,
		offices: () => release.offices()
	};
}

/** The app's database, opened on first use (public answers never open it). */
export async function appDb(): Promise<Db> {
	return (await getAppDatabase()).db;
}

/**
 * The source for a user reading figures of these units (or the nation, with none): the store
 * when they may see every one unsuppressed, else the latest release. Throws a 503 before the
 * first release, for those who may only read public figures.
 */
export async function sourceFor(
	db: () => Promise<Db>,
	user: AuthUser | null,
	codes: readonly string[]
): Promise<IndicatorSource> {
	const unsuppressed =
		hasRole(user, 'national') ||
		(codes.length > 0 && codes.every((code) => canSeeProvince(user, code)));
	if (unsuppressed) return storeSource(await db());
	const release = await latestPublished();
	if (!release) {
		throw new ApiError(
			503,
			'no release has been published yet: public figures appear after the first publish (npm run publish)'
		);
	}
	return releaseSource(release);
}
