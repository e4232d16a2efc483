/**
 * Turns a failed response of the portal's own APIs into a sentence for the page. The APIs
 * answer errors as JSON `{ error }`; anything else (a proxy's HTML page) leaves the status.
 */
export async function describeFailedResponse(response: Response, what: string): Promise<string> {
	let reason = response.statusText;
	try {
		const body: unknown = await response.json();
		if (body && typeof body === 'object' && 'error' in body) {
			reason = String(body.error).replace(/\.$/, '');
		}
	} catch {
		// Not JSON: the status line is all there is.
	}
	return `${what} could not be loaded (${response.status}${reason ? `: ${reason}` : ''}).`;
}
