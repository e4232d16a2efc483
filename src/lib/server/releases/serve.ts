/**
 * Serving release files (`GET /releases/<id>/<file>`, `/releases/latest/<file>`) from the
 * releases directory, without the database: only the contract's file names (no path from the
 * request reaches the file system), ETags and `If-None-Match`, and single byte ranges
 * (`Range: bytes=a-b`, `a-`, `-n`; `If-Range`), which DuckDB-WASM uses to read a Parquet
 * file's footer and only the row groups a query needs.
 *
 * Who may read what (domain.md §7) is decided by the route: the release `latest` names is
 * public, under `latest` and under its id; earlier releases are for partners and staff.
 */
import { etagMatches } from '../http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { LATEST } from '../../releases/schema';
import { MEDIA_TYPES } from './datapackage';
import {
	CHANGELOG_FILE,
	DATAPACKAGE_FILE,
	isReleaseId,
	latestReleaseId,
	RELEASE_FILES
} from './store';

const DESCRIPTORS: ReadonlySet<string> = new Set([DATAPACKAGE_FILE, CHANGELOG_FILE]);

/** A request for a file that does not exist (or is not a release file at all). */
export class ReleaseFileError extends Error {
	constructor(
		readonly status: 404,
		message: string
	) {
		super(message);
		this.name = 'ReleaseFileError';
	}
}

/** A release file found on disk. */
export interface ReleaseFile {
	/** The release's id (also when asked for as `latest`). */
	id: string;
	file: string;
	/** Whether it was asked for through the `latest` alias. */
	viaLatest: boolean;
	/** Whether it is the release `latest` names now (public). */
	isLatest: boolean;
	absolutePath: string;
	size: number;
	modified: Date;
}

/** Finds a release file, or throws a 404 ReleaseFileError. */
export async function findReleaseFile(
	dir: string,
	release: string,
	file: string
): Promise<ReleaseFile> {
	if (!RELEASE_FILES.includes(file)) {
		throw new ReleaseFileError(
			404,
			`No file ${file} in a release: the files are ${RELEASE_FILES.join(', ')}`
		);
	}
	const viaLatest = release === LATEST;
	if (!viaLatest && !isReleaseId(release)) {
		throw new ReleaseFileError(404, `No release ${release}: ids look like 2026-11-25.1, or latest`);
	}
	const latest = await latestReleaseId(dir);
	const id = viaLatest ? latest : release;
	if (!id) throw new ReleaseFileError(404, 'No release has been published yet');
	const absolutePath = path.join(dir, id, file);
	try {
		const info = await stat(absolutePath);
		return {
			id,
			file,
			viaLatest,
			isLatest: id === latest,
			absolutePath,
			size: info.size,
			modified: info.mtime
		};
	} catch {
		throw new ReleaseFileError(404, `No release ${id} (it may have been removed)`);
	}
}

function contentType(file: string): string {
	const extension = file.slice(file.lastIndexOf('.') + 1);
	switch (extension) {
		case 'csv':
			return `${MEDIA_TYPES.csv}; charset=utf-8`;
		case 'parquet':
			return MEDIA_TYPES.parquet;
		case 'xlsx':
			return MEDIA_TYPES.xlsx;
		default:
			return `${MEDIA_TYPES.json}; charset=utf-8`;
	}
}

/**
 * A strong ETag from the release id, size and write time: a release's files never change, and
 * the same bytes have the same tag under `latest` and under the id.
 */
export function releaseFileEtag(found: Pick<ReleaseFile, 'id' | 'file' | 'size' | 'modified'>) {
	return `"${found.id}-${found.file}-${found.size.toString(36)}-${found.modified.getTime().toString(36)}"`;
}

/** A byte range `[start, end]` (inclusive), 'unsatisfiable', or null to send the whole file. */
export function parseRange(
	header: string | null,
	size: number
): { start: number; end: number } | 'unsatisfiable' | null {
	if (!header) return null;
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	// Several ranges, or another unit: RFC 9110 lets a server ignore Range and send it all.
	if (!match || (match[1] === '' && match[2] === '')) return null;
	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0) return 'unsatisfiable';
		return { start: Math.max(0, size - suffix), end: size - 1 };
	}
	const start = Number(match[1]);
	const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	if (start >= size || end < start) return 'unsatisfiable';
	return { start, end };
}

/**
 * The response for a found file: 200 with the whole file, 206 with a range, 304 when the
 * client's copy is current, 416 for a range beyond the end.
 */
export function releaseFileResponse(request: Request, found: ReleaseFile): Response {
	const etag = releaseFileEtag(found);
	const name = `ssdm-${found.id}-${found.file}`;
	const headers = new Headers({
		'content-type': contentType(found.file),
		etag,
		'last-modified': found.modified.toUTCString(),
		'accept-ranges': 'bytes',
		// An id's files never change; `latest` moves with each release, so caches ask again soon.
		'cache-control': found.viaLatest
			? 'public, max-age=300'
			: `${found.isLatest ? 'public' : 'private'}, max-age=31536000, immutable`,
		// Datasets download under a name that keeps the release; the descriptors open in the tab.
		'content-disposition': `${DESCRIPTORS.has(found.file) ? 'inline' : 'attachment'}; filename="${name}"`
	});
	if (found.isLatest) {
		// Public open data: DuckDB-WASM or a notebook on another site may read it directly.
		headers.set('access-control-allow-origin', '*');
		headers.set(
			'access-control-expose-headers',
			'accept-ranges, content-length, content-range, etag'
		);
	}
	if (etagMatches(request.headers.get('if-none-match'), etag)) {
		return new Response(null, { status: 304, headers });
	}
	// If-Range: a range of another version of the file (latest moved on) would mix two files.
	const ifRange = request.headers.get('if-range');
	const range =
		ifRange && ifRange !== etag ? null : parseRange(request.headers.get('range'), found.size);
	if (range === 'unsatisfiable') {
		headers.set('content-range', `bytes */${found.size}`);
		return new Response(null, { status: 416, headers });
	}
	const { start, end } = range ?? { start: 0, end: found.size - 1 };
	headers.set('content-length', String(Math.max(0, end - start + 1)));
	if (range) headers.set('content-range', `bytes ${start}-${end}/${found.size}`);
	const body =
		request.method === 'HEAD' || found.size === 0
			? null
			: (Readable.toWeb(
					createReadStream(found.absolutePath, { start, end })
				) as ReadableStream<Uint8Array>);
	return new Response(body, { status: range ? 206 : 200, headers });
}
