/**
 * SQL for the browser's DuckDB as a tagged template (`sql\`… WHERE period = ${period}\``): values
 * become `?` parameters of a prepared statement, never text; only names the code controls can be
 * inlined, wrapped in `identifier()`. Pure, so it is unit-tested without DuckDB.
 */

/** A value a parameter can take. */
export type SqlValue = string | number | boolean | null;

/** A statement and its positional (`?`) parameters, in order. */
export interface SqlStatement {
	sql: string;
	params: readonly SqlValue[];
}

/** A table or column name to inline into a statement, double-quoted. */
export class Identifier {
	constructor(readonly name: string) {}

	toSql(): string {
		return `"${this.name.replaceAll('"', '""')}"`;
	}
}

/** Marks a name (a registered dataset, a column) as an identifier for `sql`. */
export function identifier(name: string): Identifier {
	return new Identifier(name);
}

/** A statement whose `${values}` are parameters (or quoted identifiers). */
export function sql(
	strings: TemplateStringsArray,
	...values: readonly (SqlValue | Identifier)[]
): SqlStatement {
	const params: SqlValue[] = [];
	let text = strings[0]!;
	values.forEach((value, index) => {
		if (value instanceof Identifier) {
			text += value.toSql();
		} else {
			params.push(value);
			text += '?';
		}
		text += strings[index + 1]!;
	});
	return { sql: text, params };
}
