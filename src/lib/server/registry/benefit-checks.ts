/**
 * Data-quality check on benefits (`shared/domain.md` §5 edge cases): a benefit paid for a
 * month (`period`) before the month its enrolment began. Such benefits are imported and
 * counted as delivered (on `delivered_on`), and listed here for the programme to correct.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';

export interface EarlyBenefit {
	benefit_id: string;
	enrolment_id: string;
	programme_code: string;
	period: string;
	enrolled_on: string;
	village_code: string;
}

/** How many benefits are for a month before their enrolment, and the first `limit` of them. */
export async function listBenefitsBeforeEnrolment(
	db: Db,
	limit = 200
): Promise<{ total: number; rows: EarlyBenefit[] }> {
	const early = sql`benefits b JOIN enrolments e ON e.enrolment_id = b.enrolment_id
		JOIN households h ON h.household_id = e.household_id
		WHERE b.period < to_char(e.enrolled_on, 'YYYY-MM')`;
	const [count] = await queryRows<{ total: number }>(
		db,
		sql`SELECT count(*)::int AS total FROM ${early}`
	);
	const rows = await queryRows<EarlyBenefit>(
		db,
		sql`SELECT b.benefit_id, b.enrolment_id, e.programme_code, b.period,
				to_char(e.enrolled_on, 'YYYY-MM-DD') AS enrolled_on, h.village_code
			FROM ${early} ORDER BY h.village_code, b.benefit_id LIMIT ${limit}`
	);
	return { total: count?.total ?? 0, rows };
}
