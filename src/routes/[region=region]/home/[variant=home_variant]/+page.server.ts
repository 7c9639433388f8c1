import { HOME_HERO, type HomeHeroVariant } from '$lib/shared/experiments.ts';
import { REGIONS } from '$lib/shared/regions.ts';
import type { EntryGenerator, PageServerLoad } from './$types';
import { load_home } from '../../home.server.ts';

const VARIANTS = HOME_HERO.variants.filter(
	(variant): variant is Exclude<HomeHeroVariant, 'control'> => variant !== 'control'
);

/** Every region with every variant except the control, which is the region's home page. */
export const entries = (() =>
	REGIONS.flatMap((region) =>
		VARIANTS.map((variant) => ({ region: region.code, variant }))
	)) satisfies EntryGenerator;

export const load = (async ({ params }) =>
	load_home(params.region, params.variant)) satisfies PageServerLoad;
