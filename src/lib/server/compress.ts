/**
 * Compression of the dynamic responses (pages, `__data.json`, the APIs' JSON and CSV), which
 * adapter-node sends as they are: it compresses only the prebuilt static files. On the map
 * page's slow-network target (issue #5) the HTML alone was 35 KB uncompressed. Brotli at a
 * low quality costs about a millisecond per 30 KB here and still takes three quarters off;
 * gzip for the clients without it. Streamed bodies (SvelteKit streams a page whose server load
 * returns promises) stay streamed: each chunk is flushed as it comes.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';

/** Smaller bodies gain nothing worth the compression (a TCP packet carries about 1.4 KB). */
export const COMPRESS_MIN_BYTES = 1024;

/** Brotli quality for dynamic responses: 4–5 is the usual choice for on-the-fly compression. */
const BROTLI_QUALITY = 5;

const COMPRESSIBLE =
	/^(text\/|application\/(json|geo\+json|javascript|xml|[\w.+-]+\+json|[\w.+-]+\+xml)\b)/i;

/**
 * Whether an Accept-Encoding header accepts an encoding (RFC 9110 §12.5.3: listed without
 * `q=0`, or covered by `*`). Shared with the map layers' stored encodings (`geo/layers.ts`).
 */
export function encodingAcceptance(acceptEncoding: string | null): (encoding: string) => boolean {
	const accepted = new Map<string, number>();
	for (const part of (acceptEncoding ?? '').split(',')) {
		const [name = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
		if (!name) continue;
		const q = parameters.find((parameter) => parameter.startsWith('q='));
		const weight = q === undefined ? 1 : Number(q.slice(2));
		accepted.set(name, Number.isNaN(weight) ? 0 : weight);
	}
	return (encoding) => (accepted.get(encoding) ?? accepted.get('*') ?? 0) > 0;
}

/** The encoding to use for a request's Accept-Encoding (q=0 refuses one), or null. */
export function chooseEncoding(acceptEncoding: string | null): 'br' | 'gzip' | null {
	const accepts = encodingAcceptance(acceptEncoding);
	return (['br', 'gzip'] as const).find(accepts) ?? null;
}

/**
 * The response compressed for the request when it is worth it: a text or JSON body the client
 * accepts compressed, not compressed already, not a HEAD, 304 or partial answer, and not known
 * to be under COMPRESS_MIN_BYTES. Otherwise the response itself.
 */
export function compressResponse(request: Request, response: Response): Response {
	const type = response.headers.get('content-type') ?? '';
	const length = response.headers.get('content-length');
	if (
		!response.body ||
		request.method === 'HEAD' ||
		response.status === 204 ||
		response.status === 206 ||
		response.status === 304 ||
		response.headers.has('content-encoding') ||
		response.headers.has('content-range') ||
		!COMPRESSIBLE.test(type) ||
		(length !== null && Number(length) < COMPRESS_MIN_BYTES)
	) {
		return response;
	}
	const encoding = chooseEncoding(request.headers.get('accept-encoding'));
	const headers = new Headers(response.headers);
	const vary = headers.get('vary');
	if (
		!vary?.split(',').some((name) => ['accept-encoding', '*'].includes(name.trim().toLowerCase()))
	) {
		headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
	}
	if (!encoding)
		return new Response(response.body, {
			status: response.status,
			statusText: response.statusText,
			headers
		});
	const compressor =
		encoding === 'br'
			? createBrotliCompress({
					flush: constants.BROTLI_OPERATION_FLUSH,
					params: {
						[constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
						[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT
					}
				})
			: createGzip({ flush: constants.Z_SYNC_FLUSH });
	const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>).pipe(compressor);
	headers.set('content-encoding', encoding);
	headers.delete('content-length');
	// A strong ETag names the uncompressed bytes; the compressed ones are a weak match of them.
	const etag = headers.get('etag');
	if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
	return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}
