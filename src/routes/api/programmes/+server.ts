import { json } from '@sveltejs/kit';
import { getAppDatabase } from '$lib/server/db';
import { listProgrammes } from '$lib/server/registry/programmes';
import type { RequestHandler } from './$types';

/** The programmes (code, names, unit), for the dashboard's programme choice. */
export const GET: RequestHandler = async () => {
	const { db } = await getAppDatabase();
	return json(await listProgrammes(db));
};
