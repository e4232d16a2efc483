/**
 * The one place a release meets disclosure control (domain.md §6): which cells are protected
 * together (a table), and the rows of a table as the public may see them.
 */
import type { IndicatorDefinition } from '../../indicators/catalogue';
import type { ReleaseRow } from '../../releases/schema';

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
