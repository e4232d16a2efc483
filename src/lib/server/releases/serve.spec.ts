/**
 * Serving release files: only the contract's names, ETags, single byte ranges (what
 * DuckDB-WASM sends to read a Parquet footer and row groups) and the cache headers of an id,
 * of `latest`, and of an earlier release.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findReleaseFile, parseRange, ReleaseFileError, releaseFileResponse } from './serve';
import { compareReleaseIds, nextReleaseId, pointLatestAt } from './store';

// 26 bytes, so every range below can be checked by eye.
const CONTENT = 'abcdefghijklmnopqrstuvwxyz';

let dir: string;

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'ssdm-serve-'));
	for (const id of ['2026-11-24.1', '2026-11-25.1']) {
		mkdirSync(path.join(dir, id));
		writeFileSync(path.join(dir, id, 'commune.parquet'), CONTENT);
		writeFileSync(path.join(dir, id, 'datapackage.json'), '{}');
	}
	writeFileSync(path.join(dir, 'secret.txt'), 'not a release file');
	await pointLatestAt(dir, '2026-11-25.1');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function get(release: string, file: string, headers: Record<string, string> = {}) {
	const found = await findReleaseFile(dir, release, file);
	return releaseFileResponse(new Request('http://portal.test/', { headers }), found);
}

describe('release ids', () => {
	it('sort by date, then by the counter as a number', () => {
		const ids = ['2026-11-25.10', '2026-11-24.3', '2026-11-25.9', '2026-11-25.1'];
		expect(ids.sort(compareReleaseIds)).toEqual([
			'2026-11-24.3',
			'2026-11-25.1',
			'2026-11-25.9',
			'2026-11-25.10'
		]);
	});

	it('count up within a day and start again at 1 the next day', () => {
		const existing = ['2026-11-24.1', '2026-11-25.1', '2026-11-25.2'];
		expect(nextReleaseId(existing, '2026-11-25')).toBe('2026-11-25.3');
		expect(nextReleaseId(existing, '2026-11-26')).toBe('2026-11-26.1');
	});
});

describe('parseRange', () => {
	it.each([
		['bytes=0-3', { start: 0, end: 3 }],
		['bytes=20-', { start: 20, end: 25 }],
		['bytes=-4', { start: 22, end: 25 }],
		['bytes=24-99', { start: 24, end: 25 }],
		['bytes=-99', { start: 0, end: 25 }],
		['bytes=26-', 'unsatisfiable'],
		['bytes=5-2', 'unsatisfiable'],
		['bytes=-0', 'unsatisfiable'],
		// Several ranges or another unit: the whole file instead (RFC 9110 §14.2).
		['bytes=0-1,4-5', null],
		['items=0-3', null],
		[null, null]
	])('%s of 26 bytes', (header, expected) => {
		expect(parseRange(header, 26)).toEqual(expected);
	});
});

describe('release files', () => {
	it('serves a whole file with its type, length, ETag and an immutable cache for the latest id', async () => {
		const response = await get('2026-11-25.1', 'commune.parquet');
		expect(response.status).toBe(200);
		expect(await response.text()).toBe(CONTENT);
		expect(Object.fromEntries(response.headers)).toMatchObject({
			'content-type': 'application/vnd.apache.parquet',
			'content-length': '26',
			'accept-ranges': 'bytes',
			'cache-control': 'public, max-age=31536000, immutable',
			'content-disposition': 'attachment; filename="ssdm-2026-11-25.1-commune.parquet"',
			'access-control-allow-origin': '*'
		});
		expect(response.headers.get('etag')).toMatch(
			/^"2026-11-25\.1-commune\.parquet-[0-9a-z]+-[0-9a-z]+"$/
		);
	});

	it('answers a range with 206, Content-Range and exactly those bytes', async () => {
		const response = await get('2026-11-25.1', 'commune.parquet', { range: 'bytes=2-5' });
		expect(response.status).toBe(206);
		expect(response.headers.get('content-range')).toBe('bytes 2-5/26');
		expect(response.headers.get('content-length')).toBe('4');
		expect(await response.text()).toBe('cdef');
		// The footer, as a Parquet reader asks for it first: the last 8 bytes.
		const footer = await get('latest', 'commune.parquet', { range: 'bytes=-8' });
		expect(footer.headers.get('content-range')).toBe('bytes 18-25/26');
		expect(await footer.text()).toBe('stuvwxyz');
	});

	it('answers a range past the end with 416 and the size', async () => {
		const response = await get('2026-11-25.1', 'commune.parquet', { range: 'bytes=26-30' });
		expect(response.status).toBe(416);
		expect(response.headers.get('content-range')).toBe('bytes */26');
	});

	it('answers 304 to a current ETag, and the whole file when If-Range names another version', async () => {
		const etag = (await get('2026-11-25.1', 'commune.parquet')).headers.get('etag')!;
		expect((await get('latest', 'commune.parquet', { 'if-none-match': etag })).status).toBe(304);
		const stale = await get('latest', 'commune.parquet', {
			range: 'bytes=0-1',
			'if-range': '"2026-11-24.1-commune.parquet-q-1"'
		});
		expect(stale.status).toBe(200);
		expect(await stale.text()).toBe(CONTENT);
		const current = await get('latest', 'commune.parquet', {
			range: 'bytes=0-1',
			'if-range': etag
		});
		expect(current.status).toBe(206);
	});

	it('serves latest as the newest release with a short cache, and an earlier id privately', async () => {
		const latest = await get('latest', 'commune.parquet');
		expect(latest.headers.get('cache-control')).toBe('public, max-age=300');
		expect(latest.headers.get('etag')).toBe(
			(await get('2026-11-25.1', 'commune.parquet')).headers.get('etag')
		);
		const earlier = await findReleaseFile(dir, '2026-11-24.1', 'commune.parquet');
		expect(earlier.isLatest).toBe(false);
		const response = releaseFileResponse(new Request('http://portal.test/'), earlier);
		expect(response.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
		expect(response.headers.has('access-control-allow-origin')).toBe(false);
		const descriptor = await get('latest', 'datapackage.json');
		expect(descriptor.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(descriptor.headers.get('content-disposition')).toMatch(/^inline/);
	});

	it.each([
		['2026-11-25.1', 'secret.txt'],
		['2026-11-25.1', '../secret.txt'],
		['2026-11-25.1', 'commune.csv/../../secret.txt'],
		['..', 'datapackage.json'],
		['.tmp-1-x', 'datapackage.json'],
		['2026-11-23.1', 'datapackage.json'],
		['2026-11-25.1', 'commune.csv']
	])('refuses %s / %s with a 404', async (release, file) => {
		await expect(findReleaseFile(dir, release, file)).rejects.toThrow(ReleaseFileError);
	});
});
