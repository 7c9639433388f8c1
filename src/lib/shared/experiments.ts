/**
 * A/B experiments on prerendered pages. Each variant other than the control is prerendered at its
 * own path, and the edge rewrites a visitor's request to the path of their cohort's variant.
 * The weights here are the built-in defaults; the flag document in Netlify Blobs may override them.
 */

export interface Experiment {
	/** Stable key, also the suffix of the cohort cookie. */
	key: string;
	/** Variant names; the first is the control, served at the page's own path. */
	variants: readonly [string, ...string[]];
	/** Relative weight of each variant, same order as `variants`. */
	weights: readonly number[];
}

/** Home page hero copy and merchandising order. */
export const HOME_HERO = {
	key: 'home_hero',
	variants: ['control', 'spotlight'],
	weights: [50, 50]
} as const satisfies Experiment;

export type HomeHeroVariant = (typeof HOME_HERO.variants)[number];

export const EXPERIMENTS = [HOME_HERO] as const satisfies readonly Experiment[];

/**
 * Path of the prerendered home page for a variant. The control is the home page itself; other
 * variants live under `/<region>/home/<variant>`, which the edge serves in place of `/<region>`.
 */
export function home_variant_path(region: string, variant: HomeHeroVariant): string {
	return variant === 'control' ? `/${region}` : `/${region}/home/${variant}`;
}
