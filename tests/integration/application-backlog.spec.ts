/**
 * The applications backlog at the edges of its run of period ends (`activity-indicators.ts`):
 * pending at an end when lodged more than 30 days before it and decided after it (or pending).
 * Programme CT has no backlog in the hand-built registry; these applications, worked out by
 * hand, give it one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIndicatorRows } from '../../src/lib/server/indicators/api';
import { storeSource } from '../../src/lib/server/indicators/source';
import { refreshedFixture } from './indicator-fixture';
import { DATABASE_KINDS, type TestDatabase } from './test-database';

// B1 lodged 2025-05-01, pending: exactly 30 days before 2025-05-31 (not yet), then from June.
// B2 lodged 2025-04-30, pending: 31 days before 2025-05-31, so from May.
// B3 lodged 2025-04-01, approved on 2025-05-31: decided by that end, so never.
// B4 lodged 2025-04-01, rejected on 2025-06-01: pending at 2025-05-31 only.
const BOUNDARY = `application_id,programme_code,household_id,person_id,applied_on,status,decided_on
B1,CT,H1,,2025-05-01,pending,
B2,CT,H2,,2025-04-30,pending,
B3,CT,H3,,2025-04-01,approved,2025-05-31
B4,CT,H4,,2025-04-01,rejected,2025-06-01
`;

describe.each(DATABASE_KINDS)('the applications backlog at its edges (%s)', (kind) => {
	let fixture: Awaited<ReturnType<typeof refreshedFixture>>;
	let database: TestDatabase;

	beforeAll(async () => {
		fixture = await refreshedFixture(kind, { 'applications.csv': BOUNDARY });
		database = fixture.database;
	}, 60_000);

	afterAll(() => fixture?.drop());

	const backlog = async (period: string) => {
		const params = new URLSearchParams({ level: 'national', period, programme: 'CT' });
		const rows = await getIndicatorRows(storeSource(database.db), 'applications_backlog', params);
		return rows.map((r) => [r.code, r.value]);
	};

	it('counts an application from the first end more than 30 days after its lodging', async () => {
		expect(await backlog('2025-04')).toEqual([['KH', 0]]);
		// B2 and B4 (B1 is 30 days old, B3 decided on the day).
		expect(await backlog('2025-05')).toEqual([['KH', 2]]);
		// B1 and B2 (B4 decided on 2025-06-01).
		expect(await backlog('2025-06')).toEqual([['KH', 2]]);
		expect(await backlog('2025-Q2')).toEqual([['KH', 2]]);
	});

	it('counts it in its household’s village and IDPoor group', async () => {
		const source = storeSource(database.db);
		const villages = await getIndicatorRows(
			source,
			'applications_backlog',
			new URLSearchParams({ level: 'village', period: '2025-05', programme: 'CT' })
		);
		// B2 (H2, no IDPoor level) and B4 (H4, IDPoor 1) live in 17010101 and 17010102.
		expect(villages.filter((r) => r.value !== 0).map((r) => [r.code, r.value])).toEqual([
			['17010101', 1],
			['17010102', 1]
		]);
		const groups = await getIndicatorRows(
			source,
			'applications_backlog',
			new URLSearchParams({ level: 'national', period: '2025-05', programme: 'CT', by: 'idpoor' })
		);
		expect(groups.map((r) => [r.group, r.value]).sort()).toEqual([
			['1', 1],
			['2', 0],
			['none', 1]
		]);
	});
});
