/**
 * What the rollout view (`/rollout`, issue #5) shows the national board, read in one go from
 * one source (`source.ts`: the store, or the latest release for the public): offices and first
 * openings over the whole history, and the national commune-coverage and registration series
 * and the provinces' commune coverage from the indicators.
 */
import type { IndicatorRow } from '../../indicators/catalogue';
import { latestCompleteMonth, parsePeriod } from '../../indicators/periods';
import {
	endOfPeriodSeries,
	firstFrontOfficeYears,
	officesOpenByMonth,
	type OfficesOpenMonth,
	type StockPoint
} from '../../indicators/rollout';
import type { GeoUnitSummary } from '../registry/geo-units';
import { getIndicatorRows } from './api';
import { getIndicatorSeries } from './series';
import type { IndicatorSource } from './source';

/** The data of the rollout view. */
export interface RolloutView {
	/** The month every figure is measured at the end of (`YYYY-MM`). */
	month: string;
	/** Whether stored indicator values exist (a refresh has run); else only the offices show. */
	computed: boolean;
	officesByMonth: OfficesOpenMonth[];
	/** Cambodia's share of communes with an open front office, year ends then months. */
	communeCoverage: StockPoint[];
	/** Each province's share of communes with a front office in `month`. */
	provinceCoverage: IndicatorRow[];
	/** Cambodia's registration coverage (numerator: households registered), as above. */
	registration: StockPoint[];
	/** Each commune's first front-office year (null: none by the end of `month`). */
	openingYears: Record<string, number | null>;
	/** The provinces, for the rows of the opening-year table. */
	provinces: GeoUnitSummary[];
}

/** A stock indicator for Cambodia over every stored year end and month. */
async function nationalStockSeries(
	source: IndicatorSource,
	indicatorId: string
): Promise<StockPoint[]> {
	const series = (kind: 'year' | 'month') =>
		getIndicatorSeries(source, indicatorId, new URLSearchParams({ units: 'KH', kind }));
	const [years, months] = await Promise.all([series('year'), series('month')]);
	return endOfPeriodSeries(years, months);
}

/**
 * Reads the view. It ends with the newest stored month, so that the office figures (read live)
 * and the stored indicators describe the same day; before any refresh, with the latest
 * complete month before `today`.
 */
export async function getRolloutView(
	source: IndicatorSource,
	today = new Date().toISOString().slice(0, 10)
): Promise<RolloutView> {
	const [communeCoverage, registration, offices] = await Promise.all([
		nationalStockSeries(source, 'commune_office_coverage'),
		nationalStockSeries(source, 'registration_coverage'),
		source.offices()
	]);
	const lastStored = communeCoverage.at(-1)?.period;
	const computed = lastStored !== undefined && parsePeriod(lastStored)?.kind === 'month';
	const month = computed ? lastStored : latestCompleteMonth(today);
	const communes = (await source.units('commune')).map((unit) => unit.code);
	const [provinces, provinceCoverage] = await Promise.all([
		source.units('province'),
		computed
			? getIndicatorRows(
					source,
					'commune_office_coverage',
					new URLSearchParams({ level: 'province', period: month })
				)
			: Promise.resolve([])
	]);
	const officesByMonth = officesOpenByMonth(offices, month);
	const openingYears = firstFrontOfficeYears(communes, offices, parsePeriod(month)!.end);
	return {
		month,
		computed,
		officesByMonth,
		communeCoverage,
		provinceCoverage,
		registration,
		openingYears,
		provinces
	};
}
