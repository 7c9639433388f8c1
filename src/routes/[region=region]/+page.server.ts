import { REGIONS } from '$lib/shared/regions.ts';
import type { EntryGenerator, PageServerLoad } from './$types';
import { load_home } from './home.server.ts';

export const entries = (() =>
	REGIONS.map((region) => ({ region: region.code }))) satisfies EntryGenerator;

export const load = (async ({ params }) =>
	load_home(params.region, 'control')) satisfies PageServerLoad;
