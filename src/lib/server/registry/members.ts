/**
 * Registry members: possible-duplicate detection (`shared/domain.md` §3). Two persons in
 * different households are possible duplicates when they share a national ID, or the same
 * normalised full name, birth date and sex. They are flagged and listed, never merged.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../db';

/** The columns duplicate detection reads from the members an import wrote. */
const TOUCHED_COLUMNS = [
	'person_id',
	'household_id',
	'national_id',
	'name_key',
	'birth_date',
	'sex'
] as const;

/** How an import of members keeps the possible-duplicate flags right. */
export interface DuplicateDetection {
	/** Where the upsert must record the members it writes, if anywhere. */
	tracking?: { table: string; columns: readonly string[] };
	/** Re-flags after the upsert, in the same transaction; returns how many flags changed. */
	flag(): Promise<number>;
}

/**
 * Call before upserting members from `import_stage`, with the members table locked against
 * other writers. Into an empty registry (a first load) every member is new and unflagged, so
 * the keys shared across households are found in one pass over the table. Otherwise the keys
 * the upserted members have now are remembered, so that the persons they stop matching are
 * re-examined too, and the upsert records what it writes.
 */
export async function prepareDuplicateDetection(tx: Tx): Promise<DuplicateDetection> {
	const [registry] = await queryRows<{ empty: boolean }>(
		tx,
		sql`SELECT NOT EXISTS (SELECT 1 FROM members) AS empty`
	);
	if (registry!.empty) {
		return {
			flag: async () => {
				// The members are now exactly the stage's good rows (their ids are unique in it):
				// grouped there, a temporary table, rather than in the freshly written table.
				await tx.execute(sql`CREATE TEMP TABLE shared_keys ON COMMIT DROP AS
					SELECT national_id, NULL::text AS name_key, NULL::date AS birth_date, NULL::text AS sex
					FROM import_stage WHERE error IS NULL AND national_id IS NOT NULL
					GROUP BY national_id HAVING min(household_id) <> max(household_id)
					UNION ALL
					SELECT NULL, name_key, birth_date::date, sex FROM import_stage
					WHERE error IS NULL AND name_key IS NOT NULL
					GROUP BY name_key, birth_date::date, sex HAVING min(household_id) <> max(household_id)`);
				return setSharedFlags(tx);
			}
		};
	}
	await tx.execute(sql`CREATE TEMP TABLE duplicate_keys_before ON COMMIT DROP AS
		SELECT m.person_id, m.national_id, m.name_key, m.birth_date, m.sex FROM members m
		WHERE m.person_id IN (SELECT person_id FROM import_stage WHERE error IS NULL)`);
	await tx.execute(sql`CREATE TEMP TABLE members_touched ON COMMIT DROP AS
		SELECT ${sql.join(
			TOUCHED_COLUMNS.map((c) => sql.identifier(c)),
			sql`, `
		)} FROM members WITH NO DATA`);
	return {
		tracking: { table: 'members_touched', columns: TOUCHED_COLUMNS },
		flag: () => flagTouched(tx)
	};
}

/**
 * The households of the members whose flag an import changed, for what the import touches
 * (see `householdsTouch`): a flag may change in any village.
 */
export const FLAGS_CHANGED = 'duplicate_flags_changed';

/**
 * Runs `update` (an UPDATE of members `m` returning `m.household_id`), records the returned
 * households in `FLAGS_CHANGED`, and returns how many members it changed.
 */
async function recordFlagChanges(tx: Tx, update: SQL): Promise<number> {
	await tx.execute(sql`CREATE TEMP TABLE IF NOT EXISTS ${sql.identifier(FLAGS_CHANGED)}
		(household_id text NOT NULL) ON COMMIT DROP`);
	const [changed] = await queryRows<{ n: number }>(
		tx,
		sql`WITH f AS (${update}),
			i AS (INSERT INTO ${sql.identifier(FLAGS_CHANGED)} SELECT household_id FROM f)
			SELECT count(*)::int AS n FROM f`
	);
	return changed!.n;
}

/** Flags the unflagged holders of `shared_keys`; returns how many. */
async function setSharedFlags(tx: Tx): Promise<number> {
	await tx.execute(sql`ANALYZE shared_keys`);
	const flaggedById = await recordFlagChanges(
		tx,
		sql`UPDATE members m SET possible_duplicate = TRUE FROM shared_keys k
			WHERE NOT m.possible_duplicate AND m.national_id = k.national_id
			RETURNING m.household_id`
	);
	const flaggedByName = await recordFlagChanges(
		tx,
		sql`UPDATE members m SET possible_duplicate = TRUE FROM shared_keys k
			WHERE NOT m.possible_duplicate AND m.name_key = k.name_key
				AND m.birth_date = k.birth_date AND m.sex = k.sex
			RETURNING m.household_id`
	);
	return flaggedById + flaggedByName;
}

/**
 * Re-flags every member sharing a key with the members the import inserted or changed
 * (their keys before and after); returns how many flags changed. Rows the import left as
 * they were change no key, so they need no second look.
 */
async function flagTouched(tx: Tx): Promise<number> {
	await tx.execute(sql`CREATE TEMP TABLE duplicate_keys ON COMMIT DROP AS
		SELECT national_id, name_key, birth_date, sex FROM members_touched
		UNION ALL
		SELECT b.national_id, b.name_key, b.birth_date, b.sex
		FROM duplicate_keys_before b JOIN members_touched t ON t.person_id = b.person_id`);
	await tx.execute(sql`ANALYZE duplicate_keys`);
	// Set-based, in two steps: the keys now shared across two or more households flag every
	// holder (each has a partner in another household); then the flagged holders of the
	// touched keys that no longer share one are cleared. Only shared keys and already-flagged
	// persons are visited, so a file of a million new, distinct persons stays cheap; a
	// per-person EXISTS over an OR of two keys cannot use the indexes and takes hours.
	// "Two or more households" as min <> max: count(DISTINCT …) would sort every group.
	await tx.execute(sql`CREATE TEMP TABLE shared_keys ON COMMIT DROP AS
		SELECT m.national_id, NULL::text AS name_key, NULL::date AS birth_date, NULL::text AS sex
		FROM members m
		WHERE m.national_id IN (SELECT national_id FROM duplicate_keys WHERE national_id IS NOT NULL)
		GROUP BY m.national_id HAVING min(m.household_id) <> max(m.household_id)
		UNION ALL
		SELECT NULL, m.name_key, m.birth_date, m.sex FROM members m
		WHERE (m.name_key, m.birth_date, m.sex) IN
			(SELECT name_key, birth_date, sex FROM duplicate_keys WHERE name_key IS NOT NULL)
		GROUP BY m.name_key, m.birth_date, m.sex HAVING min(m.household_id) <> max(m.household_id)`);
	const flagged = await setSharedFlags(tx);
	// A flagged holder of a touched key stays flagged while either of its keys is still
	// shared with another household (the other key may not have been touched at all).
	const cleared = await recordFlagChanges(
		tx,
		sql`UPDATE members m SET possible_duplicate = FALSE
			WHERE m.possible_duplicate
				AND (m.national_id IN (SELECT national_id FROM duplicate_keys)
					OR (m.name_key, m.birth_date, m.sex) IN (SELECT name_key, birth_date, sex FROM duplicate_keys)
					OR m.person_id IN (SELECT person_id FROM members_touched))
				AND NOT EXISTS (SELECT 1 FROM members o
					WHERE o.national_id = m.national_id AND o.household_id <> m.household_id)
				AND NOT EXISTS (SELECT 1 FROM members o
					WHERE o.name_key = m.name_key AND o.birth_date = m.birth_date AND o.sex = m.sex
						AND o.household_id <> m.household_id)
			RETURNING m.household_id`
	);
	return flagged + cleared;
}

/** A pair of possible duplicates, without names or ID numbers (they stay on the server). */
export interface DuplicatePair {
	reason: 'national_id' | 'name_birth_sex';
	first: { person_id: string; household_id: string; village_code: string };
	second: { person_id: string; household_id: string; village_code: string };
}

/** Lists the pairs behind the flags, optionally inside one province. */
export async function listPossibleDuplicatePairs(
	db: Db,
	provinceCode?: string
): Promise<DuplicatePair[]> {
	const rows = await queryRows<{
		reason: DuplicatePair['reason'];
		a_person: string;
		a_household: string;
		a_village: string;
		b_person: string;
		b_household: string;
		b_village: string;
	}>(
		db,
		sql`SELECT CASE WHEN a.national_id = b.national_id THEN 'national_id' ELSE 'name_birth_sex' END AS reason,
				a.person_id AS a_person, a.household_id AS a_household, ha.village_code AS a_village,
				b.person_id AS b_person, b.household_id AS b_household, hb.village_code AS b_village
			FROM members a
			JOIN members b ON a.person_id < b.person_id AND a.household_id <> b.household_id
				AND (a.national_id = b.national_id
					OR (a.name_key = b.name_key AND a.birth_date = b.birth_date AND a.sex = b.sex))
			JOIN households ha ON ha.household_id = a.household_id
			JOIN households hb ON hb.household_id = b.household_id
			WHERE a.possible_duplicate AND b.possible_duplicate
				${provinceCode ? sql`AND (left(ha.village_code, 2) = ${provinceCode} OR left(hb.village_code, 2) = ${provinceCode})` : sql``}
			ORDER BY a.person_id, b.person_id`
	);
	return rows.map((r) => ({
		reason: r.reason,
		first: { person_id: r.a_person, household_id: r.a_household, village_code: r.a_village },
		second: { person_id: r.b_person, household_id: r.b_household, village_code: r.b_village }
	}));
}
