import { json } from '@sveltejs/kit';
import { getAppDatabase } from '$lib/server/db';
import { findUnit } from '$lib/server/registry/geo-units';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	if (!/^(KH|\d{2}|\d{4}|\d{6}|\d{8})$/.test(params.code)) {
		return json({ error: 'code must be KH or a 2-, 4-, 6- or 8-digit NCDD code' }, { status: 400 });
	}
	const { db } = await getAppDatabase();
	const unit = await findUnit(db, params.code);
	if (!unit) return json({ error: `unknown geographic unit ${params.code}` }, { status: 404 });
	return json(unit);
};
