import { json } from '@sveltejs/kit';
import { catalogueResponse } from '$lib/server/indicators/api';
import type { RequestHandler } from './$types';

/** The indicator catalogue (§5). */
export const GET: RequestHandler = () => json(catalogueResponse());
