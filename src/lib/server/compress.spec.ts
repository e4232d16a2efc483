import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressResponse } from './compress';

const big = 'x'.repeat(500) + JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => i) });
const request = (acceptEncoding?: string, method = 'GET') =>
	new Request('http://localhost/', {
		method,
		headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}
	});

describe('chooseEncoding', () => {
	it('prefers brotli, then gzip, and honours q=0 and *', () => {
		expect(chooseEncoding('gzip, deflate, br')).toBe('br');
		expect(chooseEncoding('gzip')).toBe('gzip');
		expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
		expect(chooseEncoding('*')).toBe('br');
		expect(chooseEncoding('identity')).toBeNull();
		expect(chooseEncoding(null)).toBeNull();
	});
});

describe('compressResponse', () => {
	it('compresses a large text body with brotli or gzip, and says so', async () => {
		for (const [accept, decode] of [
			['br', brotliDecompressSync],
			['gzip', gunzipSync]
		] as const) {
			const response = compressResponse(
				request(accept),
				new Response(big, { headers: { 'content-type': 'application/json', etag: '"abc"' } })
			);
			expect(response.headers.get('content-encoding')).toBe(accept);
			expect(response.headers.get('vary')).toBe('Accept-Encoding');
			expect(response.headers.get('etag')).toBe('W/"abc"');
			const bytes = Buffer.from(await response.arrayBuffer());
			expect(bytes.length).toBeLessThan(big.length / 2);
			expect(decode(bytes).toString()).toBe(big);
		}
	});

	it('leaves alone what it should not compress', () => {
		const html = () => ({ headers: { 'content-type': 'text/html' } });
		const cases: [Request, Response][] = [
			[request(), new Response(big, html())],
			[
				request('br'),
				new Response('small', { headers: { 'content-type': 'text/html', 'content-length': '5' } })
			],
			[request('br'), new Response(big, { headers: { 'content-type': 'image/png' } })],
			[
				request('br'),
				new Response(big, { headers: { 'content-type': 'text/html', 'content-encoding': 'br' } })
			],
			[request('br'), new Response(null, { status: 304, headers: { 'content-type': 'text/html' } })]
		];
		for (const [req, res] of cases) {
			expect(compressResponse(req, res).headers.get('content-encoding')).toBe(
				res.headers.get('content-encoding')
			);
		}
	});
});
