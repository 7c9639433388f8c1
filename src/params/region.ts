import type { ParamMatcher } from '@sveltejs/kit';
import { is_region_code, type RegionCode } from '$lib/shared/regions.ts';

export const match = ((param: string): param is RegionCode =>
	is_region_code(param)) satisfies ParamMatcher;
