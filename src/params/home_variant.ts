import type { ParamMatcher } from '@sveltejs/kit';
import { HOME_HERO, type HomeHeroVariant } from '$lib/shared/experiments.ts';

type NonControlVariant = Exclude<HomeHeroVariant, 'control'>;

const NON_CONTROL: readonly string[] = HOME_HERO.variants.slice(1);

/** Matches the home page variants that have their own path; the control is the home page itself. */
export const match = ((param: string): param is NonControlVariant =>
	NON_CONTROL.includes(param)) satisfies ParamMatcher;
