/** Programmes as pages and the API list them (names and unit; targets stay on the server). */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';

/** A programme as listed to any visitor: its code, names and whether it counts persons. */
export interface ProgrammeSummary {
	code: string;
	name_en: string;
	name_km: string;
	unit: 'household' | 'person';
}

/** Every programme, by code. A programme without a Khmer name lists its English one. */
export async function listProgrammes(db: Db): Promise<ProgrammeSummary[]> {
	return queryRows<ProgrammeSummary>(
		db,
		sql`SELECT programme_code AS code, name_en, coalesce(name_km, name_en) AS name_km, unit
			FROM programmes ORDER BY programme_code`
	);
}
