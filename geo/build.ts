/**
 * `npm run geo [-- --geo DIR] [-- --out DIR] [-- --no-db]`: builds the map layers the web app
 * serves from the reference geodata (GEO_DIR, default ../shared/geo) into GEO_LAYERS_DIR
 * (default data/geo), then loads the gazetteer into the registry's geographic units through
 * the importer's `gazetteer` feed (DATABASE_URL, else the embedded PGlite database).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { geoLayersDir, geoSourceDir } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { importFile } from '../src/lib/server/ingest/import-file';
import { buildGeoLayers, GeoOutputError } from './pipeline';
import { GeoSourceError } from './read-sources';
import { formatBytes, formatReport } from './report';

const USAGE = `Usage: npm run geo -- [--geo DIR] [--out DIR]

  --geo DIR  reference geodata to read (default: GEO_DIR, else ../shared/geo)
  --out DIR  where to write the map layers (default: GEO_LAYERS_DIR, else data/geo)
  --no-db    only build the layers; do not load the gazetteer into the database`;

/** Loads gazetteer.csv into geo_units with the importer (an upsert: re-running changes nothing). */
async function loadGazetteer(sourceDir: string): Promise<void> {
	const database = await openDatabase();
	try {
		const summary = await importFile(database.db, path.join(sourceDir, 'gazetteer.csv'), {
			feed: 'gazetteer',
			importedBy: 'npm run geo'
		});
		console.log(
			`Gazetteer loaded into the ${database.kind} database: ${summary.read} villages read, ${summary.inserted} inserted, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected.`
		);
		for (const r of summary.rejections.slice(0, 10)) {
			console.log(`  gazetteer.csv row ${r.rowNumber}, column ${r.column}: ${r.error}`);
		}
	} finally {
		await database.close();
	}
}

async function main(): Promise<number> {
	let values;
	try {
		({ values } = parseArgs({
			options: {
				geo: { type: 'string' },
				out: { type: 'string' },
				help: { type: 'boolean', short: 'h' },
				'no-db': { type: 'boolean', default: false }
			}
		}));
	} catch (error) {
		console.error(`${(error as Error).message}\n\n${USAGE}`);
		return 1;
	}
	if (values.help) {
		console.log(USAGE);
		return 0;
	}
	const sourceDir = values.geo ? path.resolve(values.geo) : geoSourceDir();
	const outDir = values.out ? path.resolve(values.out) : geoLayersDir();

	const started = performance.now();
	try {
		const report = await buildGeoLayers({ sourceDir, outDir });
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		const largest = report.output.largest
			.map(({ file, bytes }) => `${file} ${formatBytes(bytes)}`)
			.join(', ');
		console.log(formatReport(report));
		const encoded = Object.entries(report.output.encoded)
			.map(([encoding, bytes]) => `${encoding} ${formatBytes(bytes)}`)
			.join(', ');
		console.log(
			`\nWrote ${report.output.files} files (${formatBytes(report.output.bytes)}; layers compressed: ${encoded}) and report.json to ${outDir} in ${seconds} s.`
		);
		console.log(`Largest per level: ${largest}.`);
		if (!values['no-db']) await loadGazetteer(sourceDir);
		return 0;
	} catch (error) {
		if (error instanceof GeoSourceError || error instanceof GeoOutputError) {
			const what =
				error instanceof GeoSourceError
					? `build the map layers from ${sourceDir}`
					: 'write the map layers';
			console.error(`npm run geo: cannot ${what}`);
			console.error(`  ${error.message}`);
			console.error(`Nothing was written; ${outDir} is unchanged.`);
			return 1;
		}
		throw error;
	}
}

process.exitCode = await main();
