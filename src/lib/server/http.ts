/** Small pieces of HTTP shared by the routes that serve files and layers. */

/**
 * Whether an If-None-Match header names this ETag (RFC 9110 §13.1.2: a list of tags compared
 * weakly, so `W/"x"` matches `"x"`, or `*`): the client's copy is current and a 304 will do.
 */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	const strong = etag.replace(/^W\//, '');
	return ifNoneMatch
		.split(',')
		.some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === strong);
}
