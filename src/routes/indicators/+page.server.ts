import { catalogueResponse } from '$lib/server/indicators/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
	indicators: catalogueResponse().filter((indicator) => !indicator.internal)
});
