import { describe, expect, it } from 'vitest';
import {
	buildExplorationQuery,
	measuresFor,
	missingCells,
	normaliseExploration,
	pivotResult,
	statementText,
	wrapUserQuery,
	type Exploration,
	type ExplorationRow
} from './query-builder';

/** Registration coverage of October 2026 on the commune dataset, summed into provinces. */
const BY_PROVINCE: Exploration = {
	level: 'commune',
	indicator: 'registration_coverage',
	periodKind: 'month',
	period: '2026-10',
	programme: '',
	groupBy: '',
	groupValue: '',
	province: null,
	district: null,
	rows: ['province'],
	pivot: null,
	measure: 'rate',
	order: 'value_desc',
	limit: 100
};

describe('buildExplorationQuery', () => {
	it('re-aggregates a rate from summed numerators and denominators, counting suppressed cells', () => {
		expect(buildExplorationQuery(BY_PROVINCE, '%', 'commune')).toEqual({
			sql: [
				'SELECT province_code, sum(numerator) / nullif(sum(denominator), 0) AS value, ' +
					'sum(numerator) AS numerator, sum(denominator) AS denominator, count(*) AS cells, ' +
					'count(*) FILTER (WHERE suppressed) AS suppressed',
				'FROM commune',
				'WHERE indicator = ? AND period = ? AND programme = ? AND group_by = ? AND group_value = ?',
				'GROUP BY province_code',
				'ORDER BY value DESC NULLS LAST, province_code',
				'LIMIT ?'
			].join('\n'),
			params: ['registration_coverage', '2026-10', '', '', '', 100],
			dimensions: ['province']
		});
	});

	it('scales rates per 1,000 as the release publishes them', () => {
		const { sql } = buildExplorationQuery(
			{ ...BY_PROVINCE, indicator: 'appeals_rate' },
			'per 1,000',
			'commune'
		);
		expect(sql).toContain('1000 * sum(numerator) / nullif(sum(denominator), 0) AS value');
	});

	it('sums counts and names the units of the dataset itself, within a province', () => {
		const built = buildExplorationQuery(
			{
				...BY_PROVINCE,
				indicator: 'applications_received',
				programme: 'HEF',
				province: '17',
				rows: ['unit'],
				measure: 'numerator',
				order: 'value_asc',
				limit: 20
			},
			'count',
			'commune'
		);
		expect(built.sql).toBe(
			[
				'SELECT code, min(name_en) AS name_en, min(name_km) AS name_km, ' +
					'sum(numerator) AS value, sum(numerator) AS numerator, sum(denominator) AS denominator, ' +
					'count(*) AS cells, count(*) FILTER (WHERE suppressed) AS suppressed',
				'FROM commune',
				'WHERE indicator = ? AND period = ? AND programme = ? AND group_by = ? AND group_value = ? ' +
					'AND province_code = ?',
				'GROUP BY code',
				'ORDER BY value ASC NULLS LAST, code',
				'LIMIT ?'
			].join('\n')
		);
		expect(built.params).toEqual(['applications_received', '2026-10', 'HEF', '', '', '17', 20]);
	});

	it('shows a median only where a result row is one published cell', () => {
		const { sql } = buildExplorationQuery(
			{ ...BY_PROVINCE, indicator: 'processing_days_median', measure: 'median' },
			'days',
			'commune'
		);
		expect(sql).toContain('CASE WHEN count(*) = 1 THEN min(value) END AS value');
	});

	it('filters every period of a kind and the groups of a disaggregation when they are dimensions', () => {
		const built = buildExplorationQuery(
			{
				...BY_PROVINCE,
				level: 'province',
				indicator: 'enrolment_coverage',
				period: null,
				periodKind: 'quarter',
				programme: 'OAA',
				groupBy: 'sex',
				groupValue: null,
				rows: ['period', 'group'],
				order: 'label'
			},
			'%',
			'province'
		);
		expect(built.sql).toBe(
			[
				'SELECT period, group_value, sum(numerator) / nullif(sum(denominator), 0) AS value, ' +
					'sum(numerator) AS numerator, sum(denominator) AS denominator, count(*) AS cells, ' +
					'count(*) FILTER (WHERE suppressed) AS suppressed',
				'FROM province',
				'WHERE indicator = ? AND period_kind = ? AND programme = ? AND group_by = ?',
				'GROUP BY period, group_value',
				'ORDER BY period, group_value',
				'LIMIT ?'
			].join('\n')
		);
		expect(built.params).toEqual(['enrolment_coverage', 'quarter', 'OAA', 'sex', 100]);
	});

	it('keeps whole row groups of a pivot, ordered by rows then the pivot', () => {
		const built = buildExplorationQuery(
			{ ...BY_PROVINCE, period: null, rows: ['province'], pivot: 'period', limit: 5 },
			'%',
			'commune'
		);
		expect(built.sql).toBe(
			[
				'SELECT province_code, period, sum(numerator) / nullif(sum(denominator), 0) AS value, ' +
					'sum(numerator) AS numerator, sum(denominator) AS denominator, count(*) AS cells, ' +
					'count(*) FILTER (WHERE suppressed) AS suppressed',
				'FROM commune',
				'WHERE indicator = ? AND period_kind = ? AND programme = ? AND group_by = ? AND group_value = ?',
				'GROUP BY province_code, period',
				'QUALIFY dense_rank() OVER (ORDER BY province_code) <= ?',
				'ORDER BY province_code, period'
			].join('\n')
		);
		expect(built.params).toEqual(['registration_coverage', 'month', '', '', '', 5]);
		expect(built.dimensions).toEqual(['province', 'period']);
	});

	it('totals the whole dataset when nothing groups it', () => {
		const built = buildExplorationQuery({ ...BY_PROVINCE, rows: [] }, '%', 'commune');
		expect(built.sql).not.toContain('GROUP BY');
		expect(built.sql).toContain('ORDER BY value DESC NULLS LAST\nLIMIT ?');
	});

	it('refuses a table name that is not an identifier it controls', () => {
		expect(() => buildExplorationQuery(BY_PROVINCE, '%', 'commune; DROP')).toThrow(/table/);
	});
});

describe('normaliseExploration', () => {
	it('turns a column left as "each" into a row dimension', () => {
		const normal = normaliseExploration(
			{ ...BY_PROVINCE, period: null, programme: null, rows: ['province'] },
			'%'
		);
		expect(normal.rows).toEqual(['province', 'period', 'programme']);
	});

	it('does not add a dimension that is already the pivot', () => {
		const normal = normaliseExploration({ ...BY_PROVINCE, period: null, pivot: 'period' }, '%');
		expect([normal.rows, normal.pivot]).toEqual([['province'], 'period']);
	});

	it('drops dimensions the dataset lacks, a pivot repeated as a row and groups of everyone', () => {
		const normal = normaliseExploration(
			{
				...BY_PROVINCE,
				level: 'province',
				rows: ['district', 'unit', 'group', 'period', 'unit'],
				pivot: 'period',
				district: '1701',
				groupValue: 'F'
			},
			'%'
		);
		expect(normal.rows).toEqual(['unit']);
		expect([normal.pivot, normal.district, normal.groupValue]).toEqual(['period', null, '']);
	});

	it('never sums a median, and keeps the limit within bounds', () => {
		const normal = normaliseExploration({ ...BY_PROVINCE, limit: 10 ** 9 }, 'days');
		expect([normal.measure, normal.limit]).toEqual(['median', 5000]);
		expect(normaliseExploration({ ...BY_PROVINCE, limit: Number.NaN }, '%').limit).toBe(100);
		expect(normaliseExploration({ ...BY_PROVINCE, measure: 'median' }, '%').measure).toBe('rate');
	});
});

describe('measuresFor', () => {
	it('offers sums only where they mean something', () => {
		expect(measuresFor('%')).toEqual(['rate', 'numerator', 'denominator']);
		expect(measuresFor('count')).toEqual(['numerator']);
		expect(measuresFor('days')).toEqual(['median']);
	});
});

describe('pivotResult', () => {
	const row = (province: string, period: string, value: number | null, suppressed = 0) =>
		({
			province_code: province,
			period,
			value,
			numerator: null,
			denominator: null,
			cells: 1,
			suppressed
		}) satisfies ExplorationRow;

	it('spreads the pivot values into sorted columns, leaving missing cells null', () => {
		const table = pivotResult(
			[row('01', '2026-09', 0.5), row('01', '2026-10', 0.6, 2), row('02', '2026-10', 0.7)],
			['province'],
			'period'
		);
		expect(table.columns).toEqual(['2026-09', '2026-10']);
		expect(table.rows.map((r) => [r.keys, r.cells])).toEqual([
			[
				['01'],
				[
					{ value: 0.5, cells: 1, suppressed: 0 },
					{ value: 0.6, cells: 1, suppressed: 2 }
				]
			],
			[['02'], [null, { value: 0.7, cells: 1, suppressed: 0 }]]
		]);
	});
});

describe('wrapUserQuery', () => {
	it('runs the query as a subquery with a limit, without its trailing semicolon', () => {
		expect(wrapUserQuery('SELECT 1 -- one\n ;; ; ', 10)).toEqual({
			sql: 'SELECT * FROM (\nSELECT 1 -- one\n) LIMIT ?',
			params: [10],
			dimensions: []
		});
	});

	it('refuses an empty query', () => {
		expect(() => wrapUserQuery('  ;', 10)).toThrow(/empty/);
	});
});

describe('statementText', () => {
	it('writes the parameters as literals, quotes doubled', () => {
		expect(
			statementText({
				sql: 'SELECT * FROM commune WHERE programme = ? AND name_en = ? LIMIT ?',
				params: ['', "O'Chrov", 10],
				dimensions: []
			})
		).toBe("SELECT * FROM commune WHERE programme = '' AND name_en = 'O''Chrov' LIMIT 10");
	});
});

describe('missingCells', () => {
	const units = [
		{ code: '170101', province_code: '17', district_code: '1701' },
		{ code: '170102', province_code: '17', district_code: '1701' },
		{ code: '170201', province_code: '17', district_code: '1702' },
		{ code: '010101', province_code: '01', district_code: '0101' }
	];
	const row = (columns: Record<string, string>, cells: number): ExplorationRow => ({
		...columns,
		value: null,
		numerator: null,
		denominator: null,
		cells,
		suppressed: 0
	});

	it('counts the units of the row’s province that have no cell (left out as suppressed)', () => {
		expect(missingCells(row({ province_code: '17' }, 2), BY_PROVINCE, units)).toBe(1);
		expect(missingCells(row({ province_code: '01' }, 1), BY_PROVINCE, units)).toBe(0);
	});

	it('narrows the units to the filters and to every geographic dimension', () => {
		const byDistrict = { ...BY_PROVINCE, rows: ['district', 'period'], province: '17' } as const;
		expect(
			missingCells(
				row({ district_code: '1701', period: '2026-10' }, 1),
				{ ...byDistrict, rows: [...byDistrict.rows] },
				units
			)
		).toBe(1);
		const total = { ...BY_PROVINCE, rows: [], district: '1702' };
		expect(missingCells(row({}, 1), total, units)).toBe(0);
		expect(
			missingCells(row({ code: '170102' }, 0), { ...BY_PROVINCE, rows: ['unit'] }, units)
		).toBe(1);
	});
});
