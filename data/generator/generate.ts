/**
 * The demo data generator: builds one CSV per import feed (domain.md §3) and a manifest for
 * a simulated SSDM registry of N households, deterministically from a seed and an as-of date.
 *
 * Order of work (and of random draws, which must never change for a given version): area
 * behaviour, the office rollout, population and where households live, registration dates,
 * the planted duplicates, then household by household (in registration order, which is also
 * id order) its members, applications, enrolments, benefits and appeals, streamed to disk.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appendBadRows, type BadRow } from './bad-rows';
import { drawAreaParams, type AreaParams } from './areas';
import { AppealSimulator } from './appeals';
import { formatDay, formatMonth, monthOf, parseDay } from './dates';
import { FEEDS, FeedWriter, type Feed } from './feeds';
import { GAZETTEER_FILE, loadGeo, type Geo } from './geo';
import { planRollout, type Rollout } from './offices';
import {
	drawRegistrationOffset,
	planPopulation,
	registrationPeriod,
	type PopulationPlan
} from './population';
import { PROGRAMMES } from './programmes';
import { Rng } from './random';
import { MemberFactory, type ForcedHead } from './registry';
import { BENEFIT_MONTHS, pad, ServiceSimulator, type RegisteredHousehold } from './services';

/** Smallest household count accepted (the bad rows and planted duplicates need a few). */
export const MIN_HOUSEHOLDS = 20;
/** Largest household count accepted (ids stay 7 digits, and H9999999 stays unused). */
export const MAX_HOUSEHOLDS = 5_000_000;
/** Earliest as-of date: the pilot opened in June 2014 and needs some months of history. */
export const MIN_AS_OF = '2015-01-01';
/** How many possible-duplicate pairs of each kind are planted. */
export const PLANTED_PAIRS_PER_KIND = 3;

/** Options of one generator run. */
export interface GenerateOptions {
	households: number;
	seed: string;
	/** `YYYY-MM-DD`: the simulation's current date; nothing is dated after it. */
	asOf: string;
	outDir: string;
	geoDir: string;
	/** Receives one progress line per feed written. */
	log?: (line: string) => void;
}

/** A pair of registry persons that the importer should flag as possible duplicates. */
export interface DuplicatePair {
	kind: 'national_id' | 'name_birth_sex';
	/** The shared national_id, or `full_name|birth_date|sex`. */
	value: string;
	first: { household_id: string; person_id: string };
	second: { household_id: string; person_id: string };
}

/** Registration coverage of one province at the as-of date. */
export interface ProvinceCoverage {
	province_code: string;
	province_en: string;
	population_households: number;
	registered_households: number;
	/** registered / population, rounded to 4 decimals (null without population). */
	coverage: number | null;
}

/** Contents of manifest.json. */
export interface Manifest {
	generator: 'ssdm-demo-data';
	version: 1;
	seed: string;
	households: number;
	asOf: string;
	/** Demo population = full-scale population × scale (see population.ts). */
	scale: number;
	/** Households the registry would hold at full scale, which `scale` maps to `households`. */
	fullScaleRegisteredHouseholds: number;
	populationYears: number[];
	benefitPeriods: { from: string; to: string };
	/** Data rows per file (header not counted): all, good and deliberately bad. */
	counts: Record<Feed, { rows: number; good: number; bad: number }>;
	badRows: BadRow[];
	possibleDuplicates: DuplicatePair[];
	provincesWithoutOffice: string[];
	coverageByProvince: ProvinceCoverage[];
}

/** Validates the options; returns the as-of day number or throws a plain Error. */
export function checkOptions(options: GenerateOptions): number {
	const { households, seed, asOf } = options;
	if (!Number.isInteger(households) || households < MIN_HOUSEHOLDS || households > MAX_HOUSEHOLDS) {
		throw new Error(
			`households must be a whole number from ${MIN_HOUSEHOLDS} to ${MAX_HOUSEHOLDS}, got ${households}`
		);
	}
	if (seed === '') throw new Error('seed must not be empty');
	const day = parseDay(asOf);
	if (day === null) throw new Error(`as-of date "${asOf}" is not a real YYYY-MM-DD date`);
	if (asOf < MIN_AS_OF) throw new Error(`as-of date must be ${MIN_AS_OF} or later, got ${asOf}`);
	return day;
}

/** Generates every feed and manifest.json into `outDir`; returns the manifest. */
export async function generateDemoData(options: GenerateOptions): Promise<Manifest> {
	const asOf = checkOptions(options);
	const asOfYear = Number(options.asOf.slice(0, 4));
	const log = options.log ?? (() => {});
	const n = options.households;
	const geo = loadGeo(options.geoDir);
	const rng = new Rng(options.seed);
	const areas = drawAreaParams(rng, geo);
	const rollout = planRollout(rng, geo, asOf, path.join(options.geoDir, GAZETTEER_FILE));
	const population = planPopulation(rng, geo, areas, rollout, n, asOf, asOfYear);

	mkdirSync(options.outDir, { recursive: true });
	const report = (writer: FeedWriter) => log(feedLine(writer, 0));

	// Reference feeds first: they are small and the registry feeds refer to them.
	const gazetteer = new FeedWriter(options.outDir, 'gazetteer');
	for (const row of geo.gazetteerRows) gazetteer.add([...row, '', '']);
	await gazetteer.close();
	report(gazetteer);

	const populationWriter = new FeedWriter(options.outDir, 'population');
	writePopulation(populationWriter, geo, areas, population, asOfYear);
	await populationWriter.close();
	report(populationWriter);

	const officesWriter = new FeedWriter(options.outDir, 'offices');
	for (const o of rollout.offices) {
		officesWriter.add([
			o.code,
			o.level,
			o.geoCode,
			formatDay(o.opened),
			o.closed === null ? '' : formatDay(o.closed),
			String(o.staffCount),
			String(o.staffTrained)
		]);
	}
	await officesWriter.close();
	report(officesWriter);

	const programmesWriter = new FeedWriter(options.outDir, 'programmes');
	for (const p of PROGRAMMES) {
		programmesWriter.add([
			p.code,
			p.nameEn,
			p.nameKm,
			p.ministry,
			p.kind,
			p.unit,
			p.target,
			p.lifeCycle
		]);
	}
	await programmesWriter.close();
	report(programmesWriter);

	const registry = await writeRegistry(options, asOf, rng, geo, areas, rollout, population);

	const badCount = (feed: Feed) => registry.badRows.filter((b) => b.file === `${feed}.csv`).length;
	const rowCounts: Record<Feed, number> = {
		gazetteer: gazetteer.rows,
		population: populationWriter.rows,
		offices: officesWriter.rows,
		programmes: programmesWriter.rows,
		...registry.rows
	};
	const counts = Object.fromEntries(
		FEEDS.map((feed) => {
			const rows = rowCounts[feed];
			return [feed, { rows, good: rows - badCount(feed), bad: badCount(feed) }];
		})
	) as Manifest['counts'];

	const lastPeriod = monthOf(asOf) - 1;
	const manifest: Manifest = {
		generator: 'ssdm-demo-data',
		version: 1,
		seed: options.seed,
		households: n,
		asOf: options.asOf,
		scale: population.scale,
		fullScaleRegisteredHouseholds: Math.round(population.fullScaleRegistered),
		populationYears: population.years,
		benefitPeriods: {
			from: formatMonth(lastPeriod - BENEFIT_MONTHS + 1),
			to: formatMonth(lastPeriod)
		},
		counts,
		badRows: registry.badRows,
		possibleDuplicates: registry.duplicates,
		provincesWithoutOffice: rollout.provincesWithoutOffice,
		coverageByProvince: provinceCoverage(geo, population)
	};
	writeFileSync(
		path.join(options.outDir, 'manifest.json'),
		`${JSON.stringify(manifest, null, '\t')}\n`
	);
	return manifest;
}

function writePopulation(
	writer: FeedWriter,
	geo: Geo,
	areas: AreaParams,
	population: PopulationPlan,
	asOfYear: number
) {
	population.years.forEach((year, y) => {
		const households = population.villageHouseholds[y] as Int32Array;
		const back = asOfYear - year;
		geo.villages.forEach((village, v) => {
			const c = areas.communes[village.commune];
			if (!c) return;
			const hh = households[v] ?? 0;
			const persons = Math.round(hh * c.personsPerHousehold);
			// Slowly ageing: a little more children and fewer elderly in earlier years.
			writer.add([
				village.code,
				String(year),
				String(hh),
				String(persons),
				String(Math.round(persons * c.femaleShare)),
				String(Math.round(persons * c.childShare * (1 + 0.012 * back))),
				String(Math.round(persons * c.elderShare * (1 - 0.025 * back)))
			]);
		});
	});
}

function provinceCoverage(geo: Geo, population: PopulationPlan): ProvinceCoverage[] {
	const current = population.villageHouseholds[population.villageHouseholds.length - 1];
	return geo.provinces.map((p) => {
		let pop = 0;
		let reg = 0;
		for (const d of p.districts) {
			for (const c of geo.districts[d]?.communes ?? []) {
				for (const v of geo.communes[c]?.villages ?? []) {
					pop += current?.[v] ?? 0;
					reg += population.registered[v] ?? 0;
				}
			}
		}
		return {
			province_code: p.code,
			province_en: p.nameEn,
			population_households: pop,
			registered_households: reg,
			coverage: pop > 0 ? Math.round((reg / pop) * 10_000) / 10_000 : null
		};
	});
}

/** Writes households, members, applications, enrolments, benefits and appeals. */
async function writeRegistry(
	options: GenerateOptions,
	asOf: number,
	rng: Rng,
	geo: Geo,
	areas: AreaParams,
	rollout: Rollout,
	population: PopulationPlan
): Promise<{
	rows: Record<
		'households' | 'members' | 'applications' | 'enrolments' | 'benefits' | 'appeals',
		number
	>;
	badRows: BadRow[];
	duplicates: DuplicatePair[];
}> {
	const n = options.households;
	// Registration day of every household, drawn village by village, then put in date order
	// (ties keep drawing order) so household ids follow registration like a real registry.
	const villageOf = new Int32Array(n);
	const registeredOn = new Int32Array(n);
	let k = 0;
	geo.communes.forEach((commune, c) => {
		const period = registrationPeriod(rollout, c, asOf);
		const pace = areas.communes[c]?.paceDays ?? 200;
		for (const v of commune.villages) {
			const count = population.registered[v] ?? 0;
			if (count > 0 && !period)
				throw new Error(`households planned in commune ${commune.code} without an office`);
			for (let i = 0; i < count && period; i++) {
				villageOf[k] = v;
				registeredOn[k] =
					period.first + drawRegistrationOffset(rng, period.last - period.first + 1, pace);
				k++;
			}
		}
	});
	if (k !== n) throw new Error(`planned ${k} households instead of ${n}`);
	const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
		(a, b) => (registeredOn[a] ?? 0) - (registeredOn[b] ?? 0) || a - b
	);

	// Planted possible duplicates: pairs of distinct households (earlier, later); the later
	// head copies the earlier head's identity.
	const picked = new Set<number>();
	while (picked.size < 4 * PLANTED_PAIRS_PER_KIND) picked.add(rng.int(1, n - 1));
	const positions = [...picked];
	const plantedTargets = new Map<number, { source: number; kind: DuplicatePair['kind'] }>();
	const plantedSources = new Set<number>();
	for (let p = 0; p < 2 * PLANTED_PAIRS_PER_KIND; p++) {
		const a = positions[2 * p] as number;
		const b = positions[2 * p + 1] as number;
		const kind = p < PLANTED_PAIRS_PER_KIND ? 'national_id' : 'name_birth_sex';
		plantedTargets.set(Math.max(a, b), { source: Math.min(a, b), kind });
		plantedSources.add(Math.min(a, b));
	}
	const sourceHeads = new Map<
		number,
		{ householdId: string; personId: string; head: RegisteredHousehold['members'][number] }
	>();
	const duplicates: DuplicatePair[] = [];

	const writers = {
		households: new FeedWriter(options.outDir, 'households'),
		members: new FeedWriter(options.outDir, 'members'),
		applications: new FeedWriter(options.outDir, 'applications'),
		enrolments: new FeedWriter(options.outDir, 'enrolments'),
		benefits: new FeedWriter(options.outDir, 'benefits'),
		appeals: new FeedWriter(options.outDir, 'appeals')
	};
	const factory = new MemberFactory(rng, asOf);
	const services = new ServiceSimulator(rng, asOf, PROGRAMMES, writers);
	const appeals = new AppealSimulator(
		rng,
		asOf,
		PROGRAMMES.map((p) => p.code),
		writers.appeals
	);
	let personCount = 0;
	let firstHousehold: RegisteredHousehold | null = null;

	for (let h = 0; h < n; h++) {
		const i = order[h] as number;
		const v = villageOf[i] as number;
		const registered = registeredOn[i] as number;
		const village = geo.villages[v];
		const commune = village ? geo.communes[village.commune] : undefined;
		const communeParams = village ? areas.communes[village.commune] : undefined;
		const districtParams = commune ? areas.districts[commune.district] : undefined;
		const office = village
			? rollout.offices[rollout.communeOffice[village.commune] ?? -1]
			: undefined;
		const backOffice = commune
			? rollout.offices[rollout.districtOffice[commune.district] ?? -1]
			: undefined;
		if (!village || !commune || !communeParams || !districtParams || !office) {
			throw new Error(`household ${h + 1}: village without a commune office`);
		}

		const poor = rng.chance(communeParams.idpoorShare);
		const idpoorLevel: 0 | 1 | 2 = poor ? (rng.chance(communeParams.level1Share) ? 1 : 2) : 0;

		const planted = plantedTargets.get(h);
		let forced: ForcedHead | undefined;
		if (planted) {
			const source = sourceHeads.get(planted.source);
			if (!source) throw new Error('planted duplicate: source household not yet generated');
			forced = {
				sex: source.head.sex,
				birth: source.head.birth,
				familyName: source.head.fullName.split(' ')[0] ?? '',
				...(planted.kind === 'national_id'
					? { nationalId: source.head.nationalId }
					: { fullName: source.head.fullName })
			};
		}
		const members = factory.household(registered, forced);
		const householdId = `H${pad(h + 1, 7)}`;
		const personIds = members.map(() => `P${pad(++personCount, 8)}`);
		const head = members[0];
		if (!head) throw new Error('household without members');
		if (plantedSources.has(h)) {
			// A national-id pair needs the source head to have an ID.
			if (head.nationalId === '') head.nationalId = factory.nextNationalId();
			sourceHeads.set(h, { householdId, personId: personIds[0] ?? '', head });
		}
		if (planted) {
			const source = sourceHeads.get(planted.source);
			if (source) {
				duplicates.push({
					kind: planted.kind,
					value:
						planted.kind === 'national_id'
							? head.nationalId
							: `${head.fullName}|${formatDay(head.birth)}|${head.sex}`,
					first: { household_id: source.householdId, person_id: source.personId },
					second: { household_id: householdId, person_id: personIds[0] ?? '' }
				});
			}
		}

		writers.households.add([
			householdId,
			village.code,
			formatDay(registered),
			idpoorLevel === 0 ? '' : String(idpoorLevel),
			office.code
		]);
		members.forEach((m, j) => {
			writers.members.add([
				personIds[j] ?? '',
				householdId,
				m.sex,
				formatDay(m.birth),
				m.fullName,
				m.nationalId,
				m.disability ? 'yes' : 'no',
				m.relationship
			]);
		});

		const household: RegisteredHousehold = {
			id: householdId,
			villageCode: village.code,
			registered,
			idpoorLevel,
			officeCode: office.code,
			officeClosed: office.closed,
			backOfficeCode: backOffice?.code ?? office.code,
			members,
			personIds,
			commune: communeParams,
			district: districtParams
		};
		firstHousehold ??= household;
		const history = services.simulate(household);
		appeals.simulate(household, history);

		if (h % 256 === 255) {
			for (const writer of Object.values(writers)) await writer.flushIfFull();
		}
	}

	const first = firstHousehold;
	if (!first) throw new Error('no household generated');
	const firstCommune = geo.villages.find((v) => v.code === first.villageCode)?.commune ?? -1;
	const otherVillage = geo.villages.find((v) => v.commune !== firstCommune);
	const goodRows = {
		households: writers.households.rows,
		members: writers.members.rows,
		applications: writers.applications.rows,
		enrolments: writers.enrolments.rows,
		benefits: writers.benefits.rows,
		appeals: writers.appeals.rows
	};
	const badRows = appendBadRows(writers as unknown as Record<Feed, FeedWriter>, {
		asOf,
		...goodRows,
		first: {
			householdId: first.id,
			villageCode: first.villageCode,
			communeCode: geo.communes[firstCommune]?.code ?? '',
			registered: first.registered,
			officeCode: first.officeCode,
			personId: first.personIds[0] ?? '',
			fullName: first.members[0]?.fullName ?? ''
		},
		otherVillageCode: otherVillage?.code ?? '',
		firstEnrolmentId: services.firstEnrolmentId
	});

	const log = options.log ?? (() => {});
	const rows = { ...goodRows };
	for (const [feed, writer] of Object.entries(writers)) {
		await writer.close();
		rows[feed as keyof typeof rows] = writer.rows;
		log(feedLine(writer, badRows.filter((b) => b.file === `${feed}.csv`).length));
	}
	return { rows, badRows, duplicates };
}

/** The progress line for a written feed: file, rows (good + bad) and size. */
function feedLine(writer: FeedWriter, bad: number): string {
	const rows = writer.rows.toLocaleString('en-US').padStart(10);
	const good = (writer.rows - bad).toLocaleString('en-US');
	const badText = bad > 0 ? ` (${good} good + ${bad} bad)` : '';
	const size = formatSize(statSync(writer.file).size);
	return `${path.basename(writer.file).padEnd(17)} ${rows} rows${badText}, ${size}`;
}

/** Human-readable file size. */
export function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
