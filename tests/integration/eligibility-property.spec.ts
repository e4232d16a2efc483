/**
 * Property test of the eligible counts (fast-check): random households registered close to
 * period ends and members born close to the birthdays that matter (2, 6, 18 and 60 years
 * before a period's end, and on 29 February), eight programmes with every kind of target, and
 * the stored `eligible` count of every programme, period, village and commune group compared
 * with a count made here, person by person, with ages in completed years at each period's end
 * (someone born on 29 February turns a year older on 1 March in other years).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/lib/server/db';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import { refreshAll } from '../../src/lib/server/indicators/refresh';
import { parsePeriod } from '../../src/lib/indicators/periods';
import { FIXTURE_FILES, FIXTURE_TODAY } from './indicator-fixture';
import { createTestDatabase, DATABASE_KINDS } from './test-database';

/** Village → commune, from the fixture's gazetteer. */
const COMMUNE_OF: Record<string, string> = {
	'17010101': '170101',
	'17010102': '170101',
	'17010201': '170102',
	'01020101': '010201'
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

/** The expected stored eligible counts, as `period programme level geo group value → count`. */
function expected(households: Registry, periods: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
	for (const label of periods) {
		const end = parsePeriod(label)!.end;
		for (const p of PROGRAMMES) {
			for (const h of households) {
				if (h.registered > end || !householdMeets(p.target, h.idpoor)) continue;
				const commune = COMMUNE_OF[h.village];
				const idpoor = h.idpoor || 'none';
				const prefix = `${label} ${p.code}`;
				if (p.unit === 'household') {
					const needsMember = p.target.split('&').some((t) => MEMBER_TERM.test(t));
					if (needsMember && !h.members.some((m) => memberMeets(p.target, m, end))) continue;
					add(`${prefix} village ${h.village} - -`);
					add(`${prefix} commune ${commune} idpoor ${idpoor}`);
					continue;
				}
				for (const m of h.members) {
					if (!memberMeets(p.target, m, end)) continue;
					const years = age(m.born, end);
					const life = years >= 60 ? 'older_persons' : years >= 18 ? 'working_age' : 'children';
					add(`${prefix} village ${h.village} - -`);
					add(`${prefix} commune ${commune} sex ${m.sex}`);
					add(`${prefix} commune ${commune} life_cycle ${life}`);
					add(`${prefix} commune ${commune} disability ${m.disability === 'yes' ? 'yes' : 'no'}`);
					add(`${prefix} commune ${commune} idpoor ${idpoor}`);
				}
			}
		}
	}
	return counts;
}

function files(households: Registry): Record<string, string> {
	const h = households.map((x, i) => `EH${i},${x.village},${x.registered},${x.idpoor}\n`);
	const m = households.flatMap((x, i) =>
		x.members.map((y, j) => `EP${i}-${j},EH${i},${y.sex},${y.born},${y.disability}\n`)
	);
	return {
		'programmes.csv':
			'programme_code,name_en,kind,unit,target\n' +
			PROGRAMMES.map((p) => `${p.code},${p.code},social_assistance,${p.unit},${p.target}\n`).join(
				''
			),
		'households.csv': 'household_id,village_code,registered_on,idpoor_level\n' + h.join(''),
		'members.csv': 'person_id,household_id,sex,birth_date,disability\n' + m.join('')
	};
}

function writeDir(contents: Record<string, string>): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'ssdm-eligibility-'));
	for (const [name, text] of Object.entries(contents)) writeFileSync(path.join(dir, name), text);
	return dir;
}

describe.each(DATABASE_KINDS)('eligible counts on %s', (kind) => {
	it('equal a count person by person at each period end, thresholds and leap days included', async () => {
		const database = await createTestDatabase(kind);
		const gazetteer = writeDir({ 'gazetteer.csv': FIXTURE_FILES['gazetteer.csv'] });
		try {
			await importPath(database.db, gazetteer);
			await fc.assert(
				fc.asyncProperty(registry, async (households) => {
					await database.db.execute(sql`DELETE FROM members`);
					await database.db.execute(sql`DELETE FROM households`);
					const dir = writeDir(files(households));
					try {
						const outcomes = await importPath(database.db, dir);
						expect(outcomes.every((o) => o.ok && o.summary.rejected === 0)).toBe(true);
						const result = await refreshAll(database.db, { today: FIXTURE_TODAY, all: true });
						const rows = await queryRows<{ key: string; n: number }>(
							database.db,
							sql`SELECT period || ' ' || programme || ' ' || level || ' ' || geo_code || ' '
									|| CASE WHEN group_by = '' THEN '- -' ELSE group_by || ' ' || group_value END
									AS key, numerator AS n
								FROM indicator_values
								WHERE indicator_id = 'eligible' AND programme <> ''
									AND level IN ('village', 'commune') AND period IN ${result.periods}
									AND NOT (level = 'commune' AND group_by = '')`
						);
						const stored = new Map(rows.map((r) => [r.key, Number(r.n)]));
						expect(stored).toEqual(expected(households, result.periods));
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
