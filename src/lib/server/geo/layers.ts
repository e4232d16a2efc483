/**
 * Serves the map layers that `npm run geo` (geo/build.ts) writes into `geoLayersDir()`: one
 * GeoJSON file for the provinces, one per province for its districts, one per district for its
 * communes, each also compressed (`.br`, `.gz`). The file names are defined here so the
 * pipeline and the server share one contract.
 */
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { encodingAcceptance } from '../compress';
import { geoLayersDir } from '../config';
import { CODE_LENGTH } from '../ingest/feeds';

/** The administrative levels that have map layers (villages have no polygons). */
export const GEO_LEVELS = ['province', 'district', 'commune'] as const;

/** One of the map levels. */
export type GeoLevel = (typeof GEO_LEVELS)[number];

/** Digits in an NCDD gazetteer code per level (domain.md §1), as the importer checks them. */
export { CODE_LENGTH };

/** The level whose code a layer's `parent` is, e.g. a district layer is keyed by province. */
export const PARENT_LEVEL: Readonly<Record<GeoLevel, GeoLevel | null>> = {
	province: null,
	district: 'province',
	commune: 'district'
};

/**
 * File name of a layer: `district-17.geojson`, `commune-1701.geojson` inside a parent; without
 * one the whole country: `province.geojson`, and the overviews `district.geojson` and
 * `commune.geojson`.
 */
export function layerFileName(level: GeoLevel, parent: string | null): string {
	return parent === null ? `${level}.geojson` : `${level}-${parent}.geojson`;
}

/**
 * The compressed copies the pipeline writes beside each layer file (`province.geojson.br`), in
 * the server's order of preference: brotli is about a fifth smaller than gzip on these files.
 */
export const LAYER_ENCODINGS = [
	{ encoding: 'br', suffix: '.br' },
	{ encoding: 'gzip', suffix: '.gz' }
] as const;

/** A `content-encoding` a layer is stored in. */
export type LayerEncoding = (typeof LAYER_ENCODINGS)[number]['encoding'];

/** A request the layer endpoint cannot serve, with the HTTP status to answer it with. */
export class LayerRequestError extends Error {
	constructor(
		readonly status: 400 | 404,
		message: string
	) {
		super(message);
		this.name = 'LayerRequestError';
	}
}

/** A validated layer request. */
export interface LayerRequest {
	level: GeoLevel;
	parent: string | null;
	fileName: string;
}

function isGeoLevel(value: string): value is GeoLevel {
	return (GEO_LEVELS as readonly string[]).includes(value);
}

/**
 * Validates a level and `parent` query value; throws a 400 LayerRequestError when invalid. No
 * parent asks for the whole country (the simplified overview below province level).
 */
export function parseLayerRequest(level: string, parent: string | null): LayerRequest {
	if (!isGeoLevel(level)) {
		throw new LayerRequestError(
			400,
			`Unknown level "${level}": expected one of ${GEO_LEVELS.join(', ')}.`
		);
	}
	const parentLevel = PARENT_LEVEL[level];
	if (parent === null) return { level, parent: null, fileName: layerFileName(level, null) };
	if (parentLevel === null) {
		throw new LayerRequestError(400, 'The province layer takes no parent parameter.');
	}
	const digits = CODE_LENGTH[parentLevel];
	if (!new RegExp(`^\\d{${digits}}$`).test(parent)) {
		throw new LayerRequestError(
			400,
			`The ${level} layer takes parent=<${parentLevel} code of ${digits} digits> (none: the whole country); got "${parent}".`
		);
	}
	return { level, parent, fileName: layerFileName(level, parent) };
}

/** A layer as the server holds it: its GeoJSON bytes and the compressed copies it has. */
export interface StoredLayer {
	/** The GeoJSON, uncompressed. */
	plain: Buffer;
	/** Compressed copies by content-encoding; missing for layers built before they existed. */
	encoded: Partial<Record<LayerEncoding, Buffer>>;
	/** A strong ETag of the GeoJSON, the same for every encoding of it. */
	etag: string;
}

// Keyed by absolute path, so a change of GEO_LAYERS_DIR (tests) never serves another dir's file.
// Only successful reads stay cached: a layer built after a 404 is served without a restart,
// but a rebuilt layer needs a restart (layers are immutable per build).
const cache = new Map<string, Promise<StoredLayer>>();

function isMissingFile(error: unknown): boolean {
	return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

async function readStored(file: string): Promise<StoredLayer> {
	const plain = await readFile(file);
	const encoded: StoredLayer['encoded'] = {};
	for (const { encoding, suffix } of LAYER_ENCODINGS) {
		try {
			encoded[encoding] = await readFile(file + suffix);
		} catch (error) {
			if (!isMissingFile(error)) throw error;
		}
	}
	const digest = createHash('sha256').update(plain).digest('base64url').slice(0, 27);
	return { plain, encoded, etag: `"${digest}"` };
}

async function readCached(file: string): Promise<StoredLayer> {
	let pending = cache.get(file);
	if (!pending) {
		pending = readStored(file);
		cache.set(file, pending);
		pending.catch(() => cache.delete(file));
	}
	return pending;
}

async function notFound(request: LayerRequest, dir: string): Promise<LayerRequestError> {
	try {
		await access(path.join(dir, layerFileName('province', null)));
	} catch {
		return new LayerRequestError(
			404,
			'The map layers have not been built: run `npm run geo` on the server.'
		);
	}
	if (request.parent === null) {
		return new LayerRequestError(
			404,
			`The national ${request.level} layer has not been built: re-run \`npm run geo\` on the server.`
		);
	}
	return new LayerRequestError(
		404,
		`No ${request.level} layer for ${PARENT_LEVEL[request.level]} ${request.parent}: unknown code.`
	);
}

/** Reads a layer; throws LayerRequestError (400 bad request, 404 no such layer). */
export async function readLayer(level: string, parent: string | null): Promise<StoredLayer> {
	const request = parseLayerRequest(level, parent);
	const dir = geoLayersDir();
	try {
		return await readCached(path.join(dir, request.fileName));
	} catch (error) {
		if (isMissingFile(error)) throw await notFound(request, dir);
		throw error;
	}
}

/**
 * The best stored encoding the client accepts (RFC 9110 §12.5.3: listed without `q=0`, or
 * covered by `*`), or null for the plain GeoJSON.
 */
export function chooseLayerEncoding(
	acceptEncoding: string | null,
	stored: StoredLayer['encoded']
): LayerEncoding | null {
	const accepts = encodingAcceptance(acceptEncoding);
	const found = LAYER_ENCODINGS.find(
		({ encoding }) => accepts(encoding) && stored[encoding] !== undefined
	);
	return found?.encoding ?? null;
}

/** Forgets every cached layer (for tests, and after rebuilding the layers in-process). */
export function clearLayerCache(): void {
	cache.clear();
}
