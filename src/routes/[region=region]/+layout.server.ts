import { get_db } from '$lib/server/db/index.ts';
import { list_categories } from '$lib/server/catalog.ts';
import { get_region } from '$lib/shared/regions.ts';
import type { LayoutServerLoad } from './$types';

// Catalog pages under a region are built once and served from the CDN. The cart opts out.
export const prerender = true;

export const load = (async ({ params }) => {
	return {
		region: get_region(params.region),
		categories: await list_categories(get_db())
	};
}) satisfies LayoutServerLoad;
