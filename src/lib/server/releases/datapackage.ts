/**
 * `datapackage.json`: the Frictionless Data Package (v1, tabular profile) that describes a
 * release: its id and dates, the licence, the sources to attribute, the fingerprint of the
 * indicator definitions, and every dataset file with its size, SHA-256 and field schema.
 * Spec: https://specs.frictionlessdata.io/data-package/ and …/tabular-data-resource/.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CATALOGUE, type IndicatorDefinition } from '../../indicators/catalogue';
import {
	datasetFileName,
	RELEASE_COLUMNS,
	RELEASE_FORMATS,
	RELEASE_LEVELS,
	OFFICE_COLUMNS,
	OFFICES_FILE,
	UNIT_COLUMNS,
	UNITS_FILE,
	type ReleaseColumn,
	type ReleaseFormat,
	type ReleaseLevel,
	type ReleaseProgramme
} from '../../releases/schema';
import { CHANGELOG_FILE } from './store';

/**
 * The licence of the published indicators: CC BY 4.0, the licence of the reference boundaries
 * the maps use, so a dataset and a map made from it can be shared under one licence; reuse
 * only asks for attribution. Set here, not by configuration: a licence is a publishing
 * decision that should show in review.
 */
export const RELEASE_LICENSE = {
	name: 'CC-BY-4.0',
	title: 'Creative Commons Attribution 4.0 International',
	path: 'https://creativecommons.org/licenses/by/4.0/'
} as const;

/** Who to credit: the publisher, and the reference data the rows carry (names and codes). */
export const RELEASE_SOURCES: readonly { title: string; path?: string }[] = [
	{
		title:
			'Indicators: SSDM Monitoring Portal, computed from the SSDM single registry and programme data'
	},
	{
		title:
			'Names and codes: NCDD gazetteer via KhmerLang/RathanakSreang cambodia-gazetteer (MIT, Copyright (c) 2020 KhmerLang)',
		path: 'https://github.com/RathanakSreang/cambodia-gazetteer'
	},
	{
		title:
			'Boundaries (maps made with these datasets): geoBoundaries (Runfola et al. 2020, PLoS ONE 15(4):e0231866), CC BY 4.0, from Open Development Cambodia / National Institute of Statistics',
		path: 'https://www.geoboundaries.org/'
	}
];

/** The sentence to print under a chart or table made from a release. */
export function attributionLine(release: string): string {
	return `Source: SSDM Monitoring Portal, release ${release} (${RELEASE_LICENSE.name}). Names and codes: NCDD gazetteer via KhmerLang (MIT). Boundaries: geoBoundaries (CC BY 4.0).`;
}

/** How small cells are published (domain.md §6), for the descriptor's readers. */
export const DISCLOSURE_NOTE =
	'Small cells are suppressed (domain.md §6): a count below 5 or a rate whose denominator is below 20 is published with suppressed=true and empty numerator, denominator and value, never 0; further cells are suppressed so that none can be recovered by subtraction from a published total. A suppressed cell whose unit above is suppressed too is left out: a missing row is a suppressed cell.';

/** JSON with object keys sorted at every depth: the same definitions always hash the same. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** SHA-256 of the canonical JSON of the whole catalogue (what "the definitions" are). */
export function definitionsFingerprint(catalogue: readonly IndicatorDefinition[] = CATALOGUE) {
	return `sha256:${sha256(canonicalJson(catalogue))}`;
}

/** Each public indicator's own fingerprint, so a changelog can say which definitions changed. */
export function indicatorFingerprints(
	catalogue: readonly IndicatorDefinition[] = CATALOGUE
): Record<string, string> {
	return Object.fromEntries(
		catalogue.filter((i) => !i.internal).map((i) => [i.id, `sha256:${sha256(canonicalJson(i))}`])
	);
}

/** Size and SHA-256 of a written file, read back from disk. */
export async function describeFile(file: string): Promise<{ bytes: number; hash: string }> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
	return { bytes: (await stat(file)).size, hash: `sha256:${hash.digest('hex')}` };
}

/** Media types of the formats (also what the file route answers with). */
export const MEDIA_TYPES: Readonly<Record<ReleaseFormat | 'json-file', string>> = {
	csv: 'text/csv',
	json: 'application/json',
	parquet: 'application/vnd.apache.parquet',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'json-file': 'application/json'
};

/** A field of the Table Schema (types as RELEASE_COLUMNS gives them). */
interface TableSchemaField extends ReleaseColumn {
	constraints?: { required?: boolean; enum?: string[] };
}

/** Columns that are never empty (the others may be '' or null: missingValues ""). */
const REQUIRED = new Set([
	'indicator',
	'period',
	'period_kind',
	'level',
	'code',
	'name_en',
	'name_km',
	'suppressed'
]);

/** The Table Schema of every dataset, from the release contract's columns. */
export function tableSchema(): { fields: TableSchemaField[]; missingValues: string[] } {
	return {
		fields: RELEASE_COLUMNS.map((column) => {
			const field: TableSchemaField = { ...column };
			if (column.name === 'level')
				field.constraints = { required: true, enum: [...RELEASE_LEVELS] };
			else if (column.name === 'period_kind')
				field.constraints = { required: true, enum: ['month', 'quarter', 'year'] };
			else if (REQUIRED.has(column.name)) field.constraints = { required: true };
			return field;
		}),
		missingValues: ['']
	};
}

/** One dataset file as a Data Resource. */
export interface ReleaseResource {
	name: string;
	path: string;
	profile: 'tabular-data-resource';
	title: string;
	level: ReleaseLevel;
	format: ReleaseFormat;
	mediatype: string;
	encoding?: 'utf-8';
	bytes: number;
	hash: string;
	/** Rows of data (the header not counted). */
	rows: number;
	schema: ReturnType<typeof tableSchema>;
}

/** The whole descriptor as written to `datapackage.json`. */
export interface ReleaseDataPackage {
	profile: 'tabular-data-package';
	name: string;
	id: string;
	title: string;
	description: string;
	version: string;
	created: string;
	/** The date the figures are as of (`YYYY-MM-DD`). */
	asOf: string;
	licenses: (typeof RELEASE_LICENSE)[];
	sources: { title: string; path?: string }[];
	attribution: string;
	disclosure: string;
	definitionsFingerprint: string;
	indicatorFingerprints: Record<string, string>;
	indicators: string[];
	periods: string[];
	/** The programmes the rows name, with the unit they enrol (persons or households). */
	programmes: ReleaseProgramme[];
	/** The release this one is compared with in the changelog. */
	previous: string | null;
	changelog: string;
	resources: (ReleaseResource | ReferenceResource)[];
}

/** A reference file (`units.csv`, `offices.csv`) as a Data Resource. */
export interface ReferenceResource {
	name: 'units' | 'offices';
	path: string;
	profile: 'tabular-data-resource';
	title: string;
	format: 'csv';
	mediatype: string;
	encoding: 'utf-8';
	bytes: number;
	hash: string;
	rows: number;
	schema: { fields: TableSchemaField[]; missingValues: string[]; primaryKey?: string[] };
}

/** What the descriptor is built from. */
export interface DataPackageInput {
	id: string;
	asOf: string;
	created: Date;
	periods: string[];
	indicators: string[];
	programmes: ReleaseProgramme[];
	previous: string | null;
	/** Data rows per level. */
	rows: Record<ReleaseLevel, number>;
	/** Rows of `units.csv` and `offices.csv`. */
	units: number;
	offices: number;
	/** The release's temporary directory, where the files are read back. */
	dir: string;
}

/** Builds `datapackage.json` for files written in `input.dir`. */
export async function buildDataPackage(input: DataPackageInput): Promise<ReleaseDataPackage> {
	const resources: (ReleaseResource | ReferenceResource)[] = [];
	const schema = tableSchema();
	for (const level of RELEASE_LEVELS) {
		for (const format of RELEASE_FORMATS) {
			const file = datasetFileName(level, format);
			const { bytes, hash } = await describeFile(path.join(input.dir, file));
			resources.push({
				name: `${level}-${format}`,
				path: file,
				profile: 'tabular-data-resource',
				title: `Public indicators by ${level} (${format.toUpperCase()})`,
				level,
				format,
				mediatype: MEDIA_TYPES[format],
				...(format === 'csv' || format === 'json' ? { encoding: 'utf-8' as const } : {}),
				bytes,
				hash,
				rows: input.rows[level],
				schema
			});
		}
	}
	const reference = async (
		name: ReferenceResource['name'],
		file: string,
		title: string,
		columns: readonly ReleaseColumn[],
		rows: number,
		required: readonly string[],
		primaryKey?: string[]
	): Promise<ReferenceResource> => ({
		name,
		path: file,
		profile: 'tabular-data-resource',
		title,
		format: 'csv',
		mediatype: MEDIA_TYPES.csv,
		encoding: 'utf-8',
		...(await describeFile(path.join(input.dir, file))),
		rows,
		schema: {
			fields: columns.map((column) =>
				required.includes(column.name)
					? { ...column, constraints: { required: true } }
					: { ...column }
			),
			missingValues: [''],
			...(primaryKey ? { primaryKey } : {})
		}
	});
	resources.push(
		await reference(
			'units',
			UNITS_FILE,
			'Units: codes, names, parents and first SSDM office of every published unit',
			UNIT_COLUMNS,
			input.units,
			['level', 'code', 'name_en', 'name_km'],
			['code']
		),
		await reference(
			'offices',
			OFFICES_FILE,
			'SSDM offices: level, unit served, opening and closing dates',
			OFFICE_COLUMNS,
			input.offices,
			['level', 'geo_code', 'opened_on']
		)
	);
	return {
		profile: 'tabular-data-package',
		name: 'ssdm-public-indicators',
		id: input.id,
		title: `SSDM public indicators, release ${input.id}`,
		description:
			"Cambodia's Social Service Delivery Mechanism (SSDM): every public indicator for the nation, provinces, districts and communes, every computed period (months, quarters, years), programme and population group. One dataset per level in CSV, JSON, Parquet and XLSX; one row per unit, indicator, period, programme and group.",
		version: input.id,
		created: input.created.toISOString(),
		asOf: input.asOf,
		licenses: [RELEASE_LICENSE],
		sources: RELEASE_SOURCES.map((s) => ({ ...s })),
		attribution: attributionLine(input.id),
		disclosure: DISCLOSURE_NOTE,
		definitionsFingerprint: definitionsFingerprint(),
		indicatorFingerprints: indicatorFingerprints(),
		indicators: input.indicators,
		periods: input.periods,
		programmes: input.programmes,
		previous: input.previous,
		changelog: CHANGELOG_FILE,
		resources
	};
}
