/** SQL over the import's staging table (`import_stage`), shared by the import and its touch. */
import { sql } from 'drizzle-orm';
import type { FeedSpec } from './feeds';

/** A staged (text) column `name` of row `alias` cast to the target column's type. */
export function castColumn(feed: FeedSpec, name: string, alias = 's') {
	const column = feed.columns.find((c) => c.name === name);
	// Derived columns are computed in the stage as text.
	const type = column ? column.sqlType : 'text';
	return sql`${sql.raw(alias)}.${sql.identifier(name)}::${sql.raw(type)}`;
}
