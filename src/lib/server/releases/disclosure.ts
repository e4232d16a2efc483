/**
 * The one place a release meets disclosure control (domain.md §6): which cells are protected
 * together (a table), and the rows of a table as the public may see them.
 */
import type { IndicatorDefinition } from '../../indicators/catalogue';
import {
	additivityOverTime,
	disclosureRule,
	periodSums,
	publishRow,
	suppressGrid
} from '../../indicators/disclosure';
import type { ReleaseLevel, ReleaseRow } from '../../releases/schema';
import { tableRows, type ReleaseTable } from './read-values';

/** How a release applies disclosure control; the job takes it as a parameter (tests swap it). */
export interface ReleaseDisclosure {
	/**
	 * The groups of periods whose cells must be suppressed together, each group one table with
	 * every published level, programme and group of the indicator.
	 */
	periodTables(indicator: IndicatorDefinition, periods: readonly string[]): string[][];
	/**
	 * Which cells of one table are suppressed: one entry per cell, by cell index
	 * (`cellIndex`), not 0 when the cell is suppressed.
	 */
	suppressTable(indicator: IndicatorDefinition, table: ReleaseTable): Uint8Array;
}

/**
 * Disclosure control of `$lib/indicators/disclosure` (primary and complementary suppression),
 * as every release applies it. Stocks are protected one period at a time; flows whose quarters
 * and years are sums of their months (`additivityOverTime`) a calendar year at a time, so no
 * month can be recovered from its quarter or year either.
 */
export const PUBLIC_DISCLOSURE: ReleaseDisclosure = {
	periodTables(indicator, periods) {
		if (!additivityOverTime(indicator.id)) return periods.map((period) => [period]);
		// Period sums never cross a calendar year (a year and its quarters and months,
		// `periodSums`), so each year is a table of its own: the same suppression as one table of
		// every period, with fewer cells.
		const byYear = new Map<string, string[]>();
		for (const period of periods) {
			const year = period.slice(0, 4);
			byYear.set(year, [...(byYear.get(year) ?? []), period]);
		}
		return [...byYear.values()];
	},
	suppressTable(indicator, table) {
		const additivity = additivityOverTime(indicator.id);
		// `suppressGrid` is `suppressSmallCells` given every cell, zeros included, without
		// building the zeros one by one.
		return suppressGrid(
			{
				periods: table.periods,
				units: table.units.map((unit, i) => ({ code: unit.code, parent: table.parents[i]! })),
				options: table.options.map((o) => ({
					programme: o.programme,
					groupBy: o.group_by,
					groupValue: o.group_value
				})),
				values: Array.from(table.values, ([cell, value]) => ({
					cell,
					// A null numerator is a count of 0.
					numerator: value.numerator ?? 0,
					denominator: value.denominator
				}))
			},
			{
				rule: disclosureRule(indicator),
				time: additivity ? { sums: periodSums(table.periods), quantities: additivity } : undefined
			}
		);
	}
};

/**
 * The rows a dataset file holds, in the files' order, as the public sees them: every cell,
 * except a suppressed cell whose unit above (same indicator, period, programme and group) is
 * suppressed too. A missing row therefore always means "suppressed", and leaving it out tells
 * nothing more: both suppressions are published.
 *
 * Why: a table has a cell per unit, period, programme option and group, and most are zeros,
 * all suppressed (nearly all of ~31 million commune cells for a registry of a few thousand
 * households). Under a suppressed district its communes are small too, so this keeps the
 * files to the figures that say something, whatever the size of the registry, without telling
 * 0 from 1–4.
 */
export function rowsToWrite(
	table: ReleaseTable,
	suppressed: Uint8Array
): Generator<[ReleaseLevel, ReleaseRow[]]> {
	if (suppressed.length !== table.size)
		throw new Error(`disclosure control changed the cells of ${table.indicator.id}`);
	const rule = disclosureRule(table.indicator);
	return tableRows(table, suppressed, (row, cell) => publishRow(row, suppressed[cell] !== 0, rule));
}
