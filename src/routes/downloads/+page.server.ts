import { hasRole } from '$lib/server/auth/guard';
import { releasesDir } from '$lib/server/config';
import {
	attributionLine,
	DISCLOSURE_NOTE,
	RELEASE_LICENSE,
	RELEASE_SOURCES
} from '$lib/server/releases/datapackage';
import { listReleases } from '$lib/server/releases/listing';
import { RELEASE_COLUMNS } from '$lib/releases/schema';
import type { PageServerLoad } from './$types';

/** The releases on disk (never the database), and whether this visitor may download earlier ones. */
export const load: PageServerLoad = async ({ locals }) => {
	const releases = await listReleases(releasesDir());
	return {
		releases,
		columns: RELEASE_COLUMNS,
		licence: RELEASE_LICENSE,
		sources: RELEASE_SOURCES,
		attribution: releases[0] ? attributionLine(releases[0].id) : null,
		disclosure: DISCLOSURE_NOTE,
		// Earlier releases are for partners and staff (domain.md §7); admins hold every role.
		canDownloadEarlier: hasRole(locals.user, 'partner', 'province', 'national')
	};
};
