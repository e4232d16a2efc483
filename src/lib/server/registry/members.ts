/**
 * Registry members: possible-duplicate detection (`shared/domain.md` §3). Two persons in
 * different households are possible duplicates when they share a national ID, or the same
 * normalised full name, birth date and sex. They are flagged and listed, never merged.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Remembers the duplicate keys of the members about to be upserted from `import_stage`, so
 * that the persons they stop matching are re-examined too. Call before the upsert.
 */
export async function rememberDuplicateKeys(tx: Tx): Promise<void> {
	await tx.execute(sql`CREATE TEMP TABLE duplicate_keys ON COMMIT DROP AS
		SELECT m.national_id, m.name_key, m.birth_date, m.sex FROM members m
		WHERE m.person_id IN (SELECT person_id FROM import_stage WHERE error IS NULL)`);
}

/**
 * Re-flags every member sharing a key with the imported rows (before or after the upsert);
 * returns how many flags changed. Call after the upsert, in the same transaction.
 */
export async function flagPossibleDuplicates(tx: Tx): Promise<number> {
	await tx.execute(sql`INSERT INTO duplicate_keys
		SELECT m.national_id, m.name_key, m.birth_date, m.sex FROM members m
		WHERE m.person_id IN (SELECT person_id FROM import_stage WHERE error IS NULL)`);
	// Set-based: a key shared across two or more households makes every holder a possible
	// duplicate (each has a partner in another household). Per-person EXISTS probes over an OR
	// of two keys cannot use the indexes and take hours on a national file.
	const changed = await queryRows<{ person_id: string }>(
		tx,
		sql`WITH affected AS (
				SELECT m.person_id, m.national_id, m.name_key, m.birth_date, m.sex FROM members m
				WHERE m.national_id IN (SELECT national_id FROM duplicate_keys WHERE national_id IS NOT NULL)
				UNION
				SELECT m.person_id, m.national_id, m.name_key, m.birth_date, m.sex FROM members m
				JOIN (SELECT DISTINCT name_key, birth_date, sex FROM duplicate_keys WHERE name_key IS NOT NULL) k
					ON k.name_key = m.name_key AND k.birth_date = m.birth_date AND k.sex = m.sex
				UNION
				-- the imported persons themselves, whose keys may now be empty
				SELECT m.person_id, m.national_id, m.name_key, m.birth_date, m.sex FROM members m
				WHERE m.person_id IN (SELECT person_id FROM import_stage WHERE error IS NULL)
			), shared_ids AS (
				SELECT national_id FROM members
				WHERE national_id IN (SELECT national_id FROM affected)
				GROUP BY national_id HAVING count(DISTINCT household_id) > 1
			), shared_names AS (
				SELECT name_key, birth_date, sex FROM members
				WHERE (name_key, birth_date, sex) IN (SELECT name_key, birth_date, sex FROM affected)
				GROUP BY name_key, birth_date, sex HAVING count(DISTINCT household_id) > 1
			), flags AS (
				SELECT a.person_id,
					(a.national_id IN (SELECT national_id FROM shared_ids)
						OR (a.name_key, a.birth_date, a.sex) IN (SELECT * FROM shared_names)) IS TRUE AS duplicate
				FROM affected a
			)
			UPDATE members m SET possible_duplicate = f.duplicate FROM flags f
			WHERE m.person_id = f.person_id AND m.possible_duplicate IS DISTINCT FROM f.duplicate
			RETURNING m.person_id`
	);
	return changed.length;
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
