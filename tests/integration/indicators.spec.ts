/**
 * Every indicator of the catalogue on the hand-built registry of `indicator-fixture.ts`,
 * at every level, through the real importer, refresh and API. Each expected value is worked
 * out by hand in the comment beside it. A unit a case does not list is expected to be zero:
 * a count of 0, a rate of 0/0 (value null), a median over no records (value null).
 *
 * Periods: 2025-Q2 runs 2025-04-01 … 2025-06-30; stock indicators are measured on
 * 2025-06-30, flows during the quarter. 2025-06 has the same end, so its stocks equal Q2's.
 */
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/lib/server/db';
import { storeSource } from '../../src/lib/server/indicators/source';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { ApiError, getIndicatorRows } from '../../src/lib/server/indicators/api';
import { getIndicatorSeries, getUnitValues } from '../../src/lib/server/indicators/series';
import { COMPUTED_INDICATORS, refreshAll } from '../../src/lib/server/indicators/refresh';
import { CATALOGUE } from '../../src/lib/indicators/catalogue';
import { listBenefitsBeforeEnrolment } from '../../src/lib/server/registry/benefit-checks';
import { FIXTURE_FILES, FIXTURE_TODAY, FIXTURE_UNITS } from './indicator-fixture';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

type Level = keyof typeof FIXTURE_UNITS;
/** [numerator, denominator] of a rate or count; [records, median] of a median. */
type Pair = [number, number | null];

interface Case {
	id: string;
	period: string;
	programme?: string;
	by?: [name: string, value: string];
	/** How the value follows from the pair (independent of the catalogue). */
	kind: 'rate' | 'per1000' | 'count' | 'median';
	levels: Partial<Record<Level, Record<string, Pair>>>;
}

const c = (n: number): Pair => [n, null];

const CASES: Case[] = [
	{
		// Registered by 2025-06-30: H1 H2 H3 (17010101), H4 (17010102), H6 (17020101),
		// H7 H8 (01020101); H5 (17010201) only on 2025-07-01. Population 2024 per village.
		id: 'registration_coverage',
		period: '2025-Q2',
		kind: 'rate',
		levels: {
			village: {
				'17010101': [3, 10],
				'17010102': [1, 5],
				'17010201': [0, 8],
				'17020101': [1, 4],
				'01020101': [2, 20],
				'01020102': [0, 2]
			},
			commune: { '170101': [4, 15], '170102': [0, 8], '170201': [1, 4], '010201': [2, 22] },
			district: { '1701': [4, 23], '1702': [1, 4], '0102': [2, 22] },
			province: { '17': [5, 27], '01': [2, 22] },
			national: { KH: [7, 49] }
		}
	},
	{
		// Open on 2025-06-30: O1 (170101), O3 (district 1701), O4 (province 17), O5 (010201,
		// opened that day). O2 closed 2025-05-31, O6 opens 2025-07-01.
		id: 'offices_open',
		period: '2025-Q2',
		kind: 'count',
		levels: {
			commune: { '170101': c(1), '010201': c(1) },
			district: { '1701': c(2), '0102': c(1) },
			province: { '17': c(3), '01': c(1) },
			national: { KH: c(4) }
		}
	},
	{
		// On 2024-12-31: O1, O2 (170102, still open), O3, O4.
		id: 'offices_open',
		period: '2024',
		kind: 'count',
		levels: {
			commune: { '170101': c(1), '170102': c(1) },
			district: { '1701': c(3) },
			province: { '17': c(4) },
			national: { KH: c(4) }
		}
	},
	{
		// Communes with an open commune_front office on 2025-06-30: 170101 (O1), 010201 (O5).
		id: 'commune_office_coverage',
		period: '2025-Q2',
		kind: 'rate',
		levels: {
			commune: { '170101': [1, 1], '170102': [0, 1], '170201': [0, 1], '010201': [1, 1] },
			district: { '1701': [1, 2], '1702': [0, 1], '0102': [1, 1] },
			province: { '17': [1, 3], '01': [1, 1] },
			national: { KH: [2, 4] }
		}
	},
	{
		// On 2024-12-31: 170101 (O1) and 170102 (O2).
		id: 'commune_office_coverage',
		period: '2024',
		kind: 'rate',
		levels: {
			commune: { '170101': [1, 1], '170102': [1, 1], '170201': [0, 1], '010201': [0, 1] },
			district: { '1701': [2, 2], '1702': [0, 1], '0102': [0, 1] },
			province: { '17': [2, 3], '01': [0, 1] },
			national: { KH: [2, 4] }
		}
	},
	// HEF (household, idpoor) on 2025-06-30: eligible H1 H3 (17010101), H4 (17010102, no
	// members), H6 (17020101), H7 (01020101); not H2, H8 (not poor), H5 (not registered).
	// Enrolled at the end: H1 (E1), H6 (E2), H2 (E3, outside target); H7's E4 exited
	// 2025-05-15, so H7 was enrolled during Q2 but not at its end. Benefits delivered in Q2:
	// H1 (B1, B2), H7 (B4); H6's B3 was in March.
	{
		id: 'eligible',
		period: '2025-Q2',
		programme: 'HEF',
		kind: 'count',
		levels: {
			village: { '17010101': c(2), '17010102': c(1), '17020101': c(1), '01020101': c(1) },
			commune: { '170101': c(3), '170201': c(1), '010201': c(1) },
			district: { '1701': c(3), '1702': c(1), '0102': c(1) },
			province: { '17': c(4), '01': c(1) },
			national: { KH: c(5) }
		}
	},
	{
		// Eligible and enrolled at the end: H1, H6.
		id: 'enrolment_coverage',
		period: '2025-Q2',
		programme: 'HEF',
		kind: 'rate',
		levels: {
			village: {
				'17010101': [1, 2],
				'17010102': [0, 1],
				'17020101': [1, 1],
				'01020101': [0, 1]
			},
			commune: { '170101': [1, 3], '170201': [1, 1], '010201': [0, 1] },
			district: { '1701': [1, 3], '1702': [1, 1], '0102': [0, 1] },
			province: { '17': [2, 4], '01': [0, 1] },
			national: { KH: [2, 5] }
		}
	},
	{
		// Enrolled during Q2: H1, H2 (17010101), H6, H7 (exited mid-quarter); with a benefit
		// in Q2: H1, H7.
		id: 'take_up',
		period: '2025-Q2',
		programme: 'HEF',
		kind: 'rate',
		levels: {
			village: { '17010101': [1, 2], '17020101': [0, 1], '01020101': [1, 1] },
			commune: { '170101': [1, 2], '170201': [0, 1], '010201': [1, 1] },
			district: { '1701': [1, 2], '1702': [0, 1], '0102': [1, 1] },
			province: { '17': [1, 3], '01': [1, 1] },
			national: { KH: [2, 4] }
		}
	},
	{
		// June only: H7 had exited (2025-05-15), so enrolled during June are H1, H2, H6;
		// a benefit in June: H1 (B2).
		id: 'take_up',
		period: '2025-06',
		programme: 'HEF',
		kind: 'rate',
		levels: {
			village: { '17010101': [1, 2], '17020101': [0, 1] },
			national: { KH: [1, 3] }
		}
	},
	{
		// Eligible at the end with a benefit in Q2: H1, H7.
		id: 'effective_coverage',
		period: '2025-Q2',
		programme: 'HEF',
		kind: 'rate',
		levels: {
			village: {
				'17010101': [1, 2],
				'17010102': [0, 1],
				'17020101': [0, 1],
				'01020101': [1, 1]
			},
			commune: { '170101': [1, 3], '170201': [0, 1], '010201': [1, 1] },
			district: { '1701': [1, 3], '1702': [0, 1], '0102': [1, 1] },
			province: { '17': [1, 4], '01': [1, 1] },
			national: { KH: [2, 5] }
		}
	},
	{
		// June: only H1 received a benefit in June; eligible as in Q2.
		id: 'effective_coverage',
		period: '2025-06',
		programme: 'HEF',
		kind: 'rate',
		levels: { national: { KH: [1, 5] } }
	},
	{
		// Enrolled at the end: H1, H2 (17010101), H6 (17020101); H2 is not poor.
		id: 'inclusion_outside_target',
		period: '2025-Q2',
		programme: 'HEF',
		kind: 'rate',
		levels: {
			village: { '17010101': [1, 2], '17020101': [0, 1] },
			commune: { '170101': [1, 2], '170201': [0, 1] },
			district: { '1701': [1, 2], '1702': [0, 1] },
			province: { '17': [1, 3] },
			national: { KH: [1, 3] }
		}
	},
	// CT (household, idpoor&age<2) on 2025-06-30: H1 (P2, 1), H3 (P7, 1), H7 (P12, 0);
	// not H6: P10 turns 2 on 2025-06-30; not H4 (no members). Enrolled: H1 (E5), H6 (E6).
	// Benefit in Q2: H1 (B5).
	{
		id: 'eligible',
		period: '2025-Q2',
		programme: 'CT',
		kind: 'count',
		levels: { village: { '17010101': c(2), '01020101': c(1) }, national: { KH: c(3) } }
	},
	{
		// On 2025-05-31: H1, H6 (P10 still 1), H7; H3 is not registered yet.
		id: 'eligible',
		period: '2025-05',
		programme: 'CT',
		kind: 'count',
		levels: {
			village: { '17010101': c(1), '17020101': c(1), '01020101': c(1) },
			national: { KH: c(3) }
		}
	},
	{
		id: 'enrolment_coverage',
		period: '2025-Q2',
		programme: 'CT',
		kind: 'rate',
		levels: { village: { '17010101': [1, 2], '01020101': [0, 1] }, national: { KH: [1, 3] } }
	},
	{
		id: 'take_up',
		period: '2025-Q2',
		programme: 'CT',
		kind: 'rate',
		levels: { village: { '17010101': [1, 1], '17020101': [0, 1] }, national: { KH: [1, 2] } }
	},
	{
		id: 'effective_coverage',
		period: '2025-Q2',
		programme: 'CT',
		kind: 'rate',
		levels: { national: { KH: [1, 3] } }
	},
	{
		id: 'inclusion_outside_target',
		period: '2025-Q2',
		programme: 'CT',
		kind: 'rate',
		levels: { village: { '17010101': [0, 1], '17020101': [1, 1] }, national: { KH: [1, 2] } }
	},
	// OAA (person, age>=60&idpoor) on 2025-06-30: eligible P1 (65, H1), P6 (75, H3), P9
	// (62 that day, H6), P11 (69, H7); not P13 (H8 not poor), P8 (H5 not registered), P4
	// (59). Enrolled at the end: P1 (E7), P9 (E8, enrolled that day), P13 (E9, outside
	// target); P4's E10 ran 2025-04-10 … 2025-04-20. Benefits in Q2: P1, P9, P13, P4.
	{
		id: 'eligible',
		period: '2025-Q2',
		programme: 'OAA',
		kind: 'count',
		levels: {
			village: { '17010101': c(2), '17020101': c(1), '01020101': c(1) },
			national: { KH: c(4) }
		}
	},
	{
		id: 'enrolment_coverage',
		period: '2025-Q2',
		programme: 'OAA',
		kind: 'rate',
		levels: {
			village: { '17010101': [1, 2], '17020101': [1, 1], '01020101': [0, 1] },
			national: { KH: [2, 4] }
		}
	},
	{
		// Enrolled during Q2: P1, P9, P13, P4, all with a benefit.
		id: 'take_up',
		period: '2025-Q2',
		programme: 'OAA',
		kind: 'rate',
		levels: {
			village: { '17010101': [2, 2], '17020101': [1, 1], '01020101': [1, 1] },
			national: { KH: [4, 4] }
		}
	},
	{
		id: 'effective_coverage',
		period: '2025-Q2',
		programme: 'OAA',
		kind: 'rate',
		levels: { national: { KH: [2, 4] } }
	},
	{
		id: 'inclusion_outside_target',
		period: '2025-Q2',
		programme: 'OAA',
		kind: 'rate',
		levels: {
			village: { '17010101': [0, 1], '17020101': [0, 1], '01020101': [1, 1] },
			national: { KH: [1, 3] }
		}
	},
	// OAA by sex: F = P1, P6, P11; M = P9, P13, P4.
	...(
		[
			['eligible', 'count', c(3), c(1)],
			['enrolment_coverage', 'rate', [1, 3], [1, 1]],
			['take_up', 'rate', [1, 1], [3, 3]],
			['effective_coverage', 'rate', [1, 3], [1, 1]],
			['inclusion_outside_target', 'rate', [0, 1], [1, 2]]
		] as const
	).flatMap(([id, kind, female, male]): Case[] => [
		{
			id,
			period: '2025-Q2',
			programme: 'OAA',
			by: ['sex', 'F'],
			kind,
			levels: { national: { KH: [...female] } }
		},
		{
			id,
			period: '2025-Q2',
			programme: 'OAA',
			by: ['sex', 'M'],
			kind,
			levels: { national: { KH: [...male] } }
		}
	]),
	{
		id: 'eligible',
		period: '2025-Q2',
		programme: 'OAA',
		by: ['sex', 'F'],
		kind: 'count',
		// Groups are stored from commune level up: P1, P6 in 170101; P11 in 010201.
		levels: {
			commune: { '170101': c(2), '010201': c(1) },
			district: { '1701': c(2), '0102': c(1) }
		}
	},
	// OAA by life-cycle group on 2025-06-30: P4 is 59 (working age); the others are 60+.
	...(
		[
			['eligible', 'count', c(4), c(0)],
			['enrolment_coverage', 'rate', [2, 4], [0, 0]],
			['take_up', 'rate', [3, 3], [1, 1]],
			['effective_coverage', 'rate', [2, 4], [0, 0]],
			['inclusion_outside_target', 'rate', [1, 3], [0, 0]]
		] as const
	).flatMap(([id, kind, older, working]): Case[] =>
		(
			[
				['older_persons', older],
				['working_age', working],
				['children', kind === 'count' ? c(0) : ([0, 0] as Pair)]
			] as const
		).map(([group, pair]) => ({
			id,
			period: '2025-Q2',
			programme: 'OAA',
			by: ['life_cycle', group],
			kind,
			levels: { national: { KH: [...pair] } }
		}))
	),
	// OAA by disability: yes = P9; no (or not reported) = P1, P6, P11, P13, P4.
	...(
		[
			['eligible', 'count', c(1), c(3)],
			['enrolment_coverage', 'rate', [1, 1], [1, 3]],
			['take_up', 'rate', [1, 1], [3, 3]],
			['effective_coverage', 'rate', [1, 1], [1, 3]],
			['inclusion_outside_target', 'rate', [0, 1], [1, 2]]
		] as const
	).flatMap(([id, kind, yes, no]): Case[] =>
		(
			[
				['yes', yes],
				['no', no]
			] as const
		).map(([group, pair]) => ({
			id,
			period: '2025-Q2',
			programme: 'OAA',
			by: ['disability', group],
			kind,
			levels: { national: { KH: [...pair] } }
		}))
	),
	// OAA by IDPoor level: 1 = P1, P11; 2 = P6, P9; none = P13, P4.
	...(
		[
			['eligible', 'count', c(2), c(2), c(0)],
			['enrolment_coverage', 'rate', [1, 2], [1, 2], [0, 0]],
			['take_up', 'rate', [1, 1], [1, 1], [2, 2]],
			['effective_coverage', 'rate', [1, 2], [1, 2], [0, 0]],
			['inclusion_outside_target', 'rate', [0, 1], [0, 1], [1, 1]]
		] as const
	).flatMap(([id, kind, one, two, none]): Case[] =>
		(
			[
				['1', one],
				['2', two],
				['none', none]
			] as const
		).map(([group, pair]) => ({
			id,
			period: '2025-Q2',
			programme: 'OAA',
			by: ['idpoor', group],
			kind,
			levels: { national: { KH: [...pair] } }
		}))
	),
	// All programmes together: sums of HEF + CT + OAA.
	{
		id: 'eligible',
		period: '2025-Q2',
		kind: 'count',
		// 17010101: HEF H1 H3, CT H1 H3, OAA P1 P6; 17010102: HEF H4; 17020101: HEF H6, OAA P9;
		// 01020101: HEF H7, CT H7, OAA P11.
		levels: {
			village: { '17010101': c(6), '17010102': c(1), '17020101': c(2), '01020101': c(3) },
			national: { KH: c(5 + 3 + 4) }
		}
	},
	{
		id: 'enrolment_coverage',
		period: '2025-Q2',
		kind: 'rate',
		levels: { national: { KH: [2 + 1 + 2, 5 + 3 + 4] } }
	},
	{
		id: 'take_up',
		period: '2025-Q2',
		kind: 'rate',
		levels: { national: { KH: [2 + 1 + 4, 4 + 2 + 4] } }
	},
	{
		id: 'effective_coverage',
		period: '2025-Q2',
		kind: 'rate',
		levels: { national: { KH: [2 + 1 + 2, 5 + 3 + 4] } }
	},
	{
		id: 'inclusion_outside_target',
		period: '2025-Q2',
		kind: 'rate',
		levels: { national: { KH: [1 + 1 + 1, 3 + 2 + 3] } }
	},
	{
		// IDPoor 1: HEF H1, H4, H7; CT H1, H7; OAA P1, P11.
		id: 'eligible',
		period: '2025-Q2',
		by: ['idpoor', '1'],
		kind: 'count',
		levels: { national: { KH: c(3 + 2 + 2) } }
	},
	{
		// Enrolled on 2025-05-31: H1 in HEF, CT, OAA; H6 in HEF and CT only (OAA from 30 June):
		// two programmes are a combined package; H2 in HEF (OAA 10–20 April); H8 in OAA; H7 left
		// HEF on 15 May.
		id: 'combined_package',
		period: '2025-05',
		kind: 'rate',
		levels: {
			village: { '17010101': [1, 2], '17020101': [1, 1], '01020101': [0, 1] },
			province: { '17': [2, 3], '01': [0, 1] },
			national: { KH: [2, 4] }
		}
	},
	{
		// Enrolled on 2025-06-30: H1 in HEF, CT, OAA; H6 in HEF, CT, OAA; H2 in HEF; H8 in OAA.
		id: 'combined_package',
		period: '2025-Q2',
		kind: 'rate',
		levels: {
			village: { '17010101': [1, 2], '17020101': [1, 1], '01020101': [0, 1] },
			commune: { '170101': [1, 2], '170201': [1, 1], '010201': [0, 1] },
			district: { '1701': [1, 2], '1702': [1, 1], '0102': [0, 1] },
			province: { '17': [2, 3], '01': [0, 1] },
			national: { KH: [2, 4] }
		}
	},
	{
		id: 'combined_package',
		period: '2025-Q2',
		by: ['idpoor', '1'],
		kind: 'rate',
		levels: { national: { KH: [1, 1] } }
	},
	{
		id: 'combined_package',
		period: '2025-Q2',
		by: ['idpoor', '2'],
		kind: 'rate',
		levels: { national: { KH: [1, 1] } }
	},
	{
		id: 'combined_package',
		period: '2025-Q2',
		by: ['idpoor', 'none'],
		kind: 'rate',
		levels: { national: { KH: [0, 2] } }
	},
	{
		// Applied in Q2: A2 (H3), A6 (H2) in 17010101; A3 (H4) in 17010102; A5, A8 (H6) in
		// 17020101; A9 (H7) in 01020101.
		id: 'applications_received',
		period: '2025-Q2',
		kind: 'count',
		levels: {
			village: { '17010101': c(2), '17010102': c(1), '17020101': c(2), '01020101': c(1) },
			commune: { '170101': c(3), '170201': c(2), '010201': c(1) },
			district: { '1701': c(3), '1702': c(2), '0102': c(1) },
			province: { '17': c(5), '01': c(1) },
			national: { KH: c(6) }
		}
	},
	{
		id: 'applications_received',
		period: '2025-Q2',
		programme: 'HEF',
		kind: 'count',
		levels: { national: { KH: c(4) } }
	},
	{
		id: 'applications_received',
		period: '2025-Q2',
		programme: 'CT',
		kind: 'count',
		levels: { national: { KH: c(1) } }
	},
	{
		id: 'applications_received',
		period: '2025-Q2',
		programme: 'OAA',
		kind: 'count',
		levels: { national: { KH: c(1) } }
	},
	// By IDPoor level: A3, A9 (level 1); A2, A5, A8 (level 2); A6 (none).
	{
		id: 'applications_received',
		period: '2025-Q2',
		by: ['idpoor', '1'],
		kind: 'count',
		levels: { national: { KH: c(2) } }
	},
	{
		id: 'applications_received',
		period: '2025-Q2',
		by: ['idpoor', '2'],
		kind: 'count',
		levels: { national: { KH: c(3) } }
	},
	{
		id: 'applications_received',
		period: '2025-Q2',
		by: ['idpoor', 'none'],
		kind: 'count',
		levels: { national: { KH: c(1) } }
	},
	// No application was lodged in 2024: every unit reads 0.
	{
		id: 'applications_received',
		period: '2024',
		kind: 'count',
		levels: { national: { KH: c(0) }, province: {} }
	},
	{
		// Decided (approved or rejected) in Q2: A6 ✓, A10 ✓ (17010101); A5 ✗ (17020101);
		// A4 ✓, A9 ✗ (01020101). A7 is decided on 2025-07-05, A8 was withdrawn.
		id: 'approval_rate',
		period: '2025-Q2',
		kind: 'rate',
		levels: {
			village: { '17010101': [2, 2], '17020101': [0, 1], '01020101': [1, 2] },
			commune: { '170101': [2, 2], '170201': [0, 1], '010201': [1, 2] },
			district: { '1701': [2, 2], '1702': [0, 1], '0102': [1, 2] },
			province: { '17': [2, 3], '01': [1, 2] },
			national: { KH: [3, 5] }
		}
	},
	{
		id: 'approval_rate',
		period: '2025-Q2',
		programme: 'HEF',
		kind: 'rate',
		levels: { national: { KH: [1, 2] } }
	},
	{
		id: 'approval_rate',
		period: '2025-Q2',
		programme: 'CT',
		kind: 'rate',
		levels: { national: { KH: [1, 2] } }
	},
	{
		id: 'approval_rate',
		period: '2025-Q2',
		programme: 'OAA',
		kind: 'rate',
		levels: { national: { KH: [1, 1] } }
	},
	// June: A6 approved (06-11), A9 rejected (06-20).
	{ id: 'approval_rate', period: '2025-06', kind: 'rate', levels: { national: { KH: [1, 2] } } },
	{
		// Days: A10 61, A6 40 (17010101); A5 10 (17020101); A4 30, A9 66 (01020101).
		// 17: {10, 40, 61} → 40; nation {10, 30, 40, 61, 66} → 40; two records → their mean.
		id: 'processing_days_median',
		period: '2025-Q2',
		kind: 'median',
		levels: {
			village: { '17010101': [2, 50.5], '17020101': [1, 10], '01020101': [2, 48] },
			commune: { '170101': [2, 50.5], '170201': [1, 10], '010201': [2, 48] },
			district: { '1701': [2, 50.5], '1702': [1, 10], '0102': [2, 48] },
			province: { '17': [3, 40], '01': [2, 48] },
			national: { KH: [5, 40] }
		}
	},
	// Per programme: HEF {66, 61}, CT {30, 10}, OAA {40}.
	{
		id: 'processing_days_median',
		period: '2025-Q2',
		programme: 'HEF',
		kind: 'median',
		levels: { national: { KH: [2, 63.5] } }
	},
	{
		id: 'processing_days_median',
		period: '2025-Q2',
		programme: 'CT',
		kind: 'median',
		levels: { national: { KH: [2, 20] } }
	},
	{
		id: 'processing_days_median',
		period: '2025-Q2',
		programme: 'OAA',
		kind: 'median',
		levels: { national: { KH: [1, 40] } }
	},
	// By IDPoor level: 1 {30, 66} (H7), 2 {10} (H6), none {40, 61} (H2).
	{
		id: 'processing_days_median',
		period: '2025-Q2',
		by: ['idpoor', '1'],
		kind: 'median',
		levels: { national: { KH: [2, 48] } }
	},
	{
		id: 'processing_days_median',
		period: '2025-Q2',
		by: ['idpoor', '2'],
		kind: 'median',
		levels: { national: { KH: [1, 10] } }
	},
	{
		id: 'processing_days_median',
		period: '2025-Q2',
		by: ['idpoor', 'none'],
		kind: 'median',
		levels: { national: { KH: [2, 50.5] } }
	},
	{ id: 'processing_days_median', period: '2024', kind: 'median', levels: { national: {} } },
	{
		// A month's and a year's own records. June: A6 40 (17010101), A9 66 (01020101).
		id: 'processing_days_median',
		period: '2025-06',
		kind: 'median',
		levels: {
			village: { '17010101': [1, 40], '01020101': [1, 66] },
			province: { '17': [1, 40], '01': [1, 66] },
			national: { KH: [2, 53] }
		}
	},
	{
		// 2025: also A7, decided 2025-07-05 after 176 days: {10, 30, 40, 61, 66, 176}.
		id: 'processing_days_median',
		period: '2025',
		kind: 'median',
		levels: { national: { KH: [6, 50.5] } }
	},
	{
		// Pending on 2025-06-30 and lodged before 2025-05-31: A3 (H4, 17010102, HEF) and A7
		// (H8, 01020101, OAA; decided only on 2025-07-05). A2 is one day old; A8 withdrawn.
		id: 'applications_backlog',
		period: '2025-Q2',
		kind: 'count',
		levels: {
			village: { '17010102': c(1), '01020101': c(1) },
			commune: { '170101': c(1), '010201': c(1) },
			district: { '1701': c(1), '0102': c(1) },
			province: { '17': c(1), '01': c(1) },
			national: { KH: c(2) }
		}
	},
	{
		id: 'applications_backlog',
		period: '2025-Q2',
		programme: 'HEF',
		kind: 'count',
		levels: { national: { KH: c(1) } }
	},
	{
		id: 'applications_backlog',
		period: '2025-Q2',
		programme: 'CT',
		kind: 'count',
		levels: { national: { KH: c(0) } }
	},
	// On 2025-04-30 A3 is only 20 days old; A7 is overdue.
	{
		id: 'applications_backlog',
		period: '2025-04',
		kind: 'count',
		levels: { national: { KH: c(1) } }
	},
	{
		// Lodged in Q2: AP1, AP2 (17010101), AP4 (01020101); households registered on
		// 2025-06-30: 3 in 17010101, 1 in 17010102, 1 in 17020101, 2 in 01020101.
		id: 'appeals_rate',
		period: '2025-Q2',
		kind: 'per1000',
		levels: {
			village: {
				'17010101': [2, 3],
				'17010102': [0, 1],
				'17020101': [0, 1],
				'01020101': [1, 2]
			},
			commune: { '170101': [2, 4], '170201': [0, 1], '010201': [1, 2] },
			district: { '1701': [2, 4], '1702': [0, 1], '0102': [1, 2] },
			province: { '17': [2, 5], '01': [1, 2] },
			national: { KH: [3, 7] }
		}
	},
	{ id: 'appeals_rate', period: '2025-06', kind: 'per1000', levels: { national: { KH: [1, 7] } } },
	{
		// Closed in Q2: AP1 resolved, AP2 rejected (17010101); AP5 resolved (01020101).
		id: 'appeals_resolved_rate',
		period: '2025-Q2',
		kind: 'rate',
		levels: {
			village: { '17010101': [1, 2], '01020101': [1, 1] },
			commune: { '170101': [1, 2], '010201': [1, 1] },
			district: { '1701': [1, 2], '0102': [1, 1] },
			province: { '17': [1, 2], '01': [1, 1] },
			national: { KH: [2, 3] }
		}
	},
	{
		id: 'appeals_resolved_rate',
		period: '2025-06',
		kind: 'rate',
		levels: { national: { KH: [1, 1] } }
	},
	{
		// Days: AP1 10, AP2 30 (17010101); AP5 171 (01020101); nation {10, 30, 171} → 30.
		id: 'appeal_days_median',
		period: '2025-Q2',
		kind: 'median',
		levels: {
			village: { '17010101': [2, 20], '01020101': [1, 171] },
			commune: { '170101': [2, 20], '010201': [1, 171] },
			district: { '1701': [2, 20], '0102': [1, 171] },
			province: { '17': [2, 20], '01': [1, 171] },
			national: { KH: [3, 30] }
		}
	},
	{
		// June: AP5 (01020101). 2025: also AP6, lodged 2024-11-20 and resolved 2025-02-10
		// after 82 days: {10, 30, 82, 171}.
		id: 'appeal_days_median',
		period: '2025-06',
		kind: 'median',
		levels: { village: { '01020101': [1, 171] }, national: { KH: [1, 171] } }
	},
	{
		id: 'appeal_days_median',
		period: '2025',
		kind: 'median',
		levels: { national: { KH: [4, 56] } }
	},
	{
		// Open on 2025-06-30 and lodged before 2025-05-31: AP3 (17020101). AP4 is 15 days old.
		id: 'appeals_overdue',
		period: '2025-Q2',
		kind: 'count',
		levels: {
			village: { '17020101': c(1) },
			commune: { '170201': c(1) },
			district: { '1702': c(1) },
			province: { '17': c(1) },
			national: { KH: c(1) }
		}
	},
	// On 2025-03-31 AP3 (17020101) is exactly 30 days old, not more; AP6 was resolved on
	// 2025-02-10; AP5 (01020101, lodged 2025-01-05, resolved only 2025-06-25) is overdue.
	{
		id: 'appeals_overdue',
		period: '2025-03',
		kind: 'count',
		levels: { village: { '01020101': c(1) }, national: { KH: c(1) } }
	},
	// On 2024-12-31 AP6 (lodged 2024-11-20, resolved only in 2025) is overdue.
	{
		id: 'appeals_overdue',
		period: '2024',
		kind: 'count',
		levels: { village: { '17010201': c(1) }, national: { KH: c(1) } }
	},
	{
		// P5 (H2, 17010101) and P13 (H8, 01020101) share a national ID.
		id: 'possible_duplicates',
		period: '2025-Q2',
		kind: 'count',
		levels: {
			village: { '17010101': c(1), '01020101': c(1) },
			commune: { '170101': c(1), '010201': c(1) },
			district: { '1701': c(1), '0102': c(1) },
			province: { '17': c(1), '01': c(1) },
			national: { KH: c(2) }
		}
	},
	// On 2022-12-31 only H2 (registered 2022-06-15) is in the registry.
	{ id: 'possible_duplicates', period: '2022', kind: 'count', levels: { national: { KH: c(1) } } }
];

/** The value the API must give for a pair, by the case's kind. */
function expectedRow(kind: Case['kind'], [a, b]: Pair) {
	switch (kind) {
		case 'count':
			return [a, null, a];
		case 'median':
			return [a, null, b];
		case 'rate':
			return [a, b, b ? a / b : null];
		case 'per1000':
			return [a, b, b ? (1000 * a) / b : null];
	}
}

/** A unit a case does not list: nothing counted. */
function zero(kind: Case['kind']): Pair {
	return kind === 'count' || kind === 'median' ? [0, null] : [0, 0];
}

function describeCase(test: Case) {
	const extra = [test.programme, test.by?.join('=')].filter(Boolean).join(' ');
	return `${test.id} ${test.period}${extra ? ` ${extra}` : ''}`;
}

it('computes every indicator of the catalogue, each once', () => {
	expect([...COMPUTED_INDICATORS].sort()).toEqual(CATALOGUE.map((i) => i.id).sort());
	// And the cases below reach each of them.
	expect([...new Set(CASES.map((c) => c.id))].sort()).toEqual(CATALOGUE.map((i) => i.id).sort());
});

describe.each(DATABASE_KINDS)('every indicator on a hand-built registry (%s)', (kind) => {
	let database: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-indicators-'));
		for (const [name, content] of Object.entries(FIXTURE_FILES))
			writeFileSync(path.join(dir, name), content);
		const outcomes = await importPath(database.db, dir);
		expect(outcomes.map((o) => (o.ok ? o.summary.rejected : o.error))).toEqual(
			Object.keys(FIXTURE_FILES).map(() => 0)
		);
		await refreshAll(database.db, { today: FIXTURE_TODAY });
	}, 60_000);

	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it.each(CASES.map((test) => [describeCase(test), test] as const))('%s', async (_, test) => {
		for (const [level, listed] of Object.entries(test.levels) as [Level, Record<string, Pair>][]) {
			const params = new URLSearchParams({ level, period: test.period });
			if (test.programme) params.set('programme', test.programme);
			if (test.by) params.set('by', test.by[0]);
			const rows = await getIndicatorRows(storeSource(database.db), test.id, params);
			const actual = Object.fromEntries(
				rows
					.filter((r) => !test.by || r.group === test.by[1])
					.map((r) => [r.code, [r.numerator, r.denominator, r.value]])
			);
			const wanted = Object.fromEntries(
				FIXTURE_UNITS[level].map((code) => [
					code,
					expectedRow(test.kind, listed[code] ?? zero(test.kind))
				])
			);
			expect(actual, level).toEqual(wanted);
		}
	});

	it('reports the benefit paid for a month before its enrolment as a data-quality issue', async () => {
		// B9 is for 2025-05; its enrolment E8 began on 2025-06-30. Every other benefit is for
		// its enrolment's month or later.
		expect(await listBenefitsBeforeEnrolment(database.db)).toEqual({
			total: 1,
			rows: [
				{
					benefit_id: 'B9',
					enrolment_id: 'E8',
					programme_code: 'OAA',
					period: '2025-05',
					enrolled_on: '2025-06-30',
					village_code: '17020101'
				}
			]
		});
	});

	it('gives a unit series over the computed periods of a kind, missing units as zero', async () => {
		// Registration coverage, 2025-Q2 (the case above): province 17 5/27, the nation 7/49.
		// Commune 170102 has nobody registered: 0/8. The fixture's quarters end with Q2 2025.
		const points = await getIndicatorSeries(
			storeSource(database.db),
			'registration_coverage',
			new URLSearchParams({ units: '17,KH,170102', kind: 'quarter' })
		);
		const q2 = points.filter((p) => p.period === '2025-Q2');
		expect(q2.map((p) => [p.code, p.numerator, p.denominator])).toEqual([
			['17', 5, 27],
			['KH', 7, 49],
			['170102', 0, 8]
		]);
		// Every point is a quarter, in order for each unit in the order asked.
		expect(points.every((p) => /^\d{4}-Q[1-4]$/.test(p.period))).toBe(true);
		expect(points.map((p) => p.code)).toEqual(
			[...points.map((p) => p.code)].sort(
				(a, b) => ['17', 'KH', '170102'].indexOf(a) - ['17', 'KH', '170102'].indexOf(b)
			)
		);
	});

	it('refuses a series it cannot give, saying why', async () => {
		const refusal = (id: string, params: Record<string, string>) =>
			getIndicatorSeries(storeSource(database.db), id, new URLSearchParams(params)).then(
				() => 'answered',
				(e: ApiError) => `${e.status} ${e.message}`
			);
		await expect(refusal('eligible', { units: '17', by: 'sex', programme: 'OAA' })).resolves.toBe(
			'400 by=sex needs group= one of F, M'
		);
		await expect(refusal('offices_open', { units: '17010101' })).resolves.toBe(
			'400 offices_open has no values below commune level'
		);
		await expect(refusal('eligible', { units: '99' })).resolves.toBe(
			'404 unknown geographic unit 99'
		);
		await expect(refusal('eligible', { units: '17', colour: 'red' })).resolves.toBe(
			'400 unknown parameter colour (expected units, programme, by, group, kind)'
		);
		await expect(refusal('eligible', { unit: '17' })).resolves.toBe(
			'400 units: units is required: a comma-separated list of NCDD codes (or KH)'
		);
	});

	it("lists a unit's indicators for a period, with its first office's opening", async () => {
		const profile = await getUnitValues(
			storeSource(database.db),
			'170101',
			new URLSearchParams({ period: '2025-Q2', programme: 'HEF' }),
			false,
			FIXTURE_TODAY
		);
		const of = (id: string) => profile.values.find((v) => v.indicator === id);
		// From the cases above: registration 4/15 in commune 170101; HEF eligible 3.
		expect(of('registration_coverage')).toMatchObject({ numerator: 4, denominator: 15 });
		expect(of('eligible')).toMatchObject({ programme: 'HEF', numerator: 3 });
		// Internal indicators are left out unless asked for (national and admin users).
		expect(of('possible_duplicates')).toBeUndefined();
		// O1, the commune front office of 170101, opened on 2014-06-01.
		expect(profile.first_office_opened).toBe('2014-06-01');
		const nation = await getUnitValues(
			storeSource(database.db),
			'KH',
			new URLSearchParams({ period: '2025-Q2' }),
			true,
			FIXTURE_TODAY
		);
		expect(nation.values.some((v) => v.indicator === 'possible_duplicates')).toBe(true);
		expect(nation.first_office_opened).toBe('2014-06-01');
		// Commune 170201's only office, O6, opens on 2025-07-01.
		const later = await getUnitValues(
			storeSource(database.db),
			'170201',
			new URLSearchParams({ period: '2025-Q2' }),
			false,
			FIXTURE_TODAY
		);
		expect(later.first_office_opened).toBe('2025-07-01');
	});

	it('lists every group of a disaggregation for every unit, in order', async () => {
		const rows = await getIndicatorRows(
			storeSource(database.db),
			'eligible',
			new URLSearchParams({ level: 'province', period: '2025-Q2', programme: 'OAA', by: 'sex' })
		);
		expect(rows.map((r) => [r.code, r.programme, r.group, r.numerator])).toEqual([
			['01', 'OAA', 'F', 1],
			['01', 'OAA', 'M', 0],
			['17', 'OAA', 'F', 2],
			['17', 'OAA', 'M', 1]
		]);
	});

	it.each([
		[{ programme: 'XYZ' }, 'eligible', 404, 'unknown programme XYZ'],
		[{ by: 'sex' }, 'eligible', 400, 'by=sex needs a person programme: give programme='],
		[
			{ by: 'sex', programme: 'HEF' },
			'eligible',
			400,
			'by=sex needs a person programme: HEF counts households'
		],
		[
			{ by: 'sex' },
			'approval_rate',
			400,
			'approval_rate cannot be split by sex (it can by idpoor)'
		],
		[
			{ programme: 'HEF' },
			'appeals_rate',
			400,
			'appeals_rate is not computed per programme: omit programme'
		],
		[{ level: 'village' }, 'offices_open', 400, 'offices_open has no values below commune level'],
		[
			{ level: 'village', programme: 'OAA', by: 'sex' },
			'eligible',
			400,
			'by=sex is available from commune level up, not for villages'
		],
		[
			{ by: 'colour' },
			'eligible',
			400,
			'by: Invalid option: expected one of "sex"|"life_cycle"|"disability"|"idpoor"'
		]
	])('rejects %o for %s with %i: %s', async (params, id, status, message) => {
		const call = getIndicatorRows(
			storeSource(database.db),
			id,
			new URLSearchParams({ period: '2025-Q2', ...params })
		);
		await expect(call).rejects.toEqual(new ApiError(status as 400 | 404, message));
	});
});

it('refuses to refresh a registry of more programmes than the combined packages can count, saying so', async () => {
	const database = await createTestDatabase('pglite');
	try {
		await database.db
			.execute(sql`INSERT INTO programmes (programme_code, name_en, kind, unit, target)
			SELECT 'P' || i, 'Programme ' || i, 'social_assistance', 'household', 'all'
			FROM generate_series(1, 1024) i`);
		await expect(refreshAll(database.db, { today: FIXTURE_TODAY })).rejects.toThrow(
			'The combined packages count at most 1023 programmes a household; the registry has 1024 programmes.'
		);
		const [stored] = await queryRows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM indicator_values`
		);
		expect(stored!.n).toBe(0);
	} finally {
		await database.drop();
	}
}, 60_000);
