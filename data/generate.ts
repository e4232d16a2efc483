/**
 * `npm run demo:data -- --households N --seed S [--as-of YYYY-MM-DD] [--out DIR] [--geo DIR]`
 *
 * Writes the demo import files (one CSV per feed of domain.md §3, plus manifest.json) for a
 * simulated SSDM registry. Same options, same bytes. Exit code 0 on success, 1 when the run
 * fails (e.g. a missing or malformed geo file, named in the message), 2 on bad options.
 */
import { parseArgs } from 'node:util';
import { demoDataDir, geoSourceDir } from '../src/lib/server/config';
import { todayIso } from './generator/dates';
import { checkOptions, generateDemoData, type GenerateOptions } from './generator/generate';
import { GeoDataError } from './generator/geo';

const USAGE = `Usage: npm run demo:data -- [options]

  --households N     registered households to generate (default 50000)
  --seed S           random seed; same seed, same files (default 1)
  --as-of YYYY-MM-DD the simulation's current date; nothing is dated after it (default today)
  --out DIR          output folder (default DEMO_DATA_DIR or data/demo)
  --geo DIR          reference geodata folder (default GEO_DIR or ../shared/geo)
  --help             show this help`;

class UsageError extends Error {}

function readOptions(argv: string[]): GenerateOptions | null {
	let values;
	try {
		({ values } = parseArgs({
			args: argv,
			options: {
				households: { type: 'string', default: '50000' },
				seed: { type: 'string', default: '1' },
				'as-of': { type: 'string' },
				out: { type: 'string' },
				geo: { type: 'string' },
				help: { type: 'boolean', default: false }
			},
			strict: true,
			allowPositionals: false
		}));
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	if (values.help) return null;
	if (!/^\d+$/.test(values.households)) {
		throw new UsageError(`--households must be a whole number, got "${values.households}"`);
	}
	const options: GenerateOptions = {
		households: Number(values.households),
		seed: values.seed,
		asOf: values['as-of'] ?? todayIso(),
		outDir: values.out ?? demoDataDir(),
		geoDir: values.geo ?? geoSourceDir(),
		log: (line) => console.log(`  ${line}`)
	};
	try {
		checkOptions(options);
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	return options;
}

async function main(): Promise<number> {
	let options: GenerateOptions | null;
	try {
		options = readOptions(process.argv.slice(2));
	} catch (error) {
		console.error(`demo:data: ${(error as Error).message}\n\n${USAGE}`);
		return 2;
	}
	if (!options) {
		console.log(USAGE);
		return 0;
	}
	const started = performance.now();
	console.log(
		`demo:data: ${options.households.toLocaleString('en-US')} households, seed ${options.seed}, as of ${options.asOf}`
	);
	console.log(`  geo ${options.geoDir}\n  out ${options.outDir}`);
	try {
		const manifest = await generateDemoData(options);
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		console.log(
			`  manifest.json: scale ${manifest.scale.toPrecision(4)}, ${manifest.badRows.length} bad rows, ${manifest.possibleDuplicates.length} possible-duplicate pairs`
		);
		console.log(`demo:data: done in ${seconds} s`);
		return 0;
	} catch (error) {
		// A bad geo directory is the expected failure: one line naming the file is enough.
		if (error instanceof GeoDataError) console.error(`demo:data: ${error.message}`);
		else console.error('demo:data: failed:', error);
		return 1;
	}
}

process.exitCode = await main();
