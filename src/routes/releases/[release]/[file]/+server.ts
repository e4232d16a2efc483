/**
 * Release files: `GET /releases/<id>/<file>` and `/releases/latest/<file>` (issue #6), served
 * from RELEASES_DIR without the database. The latest release is public; earlier ones are for
 * partners and staff (domain.md §7: a partner sees "as public, plus downloads of all public
 * datasets and releases"). Files, caching and ranges: `$lib/server/releases/serve`.
 */
import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { releasesDir } from '$lib/server/config';
import { findReleaseFile, ReleaseFileError, releaseFileResponse } from '$lib/server/releases/serve';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, request, locals }) => {
	try {
		const found = await findReleaseFile(releasesDir(), params.release, params.file);
		if (!found.isLatest) requireRole(locals, 'partner', 'province', 'national');
		return releaseFileResponse(request, found);
	} catch (error) {
		if (error instanceof ReleaseFileError) {
			return json({ error: error.message }, { status: error.status });
		}
		throw error;
	}
};
