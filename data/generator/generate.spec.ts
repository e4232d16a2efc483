import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geoSourceDir } from '../../src/lib/server/config';
import { ageAt, parseDay } from './dates';
import { FEEDS, type Feed } from './feeds';
import { checkOptions, generateDemoData, type GenerateOptions, type Manifest } from './generate';
import { normaliseName } from './names';
import { isEligible, parseTarget, type TargetHousehold, type TargetPerson } from './targets';

const HOUSEHOLDS = 2000;
const AS_OF = '2026-06-15';
const geoDir = geoSourceDir();
const scratch: string[] = [];

type Row = Record<string, string>;

async function run(seed: string): Promise<{ dir: string; manifest: Manifest }> {
	const dir = mkdtempSync(path.join(tmpdir(), 'ssdm-demo-'));
	scratch.push(dir);
	const manifest = await generateDemoData({
		households: HOUSEHOLDS,
		seed,
		asOf: AS_OF,
		outDir: dir,
		geoDir
	});
	return { dir, manifest };
}

function hashes(dir: string): Record<string, string> {
	return Object.fromEntries(
		readdirSync(dir)
			.sort()
			.map((f) => [
				f,
				createHash('sha256')
					.update(readFileSync(path.join(dir, f)))
					.digest('hex')
			])
	);
}

let dir = '';
let manifest: Manifest;
const all = {} as Record<Feed, Row[]>;
const good = {} as Record<Feed, Row[]>;
let header = {} as Record<Feed, string[]>;

beforeAll(async () => {
	({ dir, manifest } = await run('1'));
	header = {} as Record<Feed, string[]>;
	for (const feed of FEEDS) {
		const text = readFileSync(path.join(dir, `${feed}.csv`), 'utf8');
		header[feed] = text.slice(0, text.indexOf('\n')).split(',');
		all[feed] = parse(text, { columns: true }) as Row[];
		good[feed] = all[feed].slice(0, manifest.counts[feed].good);
	}
});
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

const asOf = parseDay(AS_OF) as number;
const day = (text: string | undefined) => {
	const d = parseDay(text ?? '');
	if (d === null) throw new Error(`bad date ${text}`);
	return d;
};

describe('options', () => {
	it('accepts sane options and rejects the rest', () => {
		const base: GenerateOptions = { households: 100, seed: '1', asOf: AS_OF, outDir: '', geoDir };
		expect(checkOptions(base)).toBe(asOf);
		expect(() => checkOptions({ ...base, households: 19 })).toThrow(/from 20 to 5000000/);
		expect(() => checkOptions({ ...base, households: 1.5 })).toThrow(/whole number/);
		expect(() => checkOptions({ ...base, seed: '' })).toThrow(/seed/);
		expect(() => checkOptions({ ...base, asOf: '2023-02-30' })).toThrow(/not a real/);
		expect(() => checkOptions({ ...base, asOf: '2014-12-31' })).toThrow(/2015-01-01 or later/);
	});
});

describe('determinism', () => {
	it('writes identical bytes for the same seed and different ones for another', async () => {
		const again = await run('1');
		const other = await run('2');
		const first = hashes(dir);
		expect(Object.keys(first)).toEqual([...FEEDS.map((f) => `${f}.csv`), 'manifest.json'].sort());
		expect(hashes(again.dir)).toEqual(first);
		const different = hashes(other.dir);
		for (const feed of ['households', 'members', 'applications', 'benefits', 'appeals']) {
			expect(different[`${feed}.csv`], feed).not.toBe(first[`${feed}.csv`]);
		}
		// The reference copy of the gazetteer does not depend on the seed.
		expect(different['gazetteer.csv']).toBe(first['gazetteer.csv']);
	});
});

describe('files', () => {
	it('have the exact §3 columns', () => {
		// Copied from the table in shared/domain.md §3, not from the code that writes them.
		expect(header).toEqual({
			gazetteer:
				'province_code,province_en,province_km,district_code,district_en,district_km,commune_code,commune_en,commune_km,village_code,village_en,village_km,lat,lon'.split(
					','
				),
			population:
				'geo_code,year,households,persons,persons_female,persons_0_17,persons_60_plus'.split(','),
			offices: 'office_code,level,geo_code,opened_on,closed_on,staff_count,staff_trained'.split(
				','
			),
			programmes: 'programme_code,name_en,name_km,ministry,kind,unit,target,life_cycle'.split(','),
			households: 'household_id,village_code,registered_on,idpoor_level,office_code'.split(','),
			members:
				'person_id,household_id,sex,birth_date,full_name,national_id,disability,relationship'.split(
					','
				),
			applications:
				'application_id,programme_code,household_id,person_id,office_code,applied_on,status,decided_on'.split(
					','
				),
			enrolments: 'enrolment_id,programme_code,household_id,person_id,enrolled_on,exited_on'.split(
				','
			),
			benefits: 'benefit_id,enrolment_id,period,delivered_on,amount_khr,kind'.split(','),
			appeals:
				'appeal_id,household_id,programme_code,village_code,lodged_on,channel,category,status,resolved_on'.split(
					','
				)
		});
	});

	it('copy all 14,372 villages with zero-padded codes and empty lat/lon', () => {
		expect(good.gazetteer).toHaveLength(14372);
		expect(good.gazetteer[0]).toMatchObject({ province_code: '01', lat: '', lon: '' });
		expect(good.gazetteer.every((r) => /^\d{8}$/.test(r.village_code ?? ''))).toBe(true);
		// Khmer names with a quote survive the CSV round trip.
		expect(good.gazetteer.some((r) => r.village_km?.includes('"'))).toBe(true);
	});

	it('hold exactly N good households, ids H0000001…, then the bad rows', () => {
		expect(manifest.counts.households.good).toBe(HOUSEHOLDS);
		expect(good.households).toHaveLength(HOUSEHOLDS);
		expect(good.households.map((h) => h.household_id)).toEqual(
			Array.from({ length: HOUSEHOLDS }, (_, i) => `H${String(i + 1).padStart(7, '0')}`)
		);
		expect(all.households.length).toBe(HOUSEHOLDS + manifest.counts.households.bad);
		// Ids follow registration order.
		const dates = good.households.map((h) => h.registered_on ?? '');
		expect(dates).toEqual([...dates].sort());
	});

	it('count rows in the manifest as written', () => {
		for (const feed of FEEDS) {
			expect(manifest.counts[feed].rows, feed).toBe(all[feed].length);
			expect(manifest.counts[feed].good + manifest.counts[feed].bad).toBe(all[feed].length);
		}
		expect(good.population).toHaveLength(4 * 14372);
		expect(manifest.populationYears).toEqual([2023, 2024, 2025, 2026]);
	});
});

describe('offices', () => {
	it('open the pilot in June 2014 in every commune of Angkor Chum and Srei Snam', () => {
		const pilot = good.offices
			.filter((o) => o.opened_on === '2014-06-01')
			.map((o) => o.office_code)
			.sort();
		expect(pilot).toEqual([
			'CF-170101',
			'CF-170102',
			'CF-170103',
			'CF-170104',
			'CF-170105',
			'CF-170106',
			'CF-170107',
			'CF-171201',
			'CF-171202',
			'CF-171203',
			'CF-171204',
			'CF-171205',
			'CF-171206',
			'DB-1701',
			'DB-1712',
			'PB-17'
		]);
		const pilotCommunes = new Set(
			good.gazetteer
				.filter((g) => g.district_en === 'Angkor Chum' || g.district_en === 'Srei Snam')
				.map((g) => `CF-${g.commune_code}`)
		);
		expect([...pilotCommunes].sort()).toEqual(pilot.filter((c) => c?.startsWith('CF-')));
		// Nobody else opened before the 2016 rollout.
		expect(good.offices.filter((o) => (o.opened_on ?? '') < '2016-01-01')).toHaveLength(16);
	});

	it('leave about five provinces without any office', () => {
		const provinces = new Set(good.offices.map((o) => (o.geo_code ?? '').slice(0, 2)));
		expect(25 - provinces.size).toBe(5);
		expect(manifest.provincesWithoutOffice).toHaveLength(5);
		for (const code of manifest.provincesWithoutOffice) expect(provinces.has(code)).toBe(false);
		const malformed = good.offices.filter(
			(o) =>
				!/^(CF-\d{6}|DB-\d{4}|PB-\d{2})$/.test(o.office_code ?? '') ||
				o.office_code?.slice(3) !== o.geo_code
		);
		expect(malformed).toEqual([]);
	});
});

describe('households', () => {
	it('are only registered where the commune front office was open', () => {
		const communeOf = new Map(good.gazetteer.map((g) => [g.village_code, g.commune_code]));
		const offices = new Map(good.offices.map((o) => [o.office_code, o]));
		const wrong = good.households.filter((h) => {
			const office = offices.get(`CF-${communeOf.get(h.village_code)}`);
			if (!office || h.office_code !== office.office_code) return true;
			const registered = day(h.registered_on);
			if (registered < day(office.opened_on)) return true;
			if (office.closed_on && registered >= day(office.closed_on)) return true;
			return !['', '1', '2'].includes(h.idpoor_level ?? '');
		});
		expect(wrong).toEqual([]);
	});

	it('are scaled against population denominators proportional to 2011 families', () => {
		const communeOf = new Map(good.gazetteer.map((g) => [g.village_code, g.commune_code]));
		const households = (commune: string, year: string) =>
			good.population
				.filter((p) => p.year === year && communeOf.get(p.geo_code) === commune)
				.reduce((s, p) => s + Number(p.households), 0);
		// Banteay Neang (010201) had 4,206 families in 2011; 2026 is 15 years of 2 % growth.
		expect(households('010201', '2026')).toBe(Math.round(4206 * 1.02 ** 15 * manifest.scale));
		expect(households('010201', '2023')).toBe(Math.round(4206 * 1.02 ** 12 * manifest.scale));
		// 120608 received 4,216 of Stueng Mean Chey's 11,594 families.
		expect(households('120608', '2026')).toBe(Math.round(4216 * 1.02 ** 15 * manifest.scale));
		// The scale maps the full-scale registry onto N households.
		expect(manifest.scale).toBeCloseTo(HOUSEHOLDS / manifest.fullScaleRegisteredHouseholds, 6);
	});

	it('never exceed the population of their village', () => {
		const population = new Map(
			good.population
				.filter((p) => p.year === '2026')
				.map((p) => [p.geo_code, Number(p.households)])
		);
		const registered = new Map<string, number>();
		for (const h of good.households) {
			registered.set(h.village_code ?? '', (registered.get(h.village_code ?? '') ?? 0) + 1);
		}
		const over = [...registered].filter(([village, n]) => n > (population.get(village) ?? 0));
		expect(over).toEqual([]);
	});
});

describe('members', () => {
	it('look like Cambodian households', () => {
		const n = good.members.length;
		const ages = good.members.map((m) => ageAt(day(m.birth_date), asOf));
		expect(n / HOUSEHOLDS).toBeGreaterThan(4.2);
		expect(n / HOUSEHOLDS).toBeLessThan(4.8);
		expect(ages.filter((a) => a < 18).length / n).toBeGreaterThan(0.28);
		expect(ages.filter((a) => a < 18).length / n).toBeLessThan(0.4);
		expect(ages.filter((a) => a >= 60).length / n).toBeGreaterThan(0.05);
		expect(ages.filter((a) => a >= 60).length / n).toBeLessThan(0.11);
		expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...ages)).toBeLessThanOrEqual(95);
		const disabled = good.members.filter((m) => m.disability === 'yes').length / n;
		expect(disabled).toBeGreaterThan(0.02);
		expect(disabled).toBeLessThan(0.06);
		const heads = good.members.filter((m) => m.relationship === 'head');
		expect(heads).toHaveLength(HOUSEHOLDS);
		const odd = good.members.filter(
			(m) =>
				!['F', 'M'].includes(m.sex ?? '') ||
				!['head', 'spouse', 'child', 'parent', 'other'].includes(m.relationship ?? '') ||
				!/^(\d{12})?$/.test(m.national_id ?? '') ||
				!/^[A-Z][a-z]+ [A-Z][a-z]+( [A-Z][a-z]+)?$/.test(m.full_name ?? '')
		);
		expect(odd).toEqual([]);
	});

	it('contain exactly the planted possible duplicates', () => {
		const pairs = manifest.possibleDuplicates;
		expect(pairs.filter((p) => p.kind === 'national_id')).toHaveLength(3);
		expect(pairs.filter((p) => p.kind === 'name_birth_sex')).toHaveLength(3);
		const byId = new Map(good.members.map((m) => [m.person_id, m]));
		for (const pair of pairs) {
			const a = byId.get(pair.first.person_id);
			const b = byId.get(pair.second.person_id);
			expect(a?.household_id).toBe(pair.first.household_id);
			expect(b?.household_id).toBe(pair.second.household_id);
			expect(a?.household_id).not.toBe(b?.household_id);
			if (pair.kind === 'national_id') {
				expect(a?.national_id).toBe(pair.value);
				expect(b?.national_id).toBe(pair.value);
			} else {
				expect(`${a?.full_name}|${a?.birth_date}|${a?.sex}`).toBe(pair.value);
				expect(`${b?.full_name}|${b?.birth_date}|${b?.sex}`).toBe(pair.value);
			}
		}
		// No other repeats of either kind anywhere in the registry.
		const repeats = (key: (m: Row) => string) => {
			const seen = new Map<string, number>();
			for (const m of good.members) {
				const k = key(m);
				if (k) seen.set(k, (seen.get(k) ?? 0) + 1);
			}
			return [...seen.values()].filter((c) => c > 1).length;
		};
		expect(repeats((m) => m.national_id ?? '')).toBe(3);
		expect(repeats((m) => `${normaliseName(m.full_name ?? '')}|${m.birth_date}|${m.sex}`)).toBe(3);
	});
});

describe('services', () => {
	it('keep foreign keys consistent in the good rows', () => {
		const households = new Map(good.households.map((h) => [h.household_id, h]));
		const persons = new Map(good.members.map((m) => [m.person_id, m]));
		const programmes = new Map(good.programmes.map((p) => [p.programme_code, p]));
		const offices = new Set(good.offices.map((o) => o.office_code));
		const villages = new Set(good.gazetteer.map((g) => g.village_code));
		const enrolments = new Set(good.enrolments.map((e) => e.enrolment_id));
		const broken: string[] = [];
		const check = (ok: boolean, what: string) => ok || broken.push(what);
		for (const m of good.members) check(households.has(m.household_id), `${m.person_id} household`);
		for (const r of [...good.applications, ...good.enrolments]) {
			const id = r.application_id ?? r.enrolment_id;
			const programme = programmes.get(r.programme_code);
			check(programme !== undefined && households.has(r.household_id), `${id} programme/household`);
			check(
				programme?.unit === 'person'
					? persons.get(r.person_id)?.household_id === r.household_id
					: r.person_id === '',
				`${id} person`
			);
		}
		for (const a of good.applications)
			check(offices.has(a.office_code), `${a.application_id} office`);
		for (const b of good.benefits)
			check(enrolments.has(b.enrolment_id), `${b.benefit_id} enrolment`);
		for (const a of good.appeals) {
			check(villages.has(a.village_code), `${a.appeal_id} village`);
			if (a.household_id) {
				check(households.get(a.household_id)?.village_code === a.village_code, `${a.appeal_id} hh`);
			}
			if (a.programme_code) check(programmes.has(a.programme_code), `${a.appeal_id} programme`);
		}
		for (const h of good.households) {
			check(offices.has(h.office_code) && villages.has(h.village_code), `${h.household_id}`);
		}
		for (const p of good.population) check(villages.has(p.geo_code), `population ${p.geo_code}`);
		expect(broken).toEqual([]);
	});

	it('date applications after registration and decisions 5–60 days later', () => {
		const registered = new Map(good.households.map((h) => [h.household_id, day(h.registered_on)]));
		const statuses = new Set(['pending', 'approved', 'rejected', 'withdrawn']);
		const wrong = good.applications.filter((a) => {
			const applied = day(a.applied_on);
			if (applied < (registered.get(a.household_id) ?? Infinity)) return true;
			if (!statuses.has(a.status ?? '')) return true;
			if (a.status === 'pending') return a.decided_on !== '';
			const wait = day(a.decided_on) - applied;
			return wait < 5 || wait > 60;
		});
		expect(wrong).toEqual([]);
		const backlog = good.applications.filter(
			(a) => a.status === 'pending' && asOf - day(a.applied_on) > 30
		);
		expect(backlog.length).toBeGreaterThan(0);
		const approved = good.applications.filter((a) => a.status === 'approved').length;
		expect(approved / good.applications.length).toBeGreaterThan(0.7);
	});

	it('enrol after an approval, mostly units that meet the target', () => {
		const key = (r: Row) => `${r.programme_code}|${r.household_id}|${r.person_id}`;
		const decisions = new Map<string, number[]>();
		for (const a of good.applications.filter((x) => x.status === 'approved')) {
			decisions.set(key(a), [...(decisions.get(key(a)) ?? []), day(a.decided_on)]);
		}
		const households = new Map<string, TargetHousehold & { persons: Map<string, TargetPerson> }>();
		for (const h of good.households) {
			const level = Number(h.idpoor_level || 0) as 0 | 1 | 2;
			households.set(h.household_id ?? '', { idpoorLevel: level, members: [], persons: new Map() });
		}
		for (const m of good.members) {
			const h = households.get(m.household_id ?? '');
			const person = {
				sex: m.sex as 'F' | 'M',
				birth: day(m.birth_date),
				disability: m.disability === 'yes'
			};
			h?.members.push(person);
			h?.persons.set(m.person_id ?? '', person);
		}
		const targets = new Map(
			good.programmes.map((p) => [p.programme_code, parseTarget(p.target ?? '')])
		);
		const wrong: string[] = [];
		let outside = 0;
		for (const e of good.enrolments) {
			const enrolled = day(e.enrolled_on);
			if (!decisions.get(key(e))?.some((d) => d < enrolled))
				wrong.push(`${e.enrolment_id} approval`);
			if (e.exited_on && day(e.exited_on) <= enrolled) wrong.push(`${e.enrolment_id} exit`);
			const h = households.get(e.household_id ?? '');
			if (!h) throw new Error('unknown household');
			const person = e.person_id ? h.persons.get(e.person_id) : undefined;
			if (!isEligible(targets.get(e.programme_code) ?? [], h, person, enrolled)) outside++;
		}
		expect(wrong).toEqual([]);
		// Inclusion errors: about 2 % of enrolments.
		const share = outside / good.enrolments.length;
		expect(share).toBeGreaterThan(0.005);
		expect(share).toBeLessThan(0.04);
	});

	it('pay benefits while enrolled, for the 24 months before the as-of month', () => {
		expect(manifest.benefitPeriods).toEqual({ from: '2024-06', to: '2026-05' });
		const enrolments = new Map(good.enrolments.map((e) => [e.enrolment_id, e]));
		const wrong = good.benefits.filter((b) => {
			const e = enrolments.get(b.enrolment_id);
			const delivered = day(b.delivered_on);
			return (
				!e ||
				(b.period ?? '') < '2024-06' ||
				(b.period ?? '') > '2026-05' ||
				delivered < day(`${b.period}-01`) ||
				delivered < day(e.enrolled_on) ||
				(e.exited_on !== '' && delivered >= day(e.exited_on)) ||
				!(Number(b.amount_khr) > 0) ||
				!['cash', 'in_kind', 'service'].includes(b.kind ?? '')
			);
		});
		expect(wrong).toEqual([]);
		expect(good.benefits.length).toBeGreaterThan(HOUSEHOLDS);
	});

	it('resolve appeals no earlier than lodged, leaving some overdue', () => {
		const wrong = good.appeals.filter((a) => {
			if (!['village_chief', 'commune_office', 'hotline', 'other'].includes(a.channel ?? '')) {
				return true;
			}
			if (!['exclusion', 'payment', 'service_quality', 'other'].includes(a.category ?? '')) {
				return true;
			}
			if (a.status === 'resolved' || a.status === 'rejected') {
				return day(a.resolved_on) < day(a.lodged_on);
			}
			return !['open', 'escalated'].includes(a.status ?? '') || a.resolved_on !== '';
		});
		expect(wrong).toEqual([]);
		const overdue = good.appeals.filter((a) => a.status === 'open' && asOf - day(a.lodged_on) > 30);
		expect(overdue.length).toBeGreaterThan(0);
	});
});

describe('dates', () => {
	it('are never after the as-of date in good rows', () => {
		const dateColumns: Partial<Record<Feed, string[]>> = {
			offices: ['opened_on', 'closed_on'],
			households: ['registered_on'],
			members: ['birth_date'],
			applications: ['applied_on', 'decided_on'],
			enrolments: ['enrolled_on', 'exited_on'],
			benefits: ['delivered_on'],
			appeals: ['lodged_on', 'resolved_on']
		};
		const optional = new Set(['closed_on', 'decided_on', 'exited_on', 'resolved_on']);
		const late: string[] = [];
		for (const [feed, columns] of Object.entries(dateColumns) as [Feed, string[]][]) {
			for (const row of good[feed]) {
				for (const column of columns) {
					const value = row[column] ?? '';
					if (value === '' && optional.has(column)) continue;
					if (day(value) > asOf) late.push(`${feed}.${column} ${value}`);
				}
			}
		}
		expect(late).toEqual([]);
		for (const p of good.population) expect(Number(p.year)).toBeLessThanOrEqual(2026);
	});
});

describe('bad rows', () => {
	it('sit after the good rows, where the manifest says, one fault each', () => {
		expect(manifest.badRows.length).toBeGreaterThanOrEqual(10);
		expect(manifest.badRows.length).toBeLessThanOrEqual(20);
		for (const bad of manifest.badRows) {
			const feed = bad.file.replace('.csv', '') as Feed;
			expect(bad.row).toBeGreaterThan(manifest.counts[feed].good);
			const row = all[feed][bad.row - 1];
			expect(row, `${bad.file} row ${bad.row}`).toBeDefined();
			expect(Object.values(row ?? {})[0]).toBe(bad.id);
			expect(Object.keys(row ?? {})).toContain(bad.column);
		}
		const at = (file: string, column: string) => {
			const bad = manifest.badRows.find((b) => b.file === file && b.column === column);
			const feed = file.replace('.csv', '') as Feed;
			return all[feed][(bad?.row ?? 0) - 1] ?? {};
		};
		expect(at('households.csv', 'registered_on').registered_on).toBe('2023-02-30');
		expect(at('members.csv', 'sex').sex).toBe('X');
		expect(at('enrolments.csv', 'programme_code').programme_code).toBe('XYZ');
		const late = at('applications.csv', 'decided_on');
		expect(day(late.decided_on)).toBeLessThan(day(late.applied_on));
		const appeal = at('appeals.csv', 'resolved_on');
		expect(day(appeal.resolved_on)).toBeLessThan(day(appeal.lodged_on));
		const duplicate = at('households.csv', 'household_id');
		expect(duplicate.household_id).toBe('H0000001');
	});
});
