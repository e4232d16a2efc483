/**
 * The rollout aggregates read from the offices table (`$lib/server/registry/offices`), on a
 * hand-built list of offices; every expected value is worked out by hand beside it. They must
 * also agree with the indicator engine's stored `offices_open` and `commune_office_coverage`.
 */
import { storeSource } from '../../src/lib/server/indicators/source';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { getIndicatorSeries } from '../../src/lib/server/indicators/series';
import { refreshAll } from '../../src/lib/server/indicators/refresh';
import { getRolloutView } from '../../src/lib/server/indicators/rollout-view';
import { firstFrontOfficeYears, officesOpenByMonth } from '../../src/lib/indicators/rollout';
import { FIXTURE_FILES } from './indicator-fixture';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const FILES = {
	// Communes 010201, 170101, 170102 and 170201; districts 0102, 1701 and 1702.
	'gazetteer.csv': FIXTURE_FILES['gazetteer.csv'],
	// O2 opens on the last day of August 2014 and closes on 1 November (closed that day); O8
	// reopens 170102 in January 2015, so its first year stays 2014. O7 opens on the last day of
	// March 2015, O6 the day after (past the end of the view).
	'offices.csv': `office_code,level,geo_code,opened_on,closed_on
O1,commune_front,170101,2014-06-01,
O2,commune_front,170102,2014-08-31,2014-11-01
O3,district_back,1701,2014-07-01,
O4,province_back,17,2014-07-01,
O5,commune_front,010201,2015-02-01,
O6,commune_front,170201,2015-04-01,
O7,district_back,0102,2015-03-31,
O8,commune_front,170102,2015-01-15,
`
};

/** The view ends with March 2015; the refresh runs in April (latest complete month 2015-03). */
const THROUGH = '2015-03';
const TODAY = '2015-04-10';

describe.each(DATABASE_KINDS)('rollout aggregates of the offices table (%s)', (kind) => {
	let database: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-offices-'));
		for (const [name, content] of Object.entries(FILES))
			writeFileSync(path.join(dir, name), content);
		const outcomes = await importPath(database.db, dir);
		expect(outcomes.map((o) => (o.ok ? o.summary.rejected : o.error))).toEqual([0, 0]);
	}, 60_000);

	/** First front-office years of the store's communes. */
	async function openingYears(through: string) {
		const store = storeSource(database.db);
		const communes = (await store.units('commune')).map((unit) => unit.code);
		return firstFrontOfficeYears(communes, await store.offices(), through);
	}

	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('counts the offices open at the end of every month from the first opening, by level', async () => {
		const months = officesOpenByMonth(await storeSource(database.db).offices(), THROUGH);
		const row = (period: string, front: number, district: number, province: number) => ({
			period,
			commune_front: front,
			district_back: district,
			province_back: province
		});
		expect(months).toEqual([
			row('2014-06', 1, 0, 0), // O1
			row('2014-07', 1, 1, 1), // + O3, O4
			row('2014-08', 2, 1, 1), // + O2 (opened on the 31st, the month's last day)
			row('2014-09', 2, 1, 1),
			row('2014-10', 2, 1, 1),
			row('2014-11', 1, 1, 1), // O2 closed on 1 November
			row('2014-12', 1, 1, 1),
			row('2015-01', 2, 1, 1), // + O8
			row('2015-02', 3, 1, 1), // + O5
			row('2015-03', 3, 2, 1) // + O7 (the 31st); O6 opens in April, after the view
		]);
	});

	it('is empty before the first opening', async () => {
		expect(officesOpenByMonth(await storeSource(database.db).offices(), '2014-05')).toEqual([]);
	});

	it("gives each commune its first front office's year, closed ones included", async () => {
		expect(await openingYears('2015-03-31')).toEqual({
			'010201': 2015, // O5
			'170101': 2014, // O1
			'170102': 2014, // O2 (closed since), not O8
			'170201': null // O6 opens on 2015-04-01
		});
		expect((await openingYears('2015-04-01'))['170201']).toBe(2015);
	});

	it('shows the offices before any refresh, up to the latest complete month', async () => {
		const view = await getRolloutView(storeSource(database.db), TODAY);
		expect(view).toMatchObject({ month: '2015-03', computed: false, provinceCoverage: [] });
		expect(view.officesByMonth.map((m) => m.period)).toHaveLength(10);
		expect(view.openingYears['010201']).toBe(2015);
		expect(view.provinces.map((p) => p.code)).toEqual(['01', '17']);
	});

	it("agrees with the indicator engine's offices_open and commune_office_coverage", async () => {
		await refreshAll(database.db, { today: TODAY });
		const params = new URLSearchParams({ units: 'KH', kind: 'month' });
		const stored = await getIndicatorSeries(storeSource(database.db), 'offices_open', params);
		const months = officesOpenByMonth(await storeSource(database.db).offices(), THROUGH);
		// The refresh keeps the 12 months 2014-04 … 2015-03; offices opened from 2014-06.
		expect(stored.map((p) => p.period)).toEqual([
			'2014-04',
			'2014-05',
			...months.map((m) => m.period)
		]);
		expect(stored.slice(2).map((p) => p.value)).toEqual(
			months.map((m) => m.commune_front + m.district_back + m.province_back)
		);
		// End of March 2015: 010201, 170101 and 170102 have an open front office, of 4 communes.
		const coverage = await getIndicatorSeries(
			storeSource(database.db),
			'commune_office_coverage',
			params
		);
		expect(coverage.at(-1)).toMatchObject({ period: '2015-03', numerator: 3, denominator: 4 });
	});

	it('reads the view to the newest stored month once the indicators are computed', async () => {
		// Still on a later day, the view ends with the refresh's last month.
		const view = await getRolloutView(storeSource(database.db), '2015-09-01');
		expect(view.month).toBe('2015-03');
		expect(view.computed).toBe(true);
		// The 12 stored months; 2014's December is one of them and 2015 has not ended.
		expect(view.communeCoverage.map((p) => p.period)[0]).toBe('2014-04');
		expect(view.communeCoverage).toHaveLength(12);
		// Banteay Meanchey: 010201 of its 1 commune; Siem Reap: 170101 and 170102 of 3.
		expect(view.provinceCoverage.map((row) => [row.code, row.numerator, row.denominator])).toEqual([
			['01', 1, 1],
			['17', 2, 3]
		]);
		// No household in this registry: 0 registered, and no population to divide by.
		expect(view.registration.at(-1)).toMatchObject({ period: '2015-03', numerator: 0 });
	});
});
