import { json } from '@sveltejs/kit';
import { ApiError } from '$lib/server/indicators/api';
import { appDb, sourceFor } from '$lib/server/indicators/source';
import type { RequestHandler } from './$types';

/** A unit with its ancestors: from the registry for staff who may see it, else the release. */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!/^(KH|\d{2}|\d{4}|\d{6}|\d{8})$/.test(params.code)) {
		return json({ error: 'code must be KH or a 2-, 4-, 6- or 8-digit NCDD code' }, { status: 400 });
	}
	try {
		const source = await sourceFor(appDb, locals.user, [params.code]);
		const unit = await source.findUnit(params.code);
		if (!unit) return json({ error: `unknown geographic unit ${params.code}` }, { status: 404 });
		return json(unit);
	} catch (e) {
		if (e instanceof ApiError) return json({ error: e.message }, { status: e.status });
		throw e;
	}
};
