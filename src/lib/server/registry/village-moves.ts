/**
 * A household's village kept with its members, applications, enrolments and benefits
 * (`village_code` of each, which puts a commune's rows together in an index for the
 * incremental refresh). The importer copies it when it writes a member, an application or an
 * enrolment (from the household) or a benefit (from the enrolment) (`copied` in `feeds.ts`),
 * and moves it here when a households import moves a household, or an enrolments import moves
 * an enrolment to a household elsewhere.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Tx } from '../db';
import type { FeedName } from '../ingest/feeds';

/** What a feed's import can move, and the rows that follow. */
interface Moves {
	/**
	 * From `import_stage` and the stored rows before the upsert, a temporary table
	 * `village_moves` of the moved rows' keys with their old village (`moved_from`) and new
	 * (`village_code`).
	 */
	moved: SQL;
	/** The tables whose rows follow the moved ones. */
	followers: SQL;
	/**
	 * Their updates, each row found by its old village and key (the leading columns of its
	 * village index, or the enrolments' index by household).
	 */
	following: SQL[];
}

const MOVES: Partial<Record<FeedName, Moves>> = {
	households: {
		moved: sql`CREATE TEMP TABLE village_moves ON COMMIT DROP AS
			SELECT t.household_id, t.village_code AS moved_from, s.village_code::text AS village_code
			FROM import_stage s JOIN households t ON t.household_id = s.household_id::text
			WHERE s.error IS NULL AND t.village_code <> s.village_code::text`,
		followers: sql`members, applications, enrolments, benefits`,
		following: [
			sql`UPDATE members m SET village_code = v.village_code FROM village_moves v
				WHERE m.village_code = v.moved_from AND m.household_id = v.household_id`,
			sql`UPDATE applications a SET village_code = v.village_code FROM village_moves v
				WHERE a.village_code = v.moved_from AND a.household_id = v.household_id`,
			sql`UPDATE benefits b SET village_code = v.village_code
				FROM village_moves v JOIN enrolments e ON e.household_id = v.household_id
				WHERE b.village_code = v.moved_from AND b.enrolment_id = e.enrolment_id`,
			sql`UPDATE enrolments e SET village_code = v.village_code
				FROM village_moves v WHERE e.household_id = v.household_id`
		]
	},
	enrolments: {
		moved: sql`CREATE TEMP TABLE village_moves ON COMMIT DROP AS
			SELECT t.enrolment_id, t.village_code AS moved_from, h.village_code
			FROM import_stage s JOIN enrolments t ON t.enrolment_id = s.enrolment_id::text
			JOIN households h ON h.household_id = s.household_id::text
			WHERE s.error IS NULL AND t.village_code <> h.village_code`,
		followers: sql`benefits`,
		following: [
			sql`UPDATE benefits b SET village_code = v.village_code FROM village_moves v
				WHERE b.village_code = v.moved_from AND b.enrolment_id = v.enrolment_id`
		]
	}
};

/**
 * Call before upserting `feed`'s rows from `import_stage`, with its table locked against other
 * writers: the returned function, called after the upsert, gives the rows following the moved
 * ones (a household's members, applications, enrolments and benefits; an enrolment's benefits)
 * their new village. Undefined for a file that moves nothing.
 */
export async function prepareVillageMoves(
	tx: Tx,
	feed: FeedName
): Promise<(() => Promise<void>) | undefined> {
	const moves = MOVES[feed];
	if (!moves) return undefined;
	await tx.execute(moves.moved);
	const [moved] = await queryRows<{ any: boolean }>(
		tx,
		sql`SELECT EXISTS (SELECT 1 FROM village_moves) AS any`
	);
	if (!moved!.any) return undefined;
	// The imports writing the following tables copy the village of the rows they follow as they
	// read them: one running now has read the old villages, so this waits for it to commit (its
	// rows are then moved below), and one starting now waits for this import to commit (it
	// reads the new).
	await tx.execute(sql`LOCK TABLE ${moves.followers} IN SHARE ROW EXCLUSIVE MODE`);
	return async () => {
		for (const statement of moves.following) await tx.execute(statement);
	};
}
