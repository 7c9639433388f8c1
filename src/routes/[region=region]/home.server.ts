import { get_db } from '$lib/server/db/index.ts';
import { list_featured_products } from '$lib/server/catalog.ts';
import type { HomeHeroVariant } from '$lib/shared/experiments.ts';
import { get_region, type RegionCode } from '$lib/shared/regions.ts';

/** Products loaded for the home page: a grid of eight, plus one that the spotlight variant leads with. */
const FEATURED_COUNT = 9;

/** Loads the home page of a region for one variant of the home hero experiment. */
export async function load_home(region: RegionCode, variant: HomeHeroVariant) {
	const { currency } = get_region(region);
	return { variant, featured: await list_featured_products(get_db(), currency, FEATURED_COUNT) };
}
