/**
 * A registry at national scale, generated directly in the database (issue #4's benchmark):
 * about 3.6 million households over the gazetteer's villages, 15.5 million members,
 * 6 million enrolments, 36 million benefits, 500,000 appeals and 900,000 applications.
 *
 * Deterministic: every value comes from the row's number through `hashint8`, no randomness.
 * `households` scales everything (members 4.3 per household, the rest in proportion), so a
 * smaller run has the same shape.
 *
 * Foreign keys are not checked while generating (`session_replication_role = replica`: the
 * generator makes them consistent by construction) and the tables are analysed afterwards, as
 * after a real import.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Db } from '../src/lib/server/db';
import { importFile } from '../src/lib/server/ingest/import-file';
import { refreshAll } from '../src/lib/server/indicators/refresh';
import { geoSourceDir } from '../src/lib/server/config';
import { createDatabase, dropDatabase } from '../tests/support/server';
import {
	measureFullRefresh,
	measureIncremental,
	printFullRefresh,
	printIncremental,
	type FullRefreshFigures,
	type IncrementalFigures
} from './refresh';

/** The day the benchmark's registry is "as of": data runs up to the month before it. */
export const NATIONAL_TODAY = '2026-12-01';

/** The demo's ten programmes, with every kind of target, for the benchmarks' registries. */
export async function insertBenchProgrammes(db: Db) {
	await db.execute(sql`INSERT INTO programmes (programme_code, name_en, kind, unit, target) VALUES
		('HEF', 'Health Equity Fund', 'social_assistance', 'household', 'idpoor'),
		('CT-PW', 'Cash transfer, pregnant women and young children', 'social_assistance', 'household', 'idpoor&age<2'),
		('DIS', 'Disability allowance', 'social_assistance', 'person', 'idpoor&disability'),
		('OAA', 'Old-age allowance', 'social_assistance', 'person', 'age>=60&idpoor'),
		('SCH', 'Scholarship', 'social_assistance', 'person', 'idpoor&age>=6&age<18'),
		('PWP', 'Public works', 'employment', 'person', 'idpoor&age>=18&age<60'),
		('NSSF-VHI', 'Voluntary health insurance', 'social_insurance', 'person', 'all'),
		('VTJ', 'Vocational training', 'employment', 'person', 'age>=15&age<45'),
		('FOOD', 'Food support', 'social_assistance', 'household', 'idpoor1'),
		('WEE', 'Women economic empowerment', 'employment', 'person', 'sex=F&age>=18&age<60')`);
}

export interface NationalCounts {
	households: number;
	members: number;
	enrolments: number;
	benefits: number;
	applications: number;
	appeals: number;
}

/** A pseudo-random whole number in [0, modulo) from an integer expression and a salt. */
const pick = (expression: string, salt: number, modulo: number) =>
	sql.raw(`(abs(hashint8((${expression})::bigint * 31 + ${salt})) % ${modulo})`);

/** The gazetteer's village codes in order, as `v.codes`, for `villageOf`. */
const VILLAGES = sql`(SELECT array_agg(code ORDER BY code) AS codes FROM geo_units
	WHERE level = 'village') v`;
/** Household number `household`'s village among `VILLAGES` (its members' too). */
const villageOf = (household: string) =>
	sql`v.codes[1 + ${pick(household, 1, 1_000_000_000)} % array_length(v.codes, 1)]`;

export async function generateNational(
	db: Db,
	households: number,
	log: (line: string) => void = console.log
): Promise<NationalCounts> {
	const step = async (name: string, statement: ReturnType<typeof sql>) => {
		const started = performance.now();
		await db.execute(statement);
		log(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
	};
	const members = Math.round(households * 4.3);
	await db.execute(sql`SET session_replication_role = replica`);
	await db.execute(sql`SET maintenance_work_mem = '1GB'`);
	await insertBenchProgrammes(db);

	// Households: registered from 2015 to November 2026, a fifth IDPoor (2 in 5 of them level 1).
	await step(
		`${households.toLocaleString('en')} households`,
		sql`INSERT INTO households (household_id, village_code, registered_on, idpoor_level)
		SELECT 'H' || h, ${villageOf('h')},
			DATE '2015-01-01' + ${pick('h', 2, 4_350)},
			CASE WHEN ${pick('h', 3, 5)} = 0 THEN CASE WHEN ${pick('h', 4, 5)} < 2 THEN 1 ELSE 2 END END
		FROM generate_series(0, ${households - 1}) h,
			${VILLAGES}`
	);
	// Members: 4.3 per household, born 1930–2026 (never after their household's registration
	// matters not: a baby is registered with the family later), 4% with a disability; with
	// their household's village, as the importer keeps it (the households' pick for it).
	const household = `m::bigint * ${households} / ${members}`;
	await step(
		`${members.toLocaleString('en')} members`,
		sql`INSERT INTO members (person_id, household_id, village_code, sex, birth_date, full_name,
			national_id, disability, relationship, possible_duplicate)
		SELECT 'P' || m, 'H' || (${sql.raw(household)}),
			${villageOf(household)},
			CASE WHEN ${pick('m', 5, 100)} < 51 THEN 'F' ELSE 'M' END,
			DATE '1930-01-01' + ${pick('m', 6, 35_000)}, 'Person ' || m,
			CASE WHEN ${pick('m', 7, 10)} < 6 THEN (100000000000 + m)::text END,
			${pick('m', 8, 100)} < 4, 'member', ${pick('m', 9, 1000)} < 3
		FROM generate_series(0, ${members - 1}) m,
			${VILLAGES}`
	);
	// Enrolments: 40% of households in the Health Equity Fund,
	// 30% of members in one person programme; one in ten left in May 2026.
	await step(
		'household enrolments',
		sql`INSERT INTO enrolments (enrolment_id, programme_code, household_id, village_code,
			enrolled_on, exited_on)
		SELECT 'EH' || h.household_id, 'HEF', h.household_id, h.village_code, h.registered_on + 30,
			CASE WHEN ${pick('substr(h.household_id, 2)::int', 10, 10)} = 0 THEN DATE '2026-05-15' END
		FROM households h WHERE ${pick('substr(h.household_id, 2)::int', 11, 10)} < 4`
	);
	await step(
		'person enrolments',
		sql`INSERT INTO enrolments (enrolment_id, programme_code, household_id, village_code,
			person_id, enrolled_on, exited_on)
		SELECT 'EP' || m.person_id,
			(ARRAY['DIS', 'OAA', 'SCH', 'PWP', 'NSSF-VHI', 'VTJ', 'WEE'])[1 + ${pick('substr(m.person_id, 2)::int', 12, 7)}],
			m.household_id, h.village_code, m.person_id, h.registered_on + 45,
			CASE WHEN ${pick('substr(m.person_id, 2)::int', 13, 10)} = 0 THEN DATE '2026-05-15' END
		FROM members m JOIN households h ON h.household_id = m.household_id
		WHERE ${pick('substr(m.person_id, 2)::int', 14, 100)} < 30`
	);
	// Benefits: seven months of the last year while enrolled, delivered on the
	// 10th; one enrolment in 50 has one for a month before it began (a data-quality case).
	await step(
		'benefits',
		sql`INSERT INTO benefits (benefit_id, enrolment_id, period, delivered_on, amount_khr,
			village_code)
		SELECT e.enrolment_id || '-' || to_char(month, 'YYYY-MM'), e.enrolment_id,
			to_char(month, 'YYYY-MM'), (month + interval '9 days')::date, 100000, e.village_code
		FROM enrolments e
		CROSS JOIN generate_series(DATE '2025-12-01', DATE '2026-11-01', interval '1 month') month
		WHERE (extract(month FROM month)::int + ${pick('hashtext(e.enrolment_id)', 15, 12)}) % 12 < 7
			AND (e.enrolled_on <= month OR ${pick('hashtext(e.enrolment_id)', 16, 50)} = 0)
			AND (e.exited_on IS NULL OR e.exited_on > month)`
	);
	// Applications: one per four households, a third of them pending.
	await step(
		'applications',
		sql`INSERT INTO applications (application_id, programme_code, household_id, village_code,
			applied_on, status, decided_on)
		SELECT 'A' || household_id, 'HEF', household_id, village_code, registered_on + 5,
			(ARRAY['approved', 'rejected', 'pending'])[1 + ${pick('substr(household_id, 2)::int', 17, 3)}],
			CASE WHEN ${pick('substr(household_id, 2)::int', 17, 3)} < 2
				THEN registered_on + 5 + ${pick('substr(household_id, 2)::int', 18, 60)} END
		FROM households WHERE ${pick('substr(household_id, 2)::int', 19, 4)} = 0`
	);
	// Appeals: one per seven households, half resolved within 90 days.
	await step(
		'appeals',
		sql`INSERT INTO appeals (appeal_id, household_id, village_code, lodged_on, channel,
			category, status, resolved_on)
		SELECT 'AP' || household_id, household_id, village_code, registered_on + 20, 'commune_office',
			'exclusion',
			CASE WHEN ${pick('substr(household_id, 2)::int', 20, 2)} = 0 THEN 'resolved' ELSE 'open' END,
			CASE WHEN ${pick('substr(household_id, 2)::int', 20, 2)} = 0
				THEN registered_on + 20 + ${pick('substr(household_id, 2)::int', 21, 90)} END
		FROM households WHERE ${pick('substr(household_id, 2)::int', 22, 7)} = 0`
	);
	await db.execute(sql`SET session_replication_role = DEFAULT`);
	await step('analyse', sql`ANALYZE`);
	const [counts] = await queryRows<NationalCounts>(
		db,
		sql`SELECT (SELECT count(*) FROM households)::int AS households,
			(SELECT count(*) FROM members)::int AS members,
			(SELECT count(*) FROM enrolments)::int AS enrolments,
			(SELECT count(*) FROM benefits)::int AS benefits,
			(SELECT count(*) FROM applications)::int AS applications,
			(SELECT count(*) FROM appeals)::int AS appeals`
	);
	return counts!;
}

export interface NationalFigures {
	counts: NationalCounts;
	generateSeconds: number;
	refresh: FullRefreshFigures;
	/** The first full refresh: every year, and the recent periods. */
	first: { ms: number; periods: string[] };
	incremental: IncrementalFigures;
}

/**
 * The national-scale part of `npm run bench`: a throwaway database with `households`
 * households generated in SQL, the first full refresh (every year once, as a deployment's
 * first night), then the nightly refresh of the recent periods (the last 12 months, their
 * quarters and years) against the single-pass baseline, then an incremental refresh after a
 * 500-row import.
 */
export async function benchNational(
	adminUrl: string,
	households: number
): Promise<NationalFigures> {
	const dbName = `ssdm_bench_national_${randomBytes(4).toString('hex')}`;
	const work = mkdtempSync(path.join(tmpdir(), 'ssdm-bench-national-'));
	const database = await openDatabase({ url: await createDatabase(adminUrl, dbName) });
	try {
		const { db } = database;
		console.log(
			`\nnational-scale registry: ${households.toLocaleString('en')} households, Postgres database ${dbName}`
		);
		await importFile(db, path.join(geoSourceDir(), 'gazetteer.csv'), { feed: 'gazetteer' });
		const started = performance.now();
		const counts = await generateNational(db, households);
		const generateSeconds = (performance.now() - started) / 1000;
		// The first night computes every year once; each night after it recomputes the recent
		// periods over a store already full: that refresh is the one timed against the target.
		const first = performance.now();
		const firstNight = await refreshAll(db, { today: NATIONAL_TODAY });
		const firstMs = performance.now() - first;
		const refresh = await measureFullRefresh(db, { today: NATIONAL_TODAY, recentOnly: true });
		const incremental = await measureIncremental(db, work);
		return {
			counts,
			generateSeconds,
			refresh,
			first: { ms: firstMs, periods: firstNight.periods },
			incremental
		};
	} finally {
		await database.close();
		await dropDatabase(adminUrl, dbName);
		rmSync(work, { recursive: true, force: true });
	}
}

export function printNationalFigures(figures: NationalFigures) {
	const { counts } = figures;
	console.log(
		`\nnational-scale registry generated in SQL in ${figures.generateSeconds.toFixed(0)} s: ${Object.entries(
			counts
		)
			.map(([table, n]) => `${n.toLocaleString('en')} ${table}`)
			.join(', ')}`
	);
	console.log(
		`\nfirst full refresh, every year once (${figures.first.periods.join(', ')}): ${(figures.first.ms / 1000).toFixed(1)} s`
	);
	printFullRefresh(figures.refresh, 'national scale, the nightly refresh of the recent periods');
	printIncremental(figures.incremental);
}
