/**
 * Property tests of the refresh on the hand-built registry plus random imports (fast-check):
 *
 * - the incremental refresh after an import (only the communes and periods it touched) leaves
 *   exactly the values a full refresh of every period computes;
 * - every additive indicator's value at a unit is the ratio of its children's summed
 *   numerators and denominators.
 */
import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryRows, type Db } from '../../src/lib/server/db';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { refreshAfterImport, refreshAll } from '../../src/lib/server/indicators/refresh';
import { listRefreshRuns } from '../../src/lib/server/indicators/refresh-history';
import { FIXTURE_FILES, FIXTURE_TODAY, FIXTURE_UNITS, writeDir } from './indicator-fixture';
import { programmeRollUpViolations } from './programme-sums';
import { createTestDatabase, DATABASE_KINDS, type DatabaseKind } from './test-database';

const VILLAGES = FIXTURE_UNITS.village;
const HOUSEHOLDS = ['H1', 'H2', 'H3', 'H4', 'H6', 'H7', 'H8'];
const MEMBERS: [person: string, household: string][] = [
	['P1', 'H1'],
	['P2', 'H1'],
	['P4', 'H2'],
	['P6', 'H3'],
	['P9', 'H6'],
	['P11', 'H7'],
	['P13', 'H8']
];
const PROGRAMMES = ['HEF', 'CT', 'OAA'];
/** The header of a households file. */
const HOUSEHOLDS_HEADER = 'household_id,village_code,registered_on,idpoor_level\n';

/** A day from 2020-01-01 to 2025-06-30 (`YYYY-MM-DD`). */
const day = fc
	.integer({ min: 0, max: 2007 })
	.map((n) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));

/** A birth date from 1940-01-01 to 2024-11-15, so ages cross every threshold. */
const birthDay = fc
	.integer({ min: 0, max: 31_000 })
	.map((n) => new Date(Date.UTC(1940, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));

/** No national ID, or one a fixture member has (N-1: P5 and P13), or a new one. */
const nationalId = fc.constantFrom('', 'N-1', 'N-7');

/** A random batch of changes to the fixture, as import files. */
const batch = fc.record({
	moves: fc.uniqueArray(
		fc.record({
			household: fc.constantFrom(...HOUSEHOLDS),
			village: fc.constantFrom(...VILLAGES),
			registered: day,
			idpoor: fc.constantFrom('1', '2', '')
		}),
		{ selector: (m) => m.household, maxLength: 3 }
	),
	// New households (HN0, HN1, …): counted only from their registration on.
	newHouseholds: fc.array(
		fc.record({
			village: fc.constantFrom(...VILLAGES),
			registered: day,
			idpoor: fc.constantFrom('1', '2', '')
		}),
		{ maxLength: 2 }
	),
	// Changed members, with a national ID that may make them (or stop them being) possible
	// duplicates of a person in another village (P5 and P13 share N-1).
	births: fc.uniqueArray(
		fc.record({ member: fc.constantFrom(...MEMBERS), born: birthDay, id: nationalId }),
		{ selector: (b) => b.member[0], maxLength: 2 }
	),
	// New members (PN0, PN1, …) of existing or new households.
	newMembers: fc.array(
		fc.record({
			household: fc.constantFrom(...HOUSEHOLDS, 'HN0'),
			born: birthDay,
			id: nationalId
		}),
		{ maxLength: 2 }
	),
	enrolments: fc.array(
		fc.record({
			programme: fc.constantFrom(...PROGRAMMES),
			member: fc.constantFrom(...MEMBERS),
			enrolled: day,
			paid: fc.option(day, { nil: undefined })
		}),
		{ maxLength: 4 }
	),
	// Applications and appeals, decided or closed some days later or not yet: what the medians
	// are taken over.
	applications: fc.array(
		fc.record({
			programme: fc.constantFrom(...PROGRAMMES),
			household: fc.constantFrom(...HOUSEHOLDS),
			applied: day,
			decidedAfter: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined })
		}),
		{ maxLength: 2 }
	),
	appeals: fc.array(
		fc.record({
			village: fc.constantFrom(...VILLAGES),
			lodged: day,
			closedAfter: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined })
		}),
		{ maxLength: 3 }
	)
});

/** `date` (`YYYY-MM-DD`) plus `days`. */
const daysAfter = (date: string, days: number) =>
	new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

type Batch = typeof batch extends fc.Arbitrary<infer T> ? T : never;

function batchFiles(b: Batch): Record<string, string> {
	const files: Record<string, string> = {};
	// A new member of HN0 needs it: it is then registered too.
	const newHouseholds =
		b.newHouseholds.length === 0 && b.newMembers.some((m) => m.household === 'HN0')
			? [{ village: VILLAGES[0], registered: '2024-02-29', idpoor: '' }]
			: b.newHouseholds;
	const households = [
		...b.moves.map((m) => `${m.household},${m.village},${m.registered},${m.idpoor}\n`),
		...newHouseholds.map((h, i) => `HN${i},${h.village},${h.registered},${h.idpoor}\n`)
	];
	if (households.length) {
		files['households.csv'] =
			'household_id,village_code,registered_on,idpoor_level\n' + households.join('');
	}
	const members = [
		...b.births.map((x) => `${x.member[0]},${x.member[1]},F,${x.born},${x.id}\n`),
		...b.newMembers.map((x, i) => `PN${i},${x.household},M,${x.born},${x.id}\n`)
	];
	if (members.length) {
		files['members.csv'] = 'person_id,household_id,sex,birth_date,national_id\n' + members.join('');
	}
	if (b.enrolments.length) {
		files['enrolments.csv'] =
			'enrolment_id,programme_code,household_id,person_id,enrolled_on\n' +
			b.enrolments
				.map(
					(e, i) =>
						`R${i},${e.programme},${e.member[1]},${e.programme === 'OAA' ? e.member[0] : ''},${e.enrolled}\n`
				)
				.join('');
		const paid = b.enrolments.flatMap((e, i) =>
			e.paid && e.paid >= e.enrolled ? [`RB${i},R${i},${e.paid.slice(0, 7)},${e.paid}\n`] : []
		);
		if (paid.length) {
			files['benefits.csv'] = 'benefit_id,enrolment_id,period,delivered_on\n' + paid.join('');
		}
	}
	if (b.applications.length) {
		files['applications.csv'] =
			'application_id,programme_code,household_id,applied_on,status,decided_on\n' +
			b.applications
				.map((a, i) =>
					a.decidedAfter === undefined
						? `RP${i},${a.programme},${a.household},${a.applied},pending,\n`
						: `RP${i},${a.programme},${a.household},${a.applied},approved,${daysAfter(a.applied, a.decidedAfter)}\n`
				)
				.join('');
	}
	if (b.appeals.length) {
		files['appeals.csv'] =
			'appeal_id,village_code,lodged_on,channel,category,status,resolved_on\n' +
			b.appeals
				.map((a, i) =>
					a.closedAfter === undefined
						? `RA${i},${a.village},${a.lodged},hotline,other,open,\n`
						: `RA${i},${a.village},${a.lodged},hotline,other,resolved,${daysAfter(a.lodged, a.closedAfter)}\n`
				)
				.join('');
	}
	return files;
}

/** Every stored value, in a stable order. */
async function dump(db: Db) {
	return {
		values: await queryRows(
			db,
			sql`SELECT indicator_id, period, level, geo_code, programme, group_by, group_value,
					numerator, denominator, value
				FROM indicator_values
				ORDER BY indicator_id, period, geo_code, programme, group_by, group_value`
		),
		programmes: await queryRows(
			db,
			sql`SELECT * FROM programme_values
				ORDER BY period, geo_code, programme, group_by, group_value`
		),
		// The districts' and provinces' counts the provinces' and nation's medians are read from.
		medianDays: await queryRows(
			db,
			sql`SELECT * FROM median_days
				ORDER BY period, province_code, district_code, indicator_id, programme, idpoor, days`
		),
		medianDaysPeriods: await queryRows(
			db,
			sql`SELECT period FROM median_days_periods ORDER BY period`
		)
	};
}

/** Additive rows whose sums differ from their children's (medians are excluded). */
function rollUpViolations(db: Db) {
	return queryRows(
		db,
		sql`WITH children AS (
				SELECT v.indicator_id, v.period, g.parent_code AS geo_code, v.programme, v.group_by,
					v.group_value, v.level, sum(v.numerator) AS numerator,
					sum(v.denominator) AS denominator
				FROM indicator_values v JOIN geo_units g ON g.code = v.geo_code
				WHERE v.indicator_id NOT IN ('processing_days_median', 'appeal_days_median',
					'registration_coverage', 'offices_open', 'commune_office_coverage')
					AND v.level <> 'national'
				GROUP BY 1, 2, 3, 4, 5, 6, 7
			)
			SELECT c.*, p.numerator AS parent_numerator, p.denominator AS parent_denominator
			FROM children c LEFT JOIN indicator_values p ON p.indicator_id = c.indicator_id
				AND p.period = c.period AND p.geo_code = c.geo_code AND p.programme = c.programme
				AND p.group_by = c.group_by AND p.group_value = c.group_value
			WHERE coalesce(p.numerator, 0) <> c.numerator
				OR coalesce(p.denominator, 0) <> coalesce(c.denominator, 0)`
	);
}

/**
 * Imports `dir` into both databases: the first refreshed incrementally after it, the second
 * left for a full refresh.
 */
async function importIntoBoth(incremental: Db, full: Db, dir: string) {
	const outcomes = await importPath(incremental, dir);
	await refreshAfterImport(
		incremental,
		outcomes.map((o) => (o.ok ? o.summary.touch : undefined))
	);
	await importPath(full, dir);
}

/**
 * Two databases of `kind` with the files of `base` imported and refreshed in full: one to
 * refresh incrementally after a change, the other in full (both dropped if that fails).
 */
async function refreshedPair(kind: DatabaseKind, base: string) {
	const pair = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
	try {
		for (const database of pair) {
			await importPath(database.db, base);
			await refreshAll(database.db, { today: FIXTURE_TODAY });
		}
	} catch (error) {
		await Promise.all(pair.map((database) => database.drop()));
		throw error;
	}
	return pair;
}

describe.each(DATABASE_KINDS)('incremental and full refresh on %s', (kind) => {
	it('does nothing, and records nothing, after an import before the first full refresh', async () => {
		const database = await createTestDatabase(kind);
		const dir = writeDir(FIXTURE_FILES);
		try {
			const outcomes = await importPath(database.db, dir);
			const result = await refreshAfterImport(
				database.db,
				outcomes.map((o) => (o.ok ? o.summary.touch : undefined))
			);
			expect(result).toEqual({ kind: 'incremental', periods: [], durationMs: 0 });
			expect(await queryRows(database.db, sql`SELECT id FROM refresh_runs`)).toEqual([]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
			await database.drop();
		}
	});

	it("recompute a partner's village in another commune when an import changes its duplicate flag", async () => {
		const base = writeDir(FIXTURE_FILES);
		// P13 (H8, commune 010201) and P5 (H2, commune 170101) share national ID N-1: clearing
		// P13's unflags P5 too, and giving it back flags P5 again.
		const steps = [
			writeDir({ 'members.csv': 'person_id,household_id,sex,birth_date\nP13,H8,M,1958-02-02\n' }),
			writeDir({
				'members.csv':
					'person_id,household_id,sex,birth_date,national_id\nP13,H8,M,1958-02-02,N-1\n'
			})
		];
		const [incremental, full] = await refreshedPair(kind, base);
		try {
			const flagged = (db: Db) =>
				queryRows(
					db,
					sql`SELECT person_id FROM members WHERE possible_duplicate ORDER BY person_id`
				);
			const partnerCount = (db: Db) =>
				queryRows(
					db,
					sql`SELECT numerator FROM indicator_values WHERE indicator_id = 'possible_duplicates'
						AND period = '2025-06' AND geo_code = '17010101'`
				);
			for (const [i, dir] of steps.entries()) {
				const outcomes = await importPath(incremental.db, dir);
				const touch = outcomes.map((o) => (o.ok ? o.summary.touch : undefined));
				// The file changes P13's national ID only, which no indicator reads: the flags it
				// changes touch P13's H8 (commune 010201, registered 2024-02-01) and P5's H2 (170101),
				// from the earlier registration, H2's.
				expect(touch).toEqual([
					{ communes: ['010201', '170101'], since: '2022-06-15', medians: [] }
				]);
				await refreshAfterImport(incremental.db, touch);
				await importPath(full.db, dir);
				await refreshAll(full.db, { today: FIXTURE_TODAY, all: true });
				expect(await flagged(incremental.db)).toEqual(
					i === 0 ? [] : [{ person_id: 'P13' }, { person_id: 'P5' }]
				);
				// P5's village, 17010101: no possible duplicate left, then one again.
				expect(await partnerCount(incremental.db)).toEqual(i === 0 ? [] : [{ numerator: 1 }]);
				expect(await dump(incremental.db)).toEqual(await dump(full.db));
			}
		} finally {
			for (const dir of [base, ...steps]) rmSync(dir, { recursive: true, force: true });
			await Promise.all([incremental.drop(), full.drop()]);
		}
	}, 120_000);

	it("recompute a new household's commune from its registration, and the medians only when they can change", async () => {
		const database = await createTestDatabase(kind);
		const base = writeDir(FIXTURE_FILES);
		const dir = writeDir({
			'households.csv':
				'household_id,village_code,registered_on,idpoor_level\nHN1,17020101,2025-05-20,1\nH7,01020101,2023-05-05,2\n'
		});
		const added = writeDir({
			'households.csv':
				'household_id,village_code,registered_on,idpoor_level\nHN2,17020101,2025-05-20,1\n'
		});
		// The fixture's households file uploaded again whole (H7 as the import of `dir` left it)
		// with one row corrected (H8 made IDPoor 2) and one added: the rows repeated as they are
		// touch nothing.
		const corrected = writeDir({
			'households.csv': FIXTURE_FILES['households.csv']!.replace(
				'H7,01020101,2023-05-05,1\nH8,01020101,2024-02-01,\n',
				'H7,01020101,2023-05-05,2\nH8,01020101,2024-02-01,2\nHN3,17010102,2026-02-03,\n'
			)
		});
		try {
			await importPath(database.db, base);
			await refreshAll(database.db, { today: FIXTURE_TODAY });
			const touches = async (path: string) =>
				(await importPath(database.db, path)).map((o) => (o.ok ? o.summary.touch : undefined));
			// A new household only: its commune from its registration day; no median can move.
			expect(await touches(added)).toEqual([
				{ communes: ['170201'], since: '2025-05-20', medians: [] }
			]);
			// With a stored household changed (H7 has a decided application): every period, medians too.
			expect(await touches(dir)).toEqual([
				{ communes: ['010201', '170201'], since: '0001-01-01', medians: ['processing_days_median'] }
			]);
			// H8's commune for every period (its earlier records count differently), HN3's from
			// its registration; not the communes of the seven households repeated as they are.
			expect(await touches(corrected)).toEqual([
				{ communes: ['010201', '170101'], since: '0001-01-01', medians: ['processing_days_median'] }
			]);
			// The same file again: nothing changes, nothing is touched.
			expect(await touches(corrected)).toEqual([undefined]);
		} finally {
			for (const d of [base, dir, added, corrected]) rmSync(d, { recursive: true, force: true });
			await database.drop();
		}
	});

	it('touch nothing with rows that change only in columns no indicator reads', async () => {
		const database = await createTestDatabase(kind);
		const base = writeDir(FIXTURE_FILES);
		// P1's name and relationship, B1's amount, AP1's channel: updated, and no indicator reads them.
		const unread = writeDir({
			'members.csv':
				'person_id,household_id,sex,birth_date,national_id,disability,full_name,relationship\nP1,H1,F,1960-05-01,,no,Sok Dara,head\n',
			'benefits.csv':
				'benefit_id,enrolment_id,period,delivered_on,amount_khr\nB1,E1,2025-05,2025-05-10,250000\n',
			'appeals.csv':
				'appeal_id,household_id,programme_code,village_code,lodged_on,channel,category,status,resolved_on\nAP1,H1,HEF,17010101,2025-04-02,hotline,exclusion,resolved,2025-04-12\n'
		});
		// P1's name again, and P3's disability (yes → no), which the indicators read.
		const read = writeDir({
			'members.csv':
				'person_id,household_id,sex,birth_date,national_id,disability,full_name\nP1,H1,F,1960-05-01,,no,Sok Dara Sr\nP3,H1,F,1990-01-01,,no,\n'
		});
		try {
			await importPath(database.db, base);
			await refreshAll(database.db, { today: FIXTURE_TODAY });
			const outcomes = await importPath(database.db, unread);
			expect(outcomes.map((o) => (o.ok ? [o.summary.updated, o.summary.touch] : o))).toEqual([
				[1, undefined],
				[1, undefined],
				[1, undefined]
			]);
			const changed = await importPath(database.db, read);
			expect(changed.map((o) => (o.ok ? [o.summary.updated, o.summary.touch] : o))).toEqual([
				[2, { communes: ['170101'], since: '0001-01-01', medians: [] }]
			]);
		} finally {
			for (const d of [base, unread, read]) rmSync(d, { recursive: true, force: true });
			await database.drop();
		}
	});

	it("count every district's days for the periods counted before the districts' counts were kept", async () => {
		// A store computed before migration 0012: its periods have no `median_days`. An
		// incremental refresh touching one commune then counts every district's records for
		// them, or the nation's medians would be those of the commune's district alone.
		const base = writeDir(FIXTURE_FILES);
		const dir = writeDir({
			'households.csv':
				'household_id,village_code,registered_on,idpoor_level\nH7,01020101,2023-05-05,2\n'
		});
		const [incremental, full] = await refreshedPair(kind, base);
		try {
			await incremental.db.execute(sql`DELETE FROM median_days`);
			await incremental.db.execute(sql`DELETE FROM median_days_periods`);
			const outcomes = await importPath(incremental.db, dir);
			const touch = outcomes.map((o) => (o.ok ? o.summary.touch : undefined));
			expect(touch).toEqual([
				{ communes: ['010201'], since: '0001-01-01', medians: ['processing_days_median'] }
			]);
			await refreshAfterImport(incremental.db, touch);
			await importPath(full.db, dir);
			await refreshAll(full.db, { today: FIXTURE_TODAY, all: true });
			// The nation's processing days in June 2025 (`indicators.spec`): A6 40 days (province
			// 17) and A9 66 (province 01, H7's): 53, not province 01's 66 alone.
			const national = await queryRows(
				incremental.db,
				sql`SELECT numerator, value FROM indicator_values
					WHERE indicator_id = 'processing_days_median' AND period = '2025-06'
						AND level = 'national' AND programme = '' AND group_by = ''`
			);
			expect(national).toEqual([{ numerator: 2, value: 53 }]);
			expect(await dump(incremental.db)).toEqual(await dump(full.db));
		} finally {
			for (const d of [base, dir]) rmSync(d, { recursive: true, force: true });
			await Promise.all([incremental.drop(), full.drop()]);
		}
	}, 120_000);

	it('refresh in full the periods an import touched when it touched too many communes', async () => {
		const base = writeDir(FIXTURE_FILES);
		// H8 (commune 010201) and H4 (170101) change IDPoor level: two of the four communes that
		// hold households, for every period.
		const dir = writeDir({
			'households.csv': `${HOUSEHOLDS_HEADER}H8,01020101,2024-02-01,2\nH4,17010102,2023-01-10,\n`
		});
		// H1 (170101) back to none: one commune.
		const one = writeDir({
			'households.csv': `${HOUSEHOLDS_HEADER}H1,17010101,2021-03-01,\n`
		});
		// H8 and H4 as they were: two communes again.
		const back = writeDir({
			'households.csv': `${HOUSEHOLDS_HEADER}H8,01020101,2024-02-01,\nH4,17010102,2023-01-10,1\n`
		});
		const [incremental, full] = await refreshedPair(kind, base);
		try {
			// Every period the first full refresh computed (as of 2025-07-10: the years since H1's
			// registration in 2021, the twelve months from 2024-07, their quarters), in label order.
			const computed = [
				...['2021', '2022', '2023', '2024'],
				...['2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2024-Q3', '2024-Q4'],
				...['2025', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'],
				...['2025-Q1', '2025-Q2']
			];
			// As the refresh page's history lists it.
			const lastRun = async () =>
				(await listRefreshRuns(incremental.db, 1)).map((r) => ({
					kind: r.kind,
					communes: r.communes,
					touched_communes: r.touched_communes
				}));
			const importAndRefresh = async (path: string, share: number) => {
				const outcomes = await importPath(incremental.db, path);
				await importPath(full.db, path);
				return refreshAfterImport(
					incremental.db,
					outcomes.map((o) => (o.ok ? o.summary.touch : undefined)),
					{ fullAbove: { share, minCommunes: 1 } }
				);
			};
			// Two communes of four is more than a quarter: every commune, every period it touched.
			const result = await importAndRefresh(dir, 0.25);
			expect(result?.kind).toBe('full');
			expect(result?.periods).toEqual(computed);
			expect(await lastRun()).toEqual([{ kind: 'full', communes: null, touched_communes: 2 }]);
			// One commune of four is not more than a quarter: that commune alone.
			expect((await importAndRefresh(one, 0.25))?.kind).toBe('incremental');
			expect(await lastRun()).toEqual([
				{ kind: 'incremental', communes: 1, touched_communes: null }
			]);
			// Two of four is not more than half.
			expect((await importAndRefresh(back, 0.5))?.kind).toBe('incremental');
			expect(await lastRun()).toEqual([
				{ kind: 'incremental', communes: 2, touched_communes: null }
			]);
			await refreshAll(full.db, { today: FIXTURE_TODAY, all: true });
			expect(await dump(incremental.db)).toEqual(await dump(full.db));
		} finally {
			for (const d of [base, dir, one, back]) rmSync(d, { recursive: true, force: true });
			await Promise.all([incremental.drop(), full.drop()]);
		}
	}, 120_000);

	/**
	 * Imports `files` one after another, each followed by an incremental refresh, and expects
	 * the values a full refresh of every period computes after the same imports.
	 */
	async function expectSameAfterImports(...files: Record<string, string>[]) {
		const base = writeDir(FIXTURE_FILES);
		const dirs = files.map(writeDir);
		const [incremental, full] = await refreshedPair(kind, base);
		try {
			for (const dir of dirs) await importIntoBoth(incremental.db, full.db, dir);
			await refreshAll(full.db, { today: FIXTURE_TODAY, all: true });
			expect(await dump(incremental.db)).toEqual(await dump(full.db));
		} finally {
			for (const d of [base, ...dirs]) rmSync(d, { recursive: true, force: true });
			await Promise.all([incremental.drop(), full.drop()]);
		}
	}
	// A new household in commune 010201: a file that touches that commune alone.
	const laterInCommune010201 = {
		'households.csv': `${HOUSEHOLDS_HEADER}HN9,01020102,2024-01-02,1\n`
	};

	it('find the enrolments of a household that moved, in a later import touching only its new commune', async () => {
		// H6 (enrolments E2, E6 and E8) moves from commune 170201 to 010201. The later refresh
		// reads the commune's enrolments by their village: H6's must have moved with it, or they
		// would count nowhere.
		await expectSameAfterImports(
			{ 'households.csv': `${HOUSEHOLDS_HEADER}H6,01020101,2024-07-01,2\n` },
			laterInCommune010201
		);
	}, 120_000);

	it("find a moved person's enrolment that names their old household, in a later import touching only their new commune", async () => {
		// P9 (enrolled in OAA as E8, naming household H6 in commune 170201) joins H8 in commune
		// 010201. E8 still names H6: the later refresh finds it through P9, who changed
		// household, or P9 would count as not enrolled.
		await expectSameAfterImports(
			{
				'members.csv': 'person_id,household_id,sex,birth_date,disability\nP9,H8,M,1963-06-30,yes\n'
			},
			laterInCommune010201
		);
	}, 120_000);

	it('give the same values, and every parent sums its children, after random imports', async () => {
		const base = writeDir(FIXTURE_FILES);
		try {
			await fc.assert(
				fc.asyncProperty(batch, async (changes) => {
					const [incremental, full] = await refreshedPair(kind, base);
					const dir = writeDir(batchFiles(changes));
					try {
						await importIntoBoth(incremental.db, full.db, dir);
						await refreshAll(full.db, { today: FIXTURE_TODAY, all: true });

						expect(await dump(incremental.db)).toEqual(await dump(full.db));
						expect(await rollUpViolations(full.db)).toEqual([]);
						expect(await programmeRollUpViolations(full.db)).toEqual([]);
					} finally {
						rmSync(dir, { recursive: true, force: true });
						await Promise.all([incremental.drop(), full.drop()]);
					}
				}),
				{ numRuns: 8 }
			);
		} finally {
			rmSync(base, { recursive: true, force: true });
		}
	}, 300_000);
});
