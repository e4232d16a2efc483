import { json } from '@sveltejs/kit';
import { catalogueResponse } from '$lib/server/indicators/api';
import type { RequestHandler } from './$types';

/** The indicator catalogue (§5), with which indicators are computed so far. */
export const GET: RequestHandler = () => json(catalogueResponse());
