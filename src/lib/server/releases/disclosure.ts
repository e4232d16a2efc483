/**
 * The one place a release meets disclosure control (domain.md §6): which cells are protected
 * together (a table), and the rows of a table as the public may see them.
 */
import type { IndicatorDefinition } from '../../indicators/catalogue';
import {
	additivityOverTime,
	disclosureKey,
	disclosureRule,
	periodSums,
	publishRows,
	suppressSmallCells,
	type DisclosureCell
} from '../../indicators/disclosure';
import type { ReleaseRow } from '../../releases/schema';
import { NATION_CODE } from './read-values';

/** How a release applies disclosure control; the job takes it as a parameter (tests swap it). */
export interface ReleaseDisclosure {
	/**
	 * The groups of periods whose cells must be suppressed together, each group one table with
	 * every published level, programme and group of the indicator.
	 */
	periodTables(indicator: IndicatorDefinition, periods: readonly string[]): string[][];
	/**
	 * One table's rows as published: the same rows in the same order, suppressed ones flagged
	 * with null numerator, denominator and value (never 0).
	 */
	suppressForPublication(indicator: IndicatorDefinition, rows: readonly ReleaseRow[]): ReleaseRow[];
}

/** The unit one level up, from the codes a row carries. */
function parentCode(row: ReleaseRow): string | null {
	switch (row.level) {
		case 'national':
			return null;
		case 'province':
			return NATION_CODE;
		case 'district':
			return row.province_code;
		case 'commune':
			return row.district_code;
	}
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
		// every period, in less memory (at most 17 periods: 1.4 rather than 2.4 million cells
		// for the demo's 29 periods).
		const byYear = new Map<string, string[]>();
		for (const period of periods) {
			const year = period.slice(0, 4);
			byYear.set(year, [...(byYear.get(year) ?? []), period]);
		}
		return [...byYear.values()];
	},
	suppressForPublication(indicator, rows) {
		const rule = disclosureRule(indicator);
		const additivity = additivityOverTime(indicator.id);
		const cells: DisclosureCell[] = rows.map((row) => ({
			period: row.period,
			unitCode: row.code,
			parentCode: parentCode(row),
			programme: row.programme,
			groupBy: row.group_by,
			groupValue: row.group_value,
			// Zeros are spelled out by the reader; a null numerator never reaches here.
			numerator: row.numerator ?? 0,
			denominator: row.denominator
		}));
		const periods = [...new Set(rows.map((row) => row.period))];
		const suppressed = suppressSmallCells(cells, {
			rule,
			time: additivity ? { sums: periodSums(periods), quantities: additivity } : undefined
		});
		return publishRows(
			rows,
			suppressed,
			(row) =>
				disclosureKey({
					period: row.period,
					unitCode: row.code,
					programme: row.programme,
					groupBy: row.group_by,
					groupValue: row.group_value
				}),
			rule
		);
	}
};

/**
 * The rows a dataset file holds: every cell, except a suppressed cell whose unit above (same
 * indicator, period, programme and group) is suppressed too. A missing row therefore always
 * means "suppressed", and leaving it out tells nothing more: both suppressions are published.
 *
 * Why: every cell is spelled out for disclosure control, and most are zeros, all suppressed
 * (nearly all of ~31 million commune cells for a registry of a few thousand households). Under
 * a suppressed district its communes are small too, so this keeps the files to the figures
 * that say something, whatever the size of the registry, without telling 0 from 1–4.
 */
export function rowsToWrite(rows: readonly ReleaseRow[], parents: Int32Array): ReleaseRow[] {
	return rows.filter((row, i) => {
		const parent = parents[i]!;
		return !row.suppressed || parent < 0 || !rows[parent]!.suppressed;
	});
}
