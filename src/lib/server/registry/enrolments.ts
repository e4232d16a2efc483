/**
 * Registry enrolments: each keeps its household's village (`enrolments.village_code`), which
 * the importer copies from the household when it writes an enrolment (`copied` in `feeds.ts`)
 * and moves here when a households import moves the household.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db';

/**
 * Call before upserting households from `import_stage`, with the households table locked
 * against other writers: the returned function, called after the upsert, gives the enrolments
 * of the households that moved to another village that village.
 */
export async function prepareHouseholdMoves(tx: Tx): Promise<() => Promise<void>> {
	await tx.execute(sql`CREATE TEMP TABLE households_moved ON COMMIT DROP AS
		SELECT t.household_id, s.village_code::text AS village_code
		FROM import_stage s JOIN households t ON t.household_id = s.household_id::text
		WHERE s.error IS NULL AND t.village_code <> s.village_code::text`);
	return async () => {
		await tx.execute(sql`UPDATE enrolments e SET village_code = h.village_code
			FROM households_moved h WHERE e.household_id = h.household_id`);
	};
}
