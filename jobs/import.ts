/**
 * `npm run import -- <file|directory> [--dry-run] [--json]`: loads import-contract CSVs into
 * the registry (DATABASE_URL, else the embedded PGlite database) and prints a summary per file.
 * Then refreshes the indicators of the communes and periods the files touched (once a full
 * refresh has computed them). Exit code 1 when a file could not be imported at all; rejected
 * rows alone are not a failure.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/lib/server/db';
import { indicatorsTouched } from '../src/lib/i18n/imports';
import { refreshAfterImport } from '../src/lib/server/indicators/refresh';
import { importPath, type FileOutcome } from '../src/lib/server/ingest/import-directory';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		'dry-run': { type: 'boolean', default: false },
		json: { type: 'boolean', default: false }
	}
});

const target = positionals[0];
if (!target || positionals.length > 1) {
	console.error('usage: npm run import -- <file|directory> [--dry-run] [--json]');
	process.exit(2);
}
if (!existsSync(target)) {
	console.error(`${target}: no such file or directory`);
	process.exit(1);
}

const log = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');

function describe(outcome: FileOutcome): string {
	if (!outcome.ok) return `✗ ${outcome.error}`;
	const s = outcome.summary;
	const counts = `read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}`;
	const lines = [
		`${s.dryRun ? '(dry run) ' : ''}${s.file} [${s.feed}]: ${counts} in ${s.durationMs} ms`
	];
	// What the written rows leave the indicators to recompute (a dry run writes nothing).
	const touched = s.dryRun ? null : indicatorsTouched('en', { touch: s.touch, counts: s });
	if (touched) lines.push(`    ${touched}`);
	for (const warning of s.warnings) lines.push(`    warning: ${warning}`);
	for (const r of s.rejections.slice(0, 10)) {
		lines.push(`    row ${r.rowNumber}, column ${r.column}: ${r.error}`);
	}
	if (s.rejections.length > 10)
		lines.push(`    … and ${s.rejections.length - 10} more rejected rows`);
	return lines.join('\n');
}

// A long file's progress, every few seconds: rows read, then its remaining steps. A file
// that takes less than that prints its summary only.
const PROGRESS_EVERY_MS = 3000;
let current = { name: '', startedAt: 0, lastLogged: 0 };
const progress = (line: string, isStep: boolean) => {
	const now = performance.now();
	const quiet = isStep
		? current.lastLogged === 0
		: now - Math.max(current.startedAt, current.lastLogged) < PROGRESS_EVERY_MS;
	if (quiet) return;
	current.lastLogged = now;
	log(`  ${current.name}: ${line} (${((now - current.startedAt) / 1000).toFixed(0)} s)`);
};

const database = await openDatabase();
try {
	const outcomes = await importPath(database.db, target, {
		dryRun: values['dry-run'],
		importedBy: 'cli',
		onFileStart: (file) => {
			current = { name: path.basename(file), startedAt: performance.now(), lastLogged: 0 };
		},
		onProgress: (rows, fraction) =>
			progress(
				`${rows.toLocaleString('en')} rows read${fraction === undefined ? '' : ` (${Math.floor(fraction * 100)}%)`}`,
				false
			),
		onStep: (step) => progress(step, true),
		onFile: (outcome) => log(describe(outcome))
	});
	if (values.json) {
		const rows = outcomes.map((o) =>
			o.ok
				? {
						file: o.summary.file,
						feed: o.summary.feed,
						read: o.summary.read,
						inserted: o.summary.inserted,
						updated: o.summary.updated,
						unchanged: o.summary.unchanged,
						rejected: o.summary.rejected
					}
				: { file: o.file, error: o.error }
		);
		console.log(JSON.stringify(rows, null, 2));
	}
	if (outcomes.length === 0) log(`${target}: no import-contract CSV files found`);
	// Keep the computed indicators in step with the registry (nothing before the first refresh).
	const refreshed = await refreshAfterImport(
		database.db,
		outcomes.map((o) => (o.ok ? o.summary.touch : undefined)),
		{ onProgress: (step) => log(`refreshing ${step}`) }
	);
	if (refreshed && refreshed.periods.length > 0) {
		log(
			`indicators refreshed (${refreshed.kind}): ${refreshed.periods.length} periods in ${(refreshed.durationMs / 1000).toFixed(1)} s`
		);
	}
	process.exitCode = outcomes.some((o) => !o.ok) ? 1 : 0;
} finally {
	await database.close();
}
