import { error } from '@sveltejs/kit';
import { get_db } from '$lib/server/db/index.ts';
import { get_product, list_product_slugs } from '$lib/server/catalog.ts';
import { get_region, REGIONS } from '$lib/shared/regions.ts';
import type { EntryGenerator, PageServerLoad } from './$types';

// Product pages render without the SvelteKit client: its runtime alone is over the 30 KB gzip
// budget for a product page. `/js/add_to_cart.js` enhances the one form instead.
export const csr = false;

export const entries = (async () => {
	const slugs = await list_product_slugs(get_db());
	return REGIONS.flatMap((region) => slugs.map((product) => ({ region: region.code, product })));
}) satisfies EntryGenerator;

export const load = (async ({ params }) => {
	const { currency } = get_region(params.region);
	const product = await get_product(get_db(), params.product, currency);
	if (!product) error(404, `No product "${params.product}"`);
	return { product };
}) satisfies PageServerLoad;
