/**
 * The appeal indicators at the edges of their periods (`activity-indicators.ts`): an appeal is
 * overdue at a period end when lodged more than 30 days before it and not closed by then; it is
 * resolved (or closed) in the period its resolution day falls in; it is lodged in the period
 * its lodging day falls in. Village 01020102 has no appeal in the hand-built registry (and no
 * household); these appeals, worked out by hand, give it some.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIndicatorRows } from '../../src/lib/server/indicators/api';
import { storeSource } from '../../src/lib/server/indicators/source';
import { refreshedFixture } from './indicator-fixture';
import { DATABASE_KINDS, type TestDatabase } from './test-database';

// Q1 lodged 2025-05-01, open: exactly 30 days before 2025-05-31 (not yet overdue), then in June.
// Q2 lodged 2025-04-30, escalated: 31 days before 2025-05-31, so overdue from May.
// Q3 lodged 2025-04-01, resolved on 2025-05-31: closed by that end, so never overdue; resolved
//    in May.
// Q4 lodged 2025-04-01, rejected on 2025-06-01: overdue at 2025-05-31 only; closed (not
//    resolved) in June.
const EDGES = `appeal_id,household_id,programme_code,village_code,lodged_on,channel,category,status,resolved_on
Q1,,,01020102,2025-05-01,hotline,other,open,
Q2,,,01020102,2025-04-30,hotline,other,escalated,
Q3,,,01020102,2025-04-01,hotline,other,resolved,2025-05-31
Q4,,,01020102,2025-04-01,hotline,other,rejected,2025-06-01
`;

describe.each(DATABASE_KINDS)('the appeal indicators at their edges (%s)', (kind) => {
	let fixture: Awaited<ReturnType<typeof refreshedFixture>>;
	let database: TestDatabase;

	beforeAll(async () => {
		fixture = await refreshedFixture(kind, { 'appeals.csv': EDGES });
		database = fixture.database;
	}, 60_000);

	afterAll(() => fixture?.drop());

	/** The village's numerator, denominator and value of `indicator` in `period`. */
	const village = async (indicator: string, period: string) => {
		const params = new URLSearchParams({ level: 'village', parent: '010201', period });
		const rows = await getIndicatorRows(storeSource(database.db), indicator, params);
		const row = rows.find((r) => r.code === '01020102')!;
		return [row.numerator, row.denominator, row.value];
	};

	it('counts an appeal overdue from the first end more than 30 days after its lodging', async () => {
		// Q2 lodged 0 days before the end of April, Q3 and Q4 29 days.
		expect(await village('appeals_overdue', '2025-04')).toEqual([0, null, 0]);
		// Q2 and Q4 (Q1 is 30 days old, Q3 resolved on the day).
		expect(await village('appeals_overdue', '2025-05')).toEqual([2, null, 2]);
		// Q1 and Q2 (Q4 rejected on 2025-06-01).
		expect(await village('appeals_overdue', '2025-06')).toEqual([2, null, 2]);
		expect(await village('appeals_overdue', '2025-Q2')).toEqual([2, null, 2]);
	});

	it('counts appeals resolved and closed in the period of their resolution', async () => {
		expect(await village('appeals_resolved_rate', '2025-04')).toEqual([0, 0, null]);
		expect(await village('appeals_resolved_rate', '2025-05')).toEqual([1, 1, 1]);
		expect(await village('appeals_resolved_rate', '2025-06')).toEqual([0, 1, 0]);
		expect(await village('appeals_resolved_rate', '2025-Q2')).toEqual([1, 2, 0.5]);
	});

	it('counts appeals lodged in a village without households, with no rate', async () => {
		// Q2, Q3 and Q4 in April, Q1 in May; no household registered there: no rate.
		expect(await village('appeals_rate', '2025-04')).toEqual([3, 0, null]);
		expect(await village('appeals_rate', '2025-05')).toEqual([1, 0, null]);
		expect(await village('appeals_rate', '2025-Q2')).toEqual([4, 0, null]);
	});
});
