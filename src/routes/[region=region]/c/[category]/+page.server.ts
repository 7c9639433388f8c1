import { error } from '@sveltejs/kit';
import { get_db } from '$lib/server/db/index.ts';
import { get_category, list_category_products, list_category_slugs } from '$lib/server/catalog.ts';
import { get_region, REGIONS } from '$lib/shared/regions.ts';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries = (async () => {
	const slugs = await list_category_slugs(get_db());
	return REGIONS.flatMap((region) => slugs.map((category) => ({ region: region.code, category })));
}) satisfies EntryGenerator;

export const load = (async ({ params }) => {
	const db = get_db();
	const category = await get_category(db, params.category);
	if (!category) error(404, `No category "${params.category}"`);

	const { currency } = get_region(params.region);
	return { category, products: await list_category_products(db, category.slug, currency) };
}) satisfies PageServerLoad;
