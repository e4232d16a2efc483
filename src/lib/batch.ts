/**
 * The browser's side of `GET /batch` (src/routes/batch/+server.ts): several GETs of the portal's
 * API in one request, each answered as if asked alone.
 */

/** One answer of the batch: the API's status and JSON body (null when not JSON). */
export interface BatchAnswer {
	status: number;
	statusText: string;
	body: unknown;
}

/**
 * Asks `/batch` for `urls` (same-origin `/api/` paths) and gives one Response per URL, in
 * order, rebuilt from the batch's answers so callers read them as any fetched response. When
 * the batch itself fails, every URL gets its failure.
 */
export async function fetchBatch(
	fetch: typeof globalThis.fetch,
	urls: readonly string[]
): Promise<Response[]> {
	const query = new URLSearchParams(urls.map((url) => ['url', url]));
	const response = await fetch(`/batch?${query}`);
	if (!response.ok) return urls.map(() => response.clone());
	const answers = (await response.json()) as BatchAnswer[];
	return answers.map(
		({ status, statusText, body }) =>
			new Response(body === null ? null : JSON.stringify(body), {
				status,
				statusText,
				headers: body === null ? {} : { 'content-type': 'application/json' }
			})
	);
}
