/**
 * Property test of the programme indicators (fast-check): random households registered close
 * to period ends, members born close to the birthdays that matter (2, 6, 18 and 60 years before
 * a period's end, and on 29 February), enrolments beginning and ending close to period ends
 * (or not at all), benefits delivered close to them (also outside any enrolment), and nine
 * programmes with every kind of target. The stored numerator and denominator of the five
 * programme indicators for every programme, period, village and commune group are compared
 * with counts made here unit by unit, period by period, from the definitions: ages in completed
 * years at each period's end (someone born on 29 February turns a year older on 1 March in
 * other years), enrolled at the end (begun on or before it, not exited by it), enrolled during
 * (for at least one day of it), paid in it (a benefit delivered in it). Combined packages too:
 * households enrolled at a period's end in two or more programmes, out of those in one or more.
 */
import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/lib/server/db';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { refreshAll } from '../../src/lib/server/indicators/refresh';
import { parsePeriod } from '../../src/lib/indicators/periods';
import { PROGRAMME_INDICATORS } from '../../src/lib/server/indicators/programme-indicators';
import { storedValues } from '../../src/lib/server/indicators/stored';
import { FIXTURE_FILES, FIXTURE_TODAY, writeDir } from './indicator-fixture';
import { allProgrammesViolations, programmeRollUpViolations } from './programme-sums';
import { createTestDatabase, DATABASE_KINDS } from './test-database';

/**
 * The fixture's gazetteer and two villages numbered out of their communes' codes (the national
 * gazetteer has one): in number order 010201 → 170102 → 170101 → 170102 → 010201, so both
 * communes come twice in a walk of the villages in order.
 */
const GAZETTEER =
	FIXTURE_FILES['gazetteer.csv'] +
	`17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170102,Doun Peaeng,ដូនពែង,01020199,Out of order,ក្រៅលំដាប់
01,Banteay Meanchey,បន្ទាយមានជ័យ,0102,Mongkol Borei,មង្គលបូរី,010201,Banteay Neang,បន្ទាយនាង,17010299,Out of order,ក្រៅលំដាប់
`;

/** Village → commune, from `GAZETTEER`. */
const COMMUNE_OF: Record<string, string> = {
	'17010101': '170101',
	'17010102': '170101',
	'17010201': '170102',
	'01020101': '010201',
	'01020199': '170102',
	'17010299': '010201'
};
const VILLAGES = Object.keys(COMMUNE_OF);

interface Programme {
	code: string;
	unit: 'person' | 'household';
	target: string;
}
const PROGRAMMES: Programme[] = [
	{ code: 'OLD', unit: 'person', target: 'age>=60&idpoor' },
	{ code: 'SCH', unit: 'person', target: 'idpoor&age>=6&age<18' },
	{ code: 'ALL', unit: 'person', target: 'all' },
	{ code: 'WF', unit: 'person', target: 'sex=F&age>=18&age<60' },
	{ code: 'DIS', unit: 'person', target: 'disability' },
	{ code: 'CT', unit: 'household', target: 'idpoor&age<2' },
	{ code: 'KID', unit: 'household', target: 'age>=6&age<18' },
	{ code: 'MUM', unit: 'household', target: 'sex=F&age>=15&age<50' },
	{ code: 'POOR1', unit: 'household', target: 'idpoor1' }
];

const addDays = (date: string, days: number) =>
	new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

/** Month ends from 2024-01 to 2025-06: the ends that matter as of FIXTURE_TODAY. */
const MONTH_ENDS = Array.from({ length: 18 }, (_, i) =>
	new Date(Date.UTC(2024, 1 + i, 0)).toISOString().slice(0, 10)
);

/** A date within two days of a month end, `years` earlier (29 February now and then). */
const nearEnd = (years: number) =>
	fc
		.record({ end: fc.constantFrom(...MONTH_ENDS), shift: fc.integer({ min: -2, max: 2 }) })
		.map(({ end, shift }) => {
			const year = Number(end.slice(0, 4)) - years;
			return addDays(`${year}${end.slice(4)}`.replace(/-02-29$/, '-02-28'), shift);
		});
const birthDate = fc.oneof(
	nearEnd(2),
	nearEnd(6),
	nearEnd(18),
	nearEnd(60),
	fc.constantFrom('2008-02-29', '1964-02-29', '2023-02-28', '1990-07-01')
);

const registry = fc.array(
	fc.record({
		village: fc.constantFrom(...VILLAGES),
		registered: fc.oneof(nearEnd(0), fc.constant('2019-05-05')),
		idpoor: fc.constantFrom('1', '2', ''),
		members: fc.array(
			fc.record({
				sex: fc.constantFrom('F', 'M'),
				born: birthDate,
				disability: fc.constantFrom('yes', 'no', '')
			}),
			{ maxLength: 4 }
		),
		enrolments: fc.array(
			fc.record({
				programme: fc.constantFrom(...PROGRAMMES),
				member: fc.nat(3),
				enrolled: fc.oneof(nearEnd(0), fc.constant('2020-02-02')),
				exited: fc.option(nearEnd(0), { nil: undefined }),
				paid: fc.array(nearEnd(0), { maxLength: 3 })
			}),
			{ maxLength: 3 }
		)
	}),
	{ minLength: 1, maxLength: 12 }
);
type Registry = typeof registry extends fc.Arbitrary<infer T> ? T : never;

/** Completed years from `born` to `at` (both `YYYY-MM-DD`). */
function age(born: string, at: string): number {
	const years = Number(at.slice(0, 4)) - Number(born.slice(0, 4));
	return at.slice(5) < born.slice(5) ? years - 1 : years;
}

/** Whether a member meets a target's member terms (ages at `end`). */
function memberMeets(target: string, m: Registry[number]['members'][number], end: string) {
	return target.split('&').every((term) => {
		const ageTerm = /^age(>=|<)(\d+)$/.exec(term);
		if (ageTerm) {
			const years = age(m.born, end);
			return ageTerm[1] === '>=' ? years >= Number(ageTerm[2]) : years < Number(ageTerm[2]);
		}
		if (term === 'sex=F' || term === 'sex=M') return m.sex === term.slice(4);
		if (term === 'disability') return m.disability === 'yes';
		return true;
	});
}

function householdMeets(target: string, idpoor: string) {
	return target.split('&').every((term) => {
		if (term === 'idpoor') return idpoor !== '';
		if (term === 'idpoor1') return idpoor === '1';
		return true;
	});
}

const MEMBER_TERM = /^(age|sex|disability)/;

type Household = Registry[number];

/** A household's enrolments that exist (a person programme's with its member), with ids. */
function enrolmentsOf(h: Household, i: number) {
	return h.enrolments.flatMap((e, j) => {
		const member = e.programme.unit === 'person' ? h.members[e.member] : undefined;
		if (e.programme.unit === 'person' && !member) return [];
		const exited = e.exited && e.exited > e.enrolled ? e.exited : undefined;
		return [{ ...e, id: `EE${i}-${j}`, person: member ? `EP${i}-${e.member}` : '', exited }];
	});
}

const MEASURES = ['e', 'en', 'n', 'nNotE', 'a', 'ab', 'eb'] as const;
type Counts = Record<(typeof MEASURES)[number], number>;

/**
 * The expected stored rows of the five programme indicators, as
 * `indicator period programme level geo group value → [numerator, denominator]`.
 */
function expected(households: Registry, periods: string[]): Map<string, [number, number | null]> {
	const cells = new Map<string, Counts>();
	const add = (key: string, flags: Partial<Record<keyof Counts, boolean>>) => {
		let cell = cells.get(key);
		if (!cell) cells.set(key, (cell = { e: 0, en: 0, n: 0, nNotE: 0, a: 0, ab: 0, eb: 0 }));
		for (const m of MEASURES) if (flags[m]) cell[m]++;
	};
	households.forEach((h, i) => {
		const enrolments = enrolmentsOf(h, i);
		for (const label of periods) {
			const { start, end } = parsePeriod(label)!;
			for (const p of PROGRAMMES) {
				const registered = h.registered <= end && householdMeets(p.target, h.idpoor);
				const commune = COMMUNE_OF[h.village];
				const idpoor = h.idpoor || 'none';
				// The units: the household, or each member, with whether it is eligible.
				const units =
					p.unit === 'household'
						? [
								{
									id: '',
									groups: [['idpoor', idpoor]],
									eligible:
										registered &&
										(!p.target.split('&').some((t) => MEMBER_TERM.test(t)) ||
											h.members.some((m) => memberMeets(p.target, m, end)))
								}
							]
						: h.members.map((m, j) => {
								const years = age(m.born, end);
								const life =
									years >= 60 ? 'older_persons' : years >= 18 ? 'working_age' : 'children';
								return {
									id: `EP${i}-${j}`,
									groups: [
										['sex', m.sex],
										['life_cycle', life],
										['disability', m.disability === 'yes' ? 'yes' : 'no'],
										['idpoor', idpoor]
									],
									eligible: registered && memberMeets(p.target, m, end)
								};
							});
				for (const unit of units) {
					const own = enrolments.filter((e) => e.programme === p && e.person === unit.id);
					const n = own.some((e) => e.enrolled <= end && (!e.exited || e.exited > end));
					const a = own.some((e) => e.enrolled <= end && (!e.exited || e.exited > start));
					const b = own.some((e) => e.paid.some((d) => d >= start && d <= end));
					const e = unit.eligible;
					const flags = {
						e,
						en: e && n,
						n,
						nNotE: n && !e,
						a,
						ab: a && b,
						eb: e && b
					};
					add(`${label} ${p.code} village ${h.village} - -`, flags);
					for (const [by, value] of unit.groups)
						add(`${label} ${p.code} commune ${commune} ${by} ${value}`, flags);
				}
			}
		}
	});
	// Households enrolled (at the period's end) in two or more programmes / in one or more.
	const packages = new Map<string, [number, number]>();
	const count = (key: string, two: boolean) => {
		const cell = packages.get(key) ?? [0, 0];
		packages.set(key, [cell[0] + (two ? 1 : 0), cell[1] + 1]);
	};
	households.forEach((h, i) => {
		for (const label of periods) {
			const end = parsePeriod(label)!.end;
			const enrolled = new Set(
				enrolmentsOf(h, i)
					.filter((e) => e.enrolled <= end && (!e.exited || e.exited > end))
					.map((e) => e.programme.code)
			);
			if (enrolled.size === 0) continue;
			count(`${label}  village ${h.village} - -`, enrolled.size >= 2);
			count(
				`${label}  commune ${COMMUNE_OF[h.village]} idpoor ${h.idpoor || 'none'}`,
				enrolled.size >= 2
			);
		}
	});
	const rows = new Map<string, [number, number | null]>();
	for (const [key, [numerator, denominator]] of packages)
		rows.set(`combined_package ${key}`, [numerator, denominator]);
	for (const [key, c] of cells) {
		const indicators: [string, number, number | null][] = [
			['eligible', c.e, null],
			['enrolment_coverage', c.en, c.e],
			['take_up', c.ab, c.a],
			['effective_coverage', c.eb, c.e],
			['inclusion_outside_target', c.nNotE, c.n]
		];
		for (const [id, numerator, denominator] of indicators)
			if (numerator !== 0 || (denominator ?? 0) !== 0)
				rows.set(`${id} ${key}`, [numerator, denominator]);
	}
	return rows;
}

function files(households: Registry): Record<string, string> {
	const h = households.map((x, i) => `EH${i},${x.village},${x.registered},${x.idpoor}\n`);
	const m = households.flatMap((x, i) =>
		x.members.map((y, j) => `EP${i}-${j},EH${i},${y.sex},${y.born},${y.disability}\n`)
	);
	const enrolments = households.flatMap((x, i) => enrolmentsOf(x, i).map((e) => ({ ...e, i })));
	return {
		'enrolments.csv':
			'enrolment_id,programme_code,household_id,person_id,enrolled_on,exited_on\n' +
			enrolments
				.map(
					(e) =>
						`${e.id},${e.programme.code},EH${e.i},${e.person},${e.enrolled},${e.exited ?? ''}\n`
				)
				.join(''),
		'benefits.csv':
			'benefit_id,enrolment_id,period,delivered_on\n' +
			enrolments
				.flatMap((e) => e.paid.map((d, k) => `${e.id}-${k},${e.id},${d.slice(0, 7)},${d}\n`))
				.join(''),
		'programmes.csv':
			'programme_code,name_en,kind,unit,target\n' +
			PROGRAMMES.map((p) => `${p.code},${p.code},social_assistance,${p.unit},${p.target}\n`).join(
				''
			),
		'households.csv': 'household_id,village_code,registered_on,idpoor_level\n' + h.join(''),
		'members.csv': 'person_id,household_id,sex,birth_date,disability\n' + m.join('')
	};
}

describe.each(DATABASE_KINDS)('programme indicators on %s', (kind) => {
	it('equal counts unit by unit and period by period, at thresholds, leap days and period edges', async () => {
		const database = await createTestDatabase(kind);
		const gazetteer = writeDir({ 'gazetteer.csv': GAZETTEER });
		try {
			await importPath(database.db, gazetteer);
			await fc.assert(
				fc.asyncProperty(registry, async (households) => {
					await database.db.execute(sql`DELETE FROM benefits`);
					await database.db.execute(sql`DELETE FROM enrolments`);
					await database.db.execute(sql`DELETE FROM members`);
					await database.db.execute(sql`DELETE FROM households`);
					const dir = writeDir(files(households));
					try {
						const outcomes = await importPath(database.db, dir);
						expect(outcomes.every((o) => o.ok && o.summary.rejected === 0)).toBe(true);
						const result = await refreshAll(database.db, { today: FIXTURE_TODAY, all: true });
						const rows = await queryRows<{ key: string; n: number; d: number | null }>(
							database.db,
							sql`SELECT indicator_id || ' ' || period || ' ' || programme || ' ' || level || ' '
									|| geo_code || ' '
									|| CASE WHEN group_by = '' THEN '- -' ELSE group_by || ' ' || group_value END
									AS key, numerator AS n, denominator AS d
								FROM (${sql.join(
									[...PROGRAMME_INDICATORS, 'combined_package'].map(
										(id) => sql`SELECT * FROM ${storedValues(id)} s WHERE indicator_id = ${id}`
									),
									sql` UNION ALL `
								)}) v
								WHERE (programme <> '' OR indicator_id = 'combined_package')
									AND level IN ('village', 'commune') AND period IN ${result.periods}
									AND NOT (level = 'commune' AND group_by = '')`
						);
						const stored = new Map(
							rows.map((r) => [r.key, [Number(r.n), r.d === null ? null : Number(r.d)]])
						);
						expect(stored).toEqual(expected(households, result.periods));
						// Communes' totals and the units above them are sums, as are all programmes'.
						expect(await programmeRollUpViolations(database.db)).toEqual([]);
						expect(await allProgrammesViolations(database.db)).toEqual([]);
					} finally {
						rmSync(dir, { recursive: true, force: true });
					}
				}),
				{ numRuns: kind === 'pglite' ? 15 : 10 }
			);
		} finally {
			rmSync(gazetteer, { recursive: true, force: true });
			await database.drop();
		}
	});
});
