import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GET } from '../../../routes/geo/[level]/+server';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import {
	chooseLayerEncoding,
	clearLayerCache,
	parseLayerRequest,
	readLayer,
	type StoredLayer
} from './layers';

describe('parseLayerRequest', () => {
	it('maps a level and parent to a layer file', () => {
		expect(parseLayerRequest('province', null).fileName).toBe('province.geojson');
		expect(parseLayerRequest('district', '17').fileName).toBe('district-17.geojson');
		expect(parseLayerRequest('commune', '1701').fileName).toBe('commune-1701.geojson');
	});

	it('maps a level without a parent to its national layer', () => {
		expect(parseLayerRequest('district', null).fileName).toBe('district.geojson');
		expect(parseLayerRequest('commune', null).fileName).toBe('commune.geojson');
	});

	it.each([
		['village', '170101', 'Unknown level "village": expected one of province, district, commune.'],
		['province', '17', 'The province layer takes no parent parameter.'],
		[
			'district',
			'1701',
			'The district layer takes parent=<province code of 2 digits> (none: the whole country); got "1701".'
		],
		[
			'district',
			'7',
			'The district layer takes parent=<province code of 2 digits> (none: the whole country); got "7".'
		],
		[
			'commune',
			'17',
			'The commune layer takes parent=<district code of 4 digits> (none: the whole country); got "17".'
		],
		[
			'commune',
			'../../etc/passwd',
			'The commune layer takes parent=<district code of 4 digits> (none: the whole country); got "../../etc/passwd".'
		],
		[
			'commune',
			'17０1',
			'The commune layer takes parent=<district code of 4 digits> (none: the whole country); got "17０1".'
		]
	])('rejects level %s with parent %s', (level, parent, message) => {
		expect(() => parseLayerRequest(level, parent)).toThrow(
			expect.objectContaining({ status: 400, message })
		);
	});
});

describe('chooseLayerEncoding', () => {
	const stored: StoredLayer['encoded'] = { br: Buffer.from('b'), gzip: Buffer.from('g') };

	it.each([
		['gzip, deflate, br, zstd', 'br'],
		['gzip', 'gzip'],
		['GZIP;q=0.5, br;q=0', 'gzip'],
		['*', 'br'],
		['*, br;q=0', 'gzip'],
		['identity', null],
		[null, null]
	] as const)('picks %s → %s', (header, expected) => {
		expect(chooseLayerEncoding(header, stored)).toBe(expected);
	});

	it('never picks a copy that is not stored (layers built before the copies existed)', () => {
		expect(chooseLayerEncoding('br, gzip', {})).toBeNull();
		expect(chooseLayerEncoding('br, gzip', { gzip: Buffer.from('g') })).toBe('gzip');
	});
});

describe('readLayer and GET /geo/[level]', () => {
	let dir: string;
	const saved = process.env.GEO_LAYERS_DIR;

	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-layers-'));
		process.env.GEO_LAYERS_DIR = dir;
		clearLayerCache();
	});
	afterEach(() => {
		if (saved === undefined) delete process.env.GEO_LAYERS_DIR;
		else process.env.GEO_LAYERS_DIR = saved;
	});

	const get = (level: string, query = '', headers: Record<string, string> = {}) => {
		const url = new URL(`http://localhost/geo/${level}${query}`);
		return GET({
			params: { level },
			url,
			request: new Request(url, { headers })
		} as unknown as Parameters<typeof GET>[0]);
	};

	it('says the layers are not built yet when the directory is empty', async () => {
		await expect(readLayer('province', null)).rejects.toMatchObject({
			status: 404,
			message: 'The map layers have not been built: run `npm run geo` on the server.'
		});
	});

	it('serves a layer as GeoJSON with a cache header, and caches it', async () => {
		writeFileSync(path.join(dir, 'province.geojson'), '{"type":"FeatureCollection","features":[]}');
		writeFileSync(path.join(dir, 'district-17.geojson'), '{"v":1}');
		const response = await get('district', '?parent=17');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/geo+json');
		expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
		expect(response.headers.get('content-encoding')).toBeNull();
		expect(await response.text()).toBe('{"v":1}');

		writeFileSync(path.join(dir, 'district-17.geojson'), '{"v":2}');
		expect((await readLayer('district', '17')).plain.toString()).toBe('{"v":1}');
	});

	it('sends the compressed copy the browser accepts, brotli first, and says it varies', async () => {
		const text = '{"type":"FeatureCollection","features":[]}';
		writeFileSync(path.join(dir, 'province.geojson'), text);
		writeFileSync(path.join(dir, 'province.geojson.br'), brotliCompressSync(text));
		writeFileSync(path.join(dir, 'province.geojson.gz'), gzipSync(text));
		const body = async (response: Response) => Buffer.from(await response.arrayBuffer());

		const chrome = await get('province', '', { 'accept-encoding': 'gzip, deflate, br, zstd' });
		expect(chrome.headers.get('content-encoding')).toBe('br');
		expect(chrome.headers.get('vary')).toBe('accept-encoding');
		expect(brotliDecompressSync(await body(chrome)).toString()).toBe(text);

		const gzipOnly = await get('province', '', { 'accept-encoding': 'gzip, br;q=0' });
		expect(gzipOnly.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(await body(gzipOnly)).toString()).toBe(text);

		const none = await get('province', '', { 'accept-encoding': 'identity' });
		expect(none.headers.get('content-encoding')).toBeNull();
		expect((await body(none)).toString()).toBe(text);
	});

	it('answers 304 without a body while the ETag still matches', async () => {
		writeFileSync(path.join(dir, 'province.geojson'), '{"v":1}');
		const first = await get('province');
		const etag = first.headers.get('etag');
		expect(etag).toMatch(/^"[\w-]+"$/);

		const again = await get('province', '', { 'if-none-match': etag! });
		expect(again.status).toBe(304);
		expect(again.headers.get('etag')).toBe(etag);
		expect(await again.text()).toBe('');
		expect((await get('province', '', { 'if-none-match': '"other"' })).status).toBe(200);
	});

	it('answers 404 for an unknown code once the layers exist', async () => {
		writeFileSync(path.join(dir, 'province.geojson'), '{}');
		const response = await get('commune', '?parent=9999');
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({
			error: 'No commune layer for district 9999: unknown code.'
		});
	});

	it('says when a national layer is missing from an older build', async () => {
		writeFileSync(path.join(dir, 'province.geojson'), '{}');
		await expect(readLayer('commune', null)).rejects.toMatchObject({
			status: 404,
			message: 'The national commune layer has not been built: re-run `npm run geo` on the server.'
		});
	});

	it('answers 400 with a JSON error for a bad request', async () => {
		const response = await get('district', '?parent=abc');
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			error:
				'The district layer takes parent=<province code of 2 digits> (none: the whole country); got "abc".'
		});
	});
});
