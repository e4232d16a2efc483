/**
 * The benchmark registry's programme activity (`npm run bench`, the import and refresh part),
 * generated in SQL over the households and members the benchmark imported.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../src/lib/server/db';
import { insertBenchProgrammes } from './national';
import { seconds } from './refresh';

/**
 * Programmes, applications, enrolments, benefits and appeals for the benchmark's
 * registry, generated in SQL (deterministic: from the ids, no randomness): the demo's ten
 * programmes; 40% of the households enrolled in the Health Equity Fund and 8% of the members
 * in a person programme, each with a benefit for every month of the last year; one application
 * per 4 households and one appeal per 10 households.
 */
export async function generateProgrammeActivity(db: Db, log: (line: string) => void = console.log) {
	const started = performance.now();
	await insertBenchProgrammes(db);
	const hash = (column: string, modulo: number) =>
		sql.raw(`(abs(hashtext(${column})) % ${modulo})`);
	await db.execute(sql`INSERT INTO enrolments (enrolment_id, programme_code, household_id, village_code,
			enrolled_on)
		SELECT 'EH' || household_id, 'HEF', household_id, village_code, registered_on + 30
		FROM households WHERE ${hash('household_id', 10)} < 4`);
	await db.execute(sql`INSERT INTO enrolments (enrolment_id, programme_code, household_id, village_code,
			person_id, enrolled_on, exited_on)
		SELECT 'EP' || m.person_id,
			(ARRAY['DIS', 'OAA', 'SCH', 'PWP', 'NSSF-VHI', 'VTJ', 'WEE'])[1 + ${hash('m.person_id', 7)}],
			m.household_id, h.village_code, m.person_id, h.registered_on + 45,
			CASE WHEN ${hash("m.person_id || 'x'", 10)} = 0 THEN DATE '2026-05-15' END
		FROM members m JOIN households h ON h.household_id = m.household_id
		WHERE ${hash("m.person_id || 'e'", 100)} < 8`);
	await db.execute(sql`INSERT INTO benefits (benefit_id, enrolment_id, period, delivered_on, amount_khr,
			village_code)
		SELECT e.enrolment_id || '-' || to_char(month, 'YYYY-MM'), e.enrolment_id,
			to_char(month, 'YYYY-MM'), (month + interval '9 days')::date, 100000, e.village_code
		FROM enrolments e
		CROSS JOIN generate_series(DATE '2025-11-01', DATE '2026-10-01', interval '1 month') month
		WHERE e.enrolled_on <= month AND (e.exited_on IS NULL OR e.exited_on > month)`);
	await db.execute(sql`INSERT INTO applications (application_id, programme_code, household_id,
			village_code, applied_on, status, decided_on)
		SELECT 'A' || household_id, 'HEF', household_id, village_code, registered_on + 5,
			(ARRAY['approved', 'rejected', 'pending'])[1 + ${hash('household_id', 3)}],
			CASE WHEN ${hash('household_id', 3)} < 2 THEN registered_on + 5 + ${hash("household_id || 'd'", 60)} END
		FROM households WHERE ${hash("household_id || 'a'", 4)} = 0`);
	await db.execute(sql`INSERT INTO appeals (appeal_id, household_id, village_code, lodged_on, channel,
			category, status, resolved_on)
		SELECT 'AP' || household_id, household_id, village_code, registered_on + 20, 'commune_office',
			'exclusion', CASE WHEN ${hash('household_id', 2)} = 0 THEN 'resolved' ELSE 'open' END,
			CASE WHEN ${hash('household_id', 2)} = 0 THEN registered_on + 20 + ${hash("household_id || 'r'", 90)} END
		FROM households WHERE ${hash("household_id || 'p'", 10)} = 0`);
	const counts = await queryRows<{ t: string; n: number }>(
		db,
		sql`SELECT 'enrolments' AS t, count(*)::int AS n FROM enrolments
			UNION ALL SELECT 'benefits', count(*)::int FROM benefits
			UNION ALL SELECT 'applications', count(*)::int FROM applications
			UNION ALL SELECT 'appeals', count(*)::int FROM appeals`
	);
	log(
		`\nprogramme activity generated in SQL in ${seconds(performance.now() - started)} s: ${counts.map((c) => `${c.n.toLocaleString('en')} ${c.t}`).join(', ')}`
	);
}
