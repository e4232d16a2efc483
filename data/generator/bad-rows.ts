/**
 * The deliberately bad rows appended at the end of the registry feeds, one fault each, so the
 * importer's row-level rejections (domain.md §3) can be seen and tested. They come after the
 * good rows, which keeps good-row counts and numbering exact.
 */
import { formatDay } from './dates';
import type { Feed, FeedWriter } from './feeds';
import { pad } from './services';

/** One bad row, as listed in manifest.json. */
export interface BadRow {
	/** File name, e.g. `households.csv`. */
	file: string;
	/** 1-based data row (the header not counted). */
	row: number;
	/** The row's id value (may repeat a good row's id: the duplicate). */
	id: string;
	/** The column at fault. */
	column: string;
	reason: string;
}

/** What the bad rows refer to: the first good household and a few counts. */
export interface BadRowContext {
	asOf: number;
	households: number;
	members: number;
	applications: number;
	enrolments: number;
	benefits: number;
	appeals: number;
	first: {
		householdId: string;
		villageCode: string;
		communeCode: string;
		registered: number;
		officeCode: string;
		personId: string;
		fullName: string;
	};
	/** A real village of another commune than the first household's. */
	otherVillageCode: string;
	/** An existing enrolment, or null when there is none. */
	firstEnrolmentId: string | null;
}

/** Appends the bad rows to the writers and returns their manifest entries. */
export function appendBadRows(writers: Record<Feed, FeedWriter>, ctx: BadRowContext): BadRow[] {
	const bad: BadRow[] = [];
	const add = (feed: Feed, row: string[], column: string, reason: string) => {
		writers[feed].add(row);
		bad.push({ file: `${feed}.csv`, row: writers[feed].rows, id: row[0] ?? '', column, reason });
	};
	const { first } = ctx;
	const asOfYear = Number(formatDay(ctx.asOf).slice(0, 4));
	const registered = formatDay(first.registered);
	const applied = formatDay(Math.min(first.registered + 10, ctx.asOf));
	const household = (k: number) => `H${pad(ctx.households + k, 7)}`;
	const person = (k: number) => `P${pad(ctx.members + k, 8)}`;

	add(
		'households',
		[household(1), '99999999', registered, '', first.officeCode],
		'village_code',
		'unknown village code 99999999'
	);
	add(
		'households',
		[household(2), first.villageCode, '2023-02-30', '', first.officeCode],
		'registered_on',
		'not a real date: 2023-02-30'
	);
	add(
		'households',
		[household(3), first.communeCode, registered, '', first.officeCode],
		'village_code',
		`code at the wrong level: ${first.communeCode} is a commune, not a village`
	);
	add(
		'households',
		[household(4), first.villageCode, registered, '3', first.officeCode],
		'idpoor_level',
		'bad enum value 3 (1, 2 or empty)'
	);
	add(
		'households',
		[first.householdId, first.villageCode, registered, '1', first.officeCode],
		'household_id',
		`duplicate id ${first.householdId} within the file (data row 1 has it; this copy differs in idpoor_level)`
	);

	add(
		'members',
		[person(1), first.householdId, 'X', '1990-05-12', 'Sok Bopha', '', 'no', 'other'],
		'sex',
		'bad enum value X (F or M)'
	);
	add(
		'members',
		[person(2), 'H9999999', 'F', '1985-07-03', 'Chan Sreymom', '', 'no', 'head'],
		'household_id',
		'household H9999999 does not exist'
	);
	const future = `${asOfYear + 40}-01-15`;
	add(
		'members',
		[person(3), first.householdId, 'M', future, 'Keo Dara', '', 'no', 'child'],
		'birth_date',
		`date in the future: ${future}`
	);
	add(
		'members',
		[person(4), first.householdId, 'F', '1890-03-15', 'Meas Kolab', '', 'no', 'parent'],
		'birth_date',
		'age over 120: born 1890-03-15'
	);
	add(
		'members',
		[first.personId, first.householdId, 'M', '1970-01-20', 'Heng Vuthy', '', 'no', 'other'],
		'person_id',
		`duplicate id ${first.personId} within the file (data row 1 has it; this copy differs)`
	);

	const application = (k: number) => `A${pad(ctx.applications + k, 8)}`;
	const decidedBefore = formatDay(Math.min(first.registered + 10, ctx.asOf) - 3);
	add(
		'applications',
		[
			application(1),
			'HEF',
			first.householdId,
			'',
			first.officeCode,
			applied,
			'approved',
			decidedBefore
		],
		'decided_on',
		`decided_on ${decidedBefore} before applied_on ${applied}`
	);
	add(
		'applications',
		[
			application(2),
			'SCH',
			first.householdId,
			'P99999999',
			first.officeCode,
			applied,
			'pending',
			''
		],
		'person_id',
		'person P99999999 does not exist'
	);
	add(
		'applications',
		[application(3), 'HEF', first.householdId, '', first.officeCode, applied, 'accepted', applied],
		'status',
		'bad enum value accepted (pending, approved, rejected, withdrawn)'
	);

	const enrolment = (k: number) => `E${pad(ctx.enrolments + k, 8)}`;
	add(
		'enrolments',
		[enrolment(1), 'XYZ', first.householdId, '', applied, ''],
		'programme_code',
		'programme XYZ does not exist'
	);
	add(
		'enrolments',
		[enrolment(2), 'HEF', first.householdId, '', '15/03/2024', ''],
		'enrolled_on',
		'not a YYYY-MM-DD date: 15/03/2024'
	);

	const benefit = (k: number) => `B${pad(ctx.benefits + k, 9)}`;
	const period = formatDay(ctx.asOf).slice(0, 7);
	add(
		'benefits',
		[benefit(1), 'E99999999', period, formatDay(ctx.asOf), '40000', 'cash'],
		'enrolment_id',
		'enrolment E99999999 does not exist'
	);
	if (ctx.firstEnrolmentId) {
		add(
			'benefits',
			[benefit(2), ctx.firstEnrolmentId, '2024-13', formatDay(ctx.asOf), '40000', 'cash'],
			'period',
			'not a real month: 2024-13'
		);
	}

	const appeal = (k: number) => `G${pad(ctx.appeals + k, 8)}`;
	const lodged = formatDay(Math.min(first.registered + 20, ctx.asOf));
	const resolvedBefore = formatDay(Math.min(first.registered + 20, ctx.asOf) - 2);
	add(
		'appeals',
		[
			appeal(1),
			first.householdId,
			'HEF',
			first.villageCode,
			lodged,
			'commune_office',
			'exclusion',
			'resolved',
			resolvedBefore
		],
		'resolved_on',
		`resolved_on ${resolvedBefore} before lodged_on ${lodged}`
	);
	add(
		'appeals',
		[
			appeal(2),
			first.householdId,
			'',
			ctx.otherVillageCode,
			lodged,
			'hotline',
			'other',
			'open',
			''
		],
		'village_code',
		`household ${first.householdId} lives in village ${first.villageCode}, not ${ctx.otherVillageCode}`
	);
	add(
		'appeals',
		[appeal(3), first.householdId, '', first.villageCode, lodged, 'facebook', 'other', 'open', ''],
		'channel',
		'bad enum value facebook (village_chief, commune_office, hotline, other)'
	);
	return bad;
}
