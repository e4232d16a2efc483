/**
 * The whole geo build: read and validate the sources, build the layers, and swap them into the
 * layers directory in one step, so a failed run leaves the previous layers untouched.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, gzip as gzipCompress, constants as zlibConstants } from 'node:zlib';
import { GEO_LEVELS, LAYER_ENCODINGS, type LayerEncoding } from '../src/lib/server/geo/layers';
import { buildLayerFiles, buildUnits, OVERVIEW_TOLERANCE, SIMPLIFY_TOLERANCE } from './layers';
import { readSources } from './read-sources';
import { buildReport, type GeoReport, type OutputSummary } from './report';

/** The output directory cannot be used; nothing was written. */
export class GeoOutputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'GeoOutputError';
	}
}

/** Where to read from and write to. */
export interface BuildOptions {
	sourceDir: string;
	outDir: string;
	/** The report's timestamp (fixed in tests). */
	now?: Date;
}

/** Name of the report in the layers directory; its presence marks a directory we may replace. */
export const REPORT_FILE = 'report.json';

/** Name of the unit list in the layers directory. */
export const UNITS_FILE = 'units.json';

function isInside(child: string, parent: string): boolean {
	const relative = path.relative(parent, child);
	return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The whole output directory is replaced, so make sure it is ours to replace. */
function checkOutDir(outDir: string, sourceDir: string): void {
	if (isInside(outDir, sourceDir) || isInside(sourceDir, outDir)) {
		throw new GeoOutputError(
			`${outDir}: the output directory must not overlap the source ${sourceDir}`
		);
	}
	if (!existsSync(outDir)) return;
	if (!statSync(outDir).isDirectory()) {
		throw new GeoOutputError(`${outDir}: exists and is not a directory`);
	}
	const entries = readdirSync(outDir);
	if (entries.length > 0 && !entries.includes(REPORT_FILE)) {
		throw new GeoOutputError(
			`${outDir}: refusing to replace a directory that holds no ${REPORT_FILE} from an earlier build`
		);
	}
}

/** Replaces `outDir` by `staging` with renames (atomic per rename on one file system). */
async function swapInto(staging: string, outDir: string): Promise<void> {
	const previous = `${staging}-previous`;
	const hadPrevious = existsSync(outDir);
	if (hadPrevious) await rename(outDir, previous);
	try {
		await rename(staging, outDir);
	} catch (error) {
		if (hadPrevious) await rename(previous, outDir);
		throw error;
	}
	// The new layers are in place; a leftover copy of the old ones must not fail the build.
	if (hadPrevious) await rm(previous, { recursive: true, force: true }).catch(() => undefined);
}

const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCompress);

/**
 * A layer in each LAYER_ENCODINGS, compressed once here at the highest levels so the server
 * only picks a file: at 1.6 Mbit/s (issue #5) the province layer's 200 KB take a second,
 * its brotli copy a seventh of that. Brotli's best level is slow (about 1 s per MB), which a
 * build can afford and a request cannot.
 */
async function encodeLayer(text: string) {
	const plain = Buffer.from(text);
	const compress = {
		br: () =>
			brotli(plain, {
				params: {
					[zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
					[zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
					[zlibConstants.BROTLI_PARAM_SIZE_HINT]: plain.length
				}
			}),
		gzip: () => gzip(plain, { level: zlibConstants.Z_BEST_COMPRESSION })
	} satisfies Record<LayerEncoding, () => Promise<Buffer>>;
	return Promise.all(
		LAYER_ENCODINGS.map(async ({ encoding, suffix }) => ({
			encoding,
			suffix,
			bytes: await compress[encoding]()
		}))
	);
}

/** Builds every layer from `sourceDir` into `outDir`; throws GeoSourceError / GeoOutputError. */
export async function buildGeoLayers(options: BuildOptions): Promise<GeoReport> {
	const started = performance.now();
	const sourceDir = path.resolve(options.sourceDir);
	const outDir = path.resolve(options.outDir);
	checkOutDir(outDir, sourceDir);
	const sources = readSources(sourceDir, {
		tolerance: SIMPLIFY_TOLERANCE,
		overviewTolerance: OVERVIEW_TOLERANCE
	});
	const layers = buildLayerFiles(sources);
	const units = buildUnits(sources);

	// Staged beside the target, so the final rename stays on one file system.
	await mkdir(path.dirname(outDir), { recursive: true });
	const staging = await mkdtemp(
		path.join(path.dirname(outDir), `.${path.basename(outDir)}-staging-`)
	);
	try {
		// mkdtemp makes the directory private (0700); the web server may run as another user.
		await chmod(staging, 0o755);
		const written: { file: string; bytes: number }[] = [];
		const write = async (file: string, text: string) => {
			await writeFile(path.join(staging, file), text);
			written.push({ file, bytes: Buffer.byteLength(text) });
		};
		const encoded: Record<string, number> = {};
		// All at once: zlib compresses on libuv's thread pool, so the cores share the work.
		await Promise.all(
			[...layers].map(async ([file, collection]) => {
				const text = JSON.stringify(collection);
				await write(file, text);
				for (const { encoding, suffix, bytes } of await encodeLayer(text)) {
					await writeFile(path.join(staging, file + suffix), bytes);
					encoded[encoding] = (encoded[encoding] ?? 0) + bytes.length;
				}
			})
		);
		// One unit per line: small enough, and readable and diffable between builds.
		await write(UNITS_FILE, `[\n${units.map((unit) => JSON.stringify(unit)).join(',\n')}\n]\n`);

		const largest = GEO_LEVELS.flatMap((level) => {
			const files = written.filter(({ file }) => file.startsWith(level));
			return files.sort((a, b) => b.bytes - a.bytes).slice(0, 1);
		});
		const output: OutputSummary = {
			files: written.length,
			bytes: written.reduce((sum, { bytes }) => sum + bytes, 0),
			encoded,
			largest
		};
		const durationMs = Math.round(performance.now() - started);
		const report = buildReport(
			sources,
			[...layers.keys()],
			output,
			options.now ?? new Date(),
			durationMs
		);
		await writeFile(path.join(staging, REPORT_FILE), `${JSON.stringify(report, null, '\t')}\n`);
		await swapInto(staging, outDir);
		return report;
	} catch (error) {
		await rm(staging, { recursive: true, force: true });
		throw error;
	}
}
