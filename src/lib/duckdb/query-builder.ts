/**
 * The explore page's query builder: a pure function from what a person chose (dataset, filters,
 * rows, pivot, measure) to one parameterised SQL statement over a release dataset (the columns of
 * `RELEASE_COLUMNS`, `src/lib/releases/schema.ts`). No DuckDB here, so it is unit-tested as text.
 *
 * Rules it enforces (domain.md §5, §6):
 * - Rates are re-aggregated from sums, never averaged: sum(numerator) / sum(denominator).
 * - Medians (unit `days`) cannot be re-aggregated: a median is shown only where a result row is
 *   one published cell; anywhere else it is null and the page says why.
 * - Each column that is not a row or pivot dimension is pinned to one value (one period, one
 *   programme or all programmes together, one group or everyone), so no cell is counted twice.
 * - Suppressed cells have no numerator or denominator: a sum over a group holding one is
 *   incomplete. Every result row carries its count of suppressed cells so the page can flag it.
 */
import type { IndicatorDefinition } from '../indicators/catalogue';
import type { ReleaseLevel } from '../releases/schema';

/** What a result can be grouped (rows) or pivoted (columns) by. */
export const DIMENSIONS = ['province', 'district', 'unit', 'period', 'programme', 'group'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The dataset column behind each dimension (`unit` is the dataset's own unit). */
export const DIMENSION_COLUMN: Readonly<Record<Dimension, string>> = {
	province: 'province_code',
	district: 'district_code',
	unit: 'code',
	period: 'period',
	programme: 'programme',
	group: 'group_value'
};

/**
 * The geographic dimensions of each dataset: a commune dataset sums into its districts and
 * provinces; a province's own `province_code` is itself, so `unit` is enough there.
 */
export const GEOGRAPHIC_DIMENSIONS: Readonly<Record<ReleaseLevel, readonly Dimension[]>> = {
	national: ['unit'],
	province: ['unit'],
	district: ['province', 'unit'],
	commune: ['province', 'district', 'unit']
};

/** The dimensions a dataset offers, in display order. */
export function dimensionsOf(level: ReleaseLevel): Dimension[] {
	return [...GEOGRAPHIC_DIMENSIONS[level], 'period', 'programme', 'group'];
}

/** What each result row measures. */
export const MEASURES = ['rate', 'numerator', 'denominator', 'median'] as const;
export type Measure = (typeof MEASURES)[number];

/**
 * The measures an indicator allows, the default first: rates re-aggregate from their sums,
 * counts sum, and medians (days) are never summed (domain.md §5).
 */
export function measuresFor(unit: IndicatorDefinition['unit']): Measure[] {
	switch (unit) {
		case '%':
		case 'per 1,000':
			return ['rate', 'numerator', 'denominator'];
		case 'count':
			return ['numerator'];
		case 'days':
			return ['median'];
	}
}

/** Result order: by the measure, or by the dimensions (codes, periods) themselves. */
export const ORDERS = ['value_desc', 'value_asc', 'label'] as const;
export type Order = (typeof ORDERS)[number];

/** The period kinds of a release (`period_kind`). */
export const PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Most result rows (row groups when pivoted): more is unreadable on screen, and the CSV follows. */
export const MAX_LIMIT = 5000;

/** One exploration: everything the page's controls (and its URL) hold about the query. */
export interface Exploration {
	level: ReleaseLevel;
	indicator: string;
	periodKind: PeriodKind;
	/** One period, or null for every period of the kind (then `period` must be a dimension). */
	period: string | null;
	/** '' for all programmes together, a code, or null for each programme (a dimension). */
	programme: string | null;
	/** The disaggregation (`sex`, …), or '' for everyone. */
	groupBy: string;
	/** One group of the disaggregation, or null for each group (a dimension). */
	groupValue: string | null;
	/** Only units of this province (district and commune datasets), or null for all. */
	province: string | null;
	/** Only units of this district (commune dataset), or null for all. */
	district: string | null;
	/** Result rows are grouped by these, in order. */
	rows: Dimension[];
	/** Values of this dimension become the columns of a pivot table, or null for none. */
	pivot: Dimension | null;
	measure: Measure;
	order: Order;
	limit: number;
}

/** A statement and its positional parameters (`?`), in order. */
export interface BuiltQuery {
	sql: string;
	params: (string | number)[];
	/** The dimensions of the result, in order (their columns keep the dataset's names). */
	dimensions: Dimension[];
}

/** A value the SQL text may contain: a parameter placeholder and its value. */
function placeholder(params: (string | number)[], value: string | number): string {
	params.push(value);
	return '?';
}

/**
 * Makes an exploration consistent: dimensions the dataset lacks are dropped, a pivot is not also
 * a row, a column left unpinned ("each …") becomes a row dimension, the measure fits the
 * indicator's unit, and the limit is a whole number between 1 and MAX_LIMIT.
 */
export function normaliseExploration(
	exploration: Exploration,
	unit: IndicatorDefinition['unit']
): Exploration {
	const available = new Set(dimensionsOf(exploration.level));
	const everyone = exploration.groupBy === '';
	const usable = (d: Dimension) => available.has(d) && !(everyone && d === 'group');
	const pivot = exploration.pivot && usable(exploration.pivot) ? exploration.pivot : null;
	const rows = [...new Set(exploration.rows)].filter((d) => usable(d) && d !== pivot);
	const grouped = (d: Dimension) => rows.includes(d) || pivot === d;
	const unpinned: [Dimension, boolean][] = [
		['period', exploration.period === null],
		['programme', exploration.programme === null],
		['group', !everyone && exploration.groupValue === null]
	];
	for (const [dimension, isUnpinned] of unpinned) {
		if (isUnpinned && !grouped(dimension)) rows.push(dimension);
	}
	const measures = measuresFor(unit);
	const limit = Math.trunc(exploration.limit);
	return {
		...exploration,
		groupValue: everyone ? '' : exploration.groupValue,
		province: exploration.level === 'national' ? null : exploration.province,
		district: exploration.level === 'commune' ? exploration.district : null,
		rows,
		pivot,
		measure: measures.includes(exploration.measure) ? exploration.measure : measures[0]!,
		limit: Number.isFinite(limit) ? Math.min(Math.max(limit, 1), MAX_LIMIT) : 100
	};
}

/** The SQL of a measure over a group of cells (`per 1,000` rates are scaled, as published). */
function measureSql(measure: Measure, unit: IndicatorDefinition['unit']): string {
	switch (measure) {
		case 'rate': {
			const scale = unit === 'per 1,000' ? '1000 * ' : '';
			return `${scale}sum(numerator) / nullif(sum(denominator), 0)`;
		}
		case 'numerator':
			return 'sum(numerator)';
		case 'denominator':
			return 'sum(denominator)';
		case 'median':
			// A median is only known for a single published cell (domain.md §5).
			return 'CASE WHEN count(*) = 1 THEN min(value) END';
	}
}

/**
 * The grouped query of an exploration (already normalised): one result row per combination of
 * the row dimensions and the pivot, with the measure (`value`), the sums behind it, the cells
 * summed and how many of them were suppressed. `table` is an identifier the caller controls
 * (the registered dataset), never user input.
 */
export function buildExplorationQuery(
	exploration: Exploration,
	unit: IndicatorDefinition['unit'],
	table: string
): BuiltQuery {
	if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
	const params: (string | number)[] = [];
	const dimensions = [...exploration.rows, ...(exploration.pivot ? [exploration.pivot] : [])];

	// Result columns keep the dataset's names (`group` would be an SQL keyword).
	const groupColumns = dimensions.map((d) => DIMENSION_COLUMN[d]);
	const select = [...groupColumns];
	if (dimensions.includes('unit')) {
		select.push('min(name_en) AS name_en', 'min(name_km) AS name_km');
	}
	select.push(
		`${measureSql(exploration.measure, unit)} AS value`,
		'sum(numerator) AS numerator',
		'sum(denominator) AS denominator',
		'count(*) AS cells',
		'count(*) FILTER (WHERE suppressed) AS suppressed'
	);

	// Indicator and period first: the release files are sorted by them, so DuckDB skips every
	// row group whose min/max statistics exclude them.
	const where = [`indicator = ${placeholder(params, exploration.indicator)}`];
	if (exploration.period !== null) {
		where.push(`period = ${placeholder(params, exploration.period)}`);
	} else {
		where.push(`period_kind = ${placeholder(params, exploration.periodKind)}`);
	}
	if (exploration.programme !== null) {
		where.push(`programme = ${placeholder(params, exploration.programme)}`);
	}
	where.push(`group_by = ${placeholder(params, exploration.groupBy)}`);
	if (exploration.groupValue !== null) {
		where.push(`group_value = ${placeholder(params, exploration.groupValue)}`);
	}
	if (exploration.province !== null) {
		where.push(`province_code = ${placeholder(params, exploration.province)}`);
	}
	if (exploration.district !== null) {
		where.push(`district_code = ${placeholder(params, exploration.district)}`);
	}

	const lines = [`SELECT ${select.join(', ')}`, `FROM ${table}`, `WHERE ${where.join(' AND ')}`];
	if (groupColumns.length) lines.push(`GROUP BY ${groupColumns.join(', ')}`);

	if (exploration.pivot) {
		// A pivot keeps whole row groups: the first `limit` of them by their labels.
		if (exploration.rows.length) {
			const rowColumns = exploration.rows.map((d) => DIMENSION_COLUMN[d]).join(', ');
			lines.push(`QUALIFY dense_rank() OVER (ORDER BY ${rowColumns}) <= ?`);
			params.push(exploration.limit);
		}
		lines.push(`ORDER BY ${groupColumns.join(', ')}`);
	} else {
		const byLabel = groupColumns.join(', ');
		const direction = exploration.order === 'value_asc' ? 'ASC' : 'DESC';
		lines.push(
			exploration.order === 'label' && byLabel
				? `ORDER BY ${byLabel}`
				: `ORDER BY value ${direction} NULLS LAST${byLabel ? `, ${byLabel}` : ''}`
		);
		lines.push('LIMIT ?');
		params.push(exploration.limit);
	}
	return { sql: lines.join('\n'), params, dimensions };
}

/** One row of a grouped result, as DuckDB returns it (BIGINT counts cast to numbers). */
export interface ExplorationRow {
	/** Dimension columns (`province_code`, `period`, …) and `name_en`/`name_km` with `code`. */
	[column: string]: string | number | null;
	value: number | null;
	numerator: number | null;
	denominator: number | null;
	cells: number;
	suppressed: number;
}

/** One cell of a pivot table: the measure, the cells summed and how many were suppressed. */
export interface PivotCell {
	value: number | null;
	cells: number;
	suppressed: number;
}

/** A pivot table: the row keys (values of the row dimensions), the column keys, the cells. */
export interface PivotTable {
	columns: string[];
	rows: { keys: string[]; row: ExplorationRow; cells: (PivotCell | null)[] }[];
}

/**
 * Turns a grouped result (ordered by the row dimensions, then the pivot) into a pivot table:
 * one row per combination of the row dimensions, one column per pivot value (sorted).
 * Missing combinations are null cells.
 */
export function pivotResult(
	rows: readonly ExplorationRow[],
	rowDimensions: readonly Dimension[],
	pivot: Dimension
): PivotTable {
	const pivotColumn = DIMENSION_COLUMN[pivot];
	const columns = [...new Set(rows.map((r) => String(r[pivotColumn] ?? '')))].sort();
	const columnIndex = new Map(columns.map((c, i) => [c, i]));
	const byKey = new Map<string, PivotTable['rows'][number]>();
	for (const row of rows) {
		const keys = rowDimensions.map((d) => String(row[DIMENSION_COLUMN[d]] ?? ''));
		const key = JSON.stringify(keys);
		let entry = byKey.get(key);
		if (!entry) {
			entry = { keys, row, cells: columns.map(() => null) };
			byKey.set(key, entry);
		}
		entry.cells[columnIndex.get(String(row[pivotColumn] ?? ''))!] = {
			value: row.value,
			cells: row.cells,
			suppressed: row.suppressed
		};
	}
	return { columns, rows: [...byKey.values()] };
}

/**
 * The statement the SQL box runs: the person's query as a subquery, so only a query can run
 * (a subquery cannot hold DDL, and a prepared statement holds one statement), with a row limit.
 * Trailing semicolons are dropped; the newline before `)` ends a trailing `--` comment.
 */
export function wrapUserQuery(text: string, limit: number): BuiltQuery {
	const body = text.replace(/[;\s]+$/, '').trim();
	if (!body) throw new Error('empty query');
	return { sql: `SELECT * FROM (\n${body}\n) LIMIT ?`, params: [limit], dimensions: [] };
}

/** An SQL string literal (quotes doubled). */
function literal(value: string | number): string {
	return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

/**
 * A built query as plain text, its parameters written as literals, for the SQL box ("use the
 * query above"). Only for built queries: their text holds no `?` but the placeholders.
 */
export function statementText(built: BuiltQuery): string {
	let index = 0;
	return built.sql.replace(/\?/g, () => literal(built.params[index++]!));
}

/** One unit of a dataset and its parents, as read from the dataset itself. */
export interface DatasetUnit {
	code: string;
	province_code: string;
	district_code: string;
}

/**
 * Cells missing from a result row. A release leaves out a suppressed cell whose unit above is
 * suppressed too (a missing row always means "suppressed", README "Releases"), and every unit
 * otherwise has a cell for every indicator, period, programme and group. A result row pins one
 * value of every column but the geography, so it should hold one cell per unit of its
 * geographic group (within the province and district filters): the rest were suppressed.
 */
export function missingCells(
	row: ExplorationRow,
	exploration: Exploration,
	units: readonly DatasetUnit[]
): number {
	const dimensions = [...exploration.rows, ...(exploration.pivot ? [exploration.pivot] : [])];
	const expected = units.filter(
		(unit) =>
			(exploration.province === null || unit.province_code === exploration.province) &&
			(exploration.district === null || unit.district_code === exploration.district) &&
			(!dimensions.includes('province') || unit.province_code === row.province_code) &&
			(!dimensions.includes('district') || unit.district_code === row.district_code) &&
			(!dimensions.includes('unit') || unit.code === row.code)
	).length;
	return Math.max(0, expected - row.cells);
}
