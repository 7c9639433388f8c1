/**
 * A/B cohort assignment and the rewrite of prerendered pages to a cohort's variant. A visitor's
 * cohort is stored in one cookie per experiment and kept while the variant exists and has
 * weight. A new assignment is a deterministic function of a unit id (the user id when signed in,
 * else the random request id) and the weights, so the split follows the weights.
 */
import { HOME_HERO, home_variant_path, type HomeHeroVariant } from '../shared/experiments.ts';
import { is_region_code } from '../shared/regions.ts';
import { read_cookie, serialize_cookie } from './cookies.ts';
import type { ActiveExperiment } from './flags.ts';
import { DATA_SUFFIX } from './paths.ts';

/**
 * Prefix of the cohort cookies, followed by the experiment key. Scripts never read them: the
 * page is already the right variant when it arrives.
 */
export const COHORT_COOKIE_PREFIX = '__Host-cohort_';

/** Cohort cookie lifetime, in seconds (90 days). */
export const COHORT_MAX_AGE_S = 90 * 24 * 60 * 60;

export function cohort_cookie_name(experiment_key: string): string {
	return COHORT_COOKIE_PREFIX + experiment_key;
}

export interface CohortAssignment {
	/** Variant by experiment key, for every experiment. */
	cohorts: Record<string, string>;
	/** `Set-Cookie` values for new or changed assignments. */
	set_cookies: string[];
}

/**
 * Assigns a variant of every experiment. A disabled experiment serves its control to everyone
 * and leaves the cookie alone, so re-enabling it restores each visitor's cohort.
 */
export function assign_cohorts(
	experiments: readonly ActiveExperiment[],
	cookie_header: string | null,
	unit_id: string
): CohortAssignment {
	const cohorts: Record<string, string> = {};
	const set_cookies: string[] = [];

	for (const experiment of experiments) {
		if (!experiment.enabled) {
			cohorts[experiment.key] = experiment.variants[0] as string;
			continue;
		}

		const name = cohort_cookie_name(experiment.key);
		const stored = read_cookie(cookie_header, name);
		const stored_index = stored === null ? -1 : experiment.variants.indexOf(stored);
		if (stored_index !== -1 && (experiment.weights[stored_index] ?? 0) > 0) {
			cohorts[experiment.key] = stored as string;
			continue;
		}

		const variant = pick_variant(experiment, unit_id);
		cohorts[experiment.key] = variant;
		set_cookies.push(serialize_cookie(name, variant, { max_age: COHORT_MAX_AGE_S }));
	}

	return { cohorts, set_cookies };
}

/** Picks the variant for `unit_id` by placing its bucket in [0, 1) on the cumulative weights. */
export function pick_variant(
	experiment: Pick<ActiveExperiment, 'key' | 'variants' | 'weights'>,
	unit_id: string
): string {
	let total = 0;
	for (const weight of experiment.weights) total += weight;

	let point = bucket(experiment.key, unit_id) * total;
	for (let index = 0; index < experiment.variants.length; index++) {
		const weight = experiment.weights[index] ?? 0;
		if (point < weight) return experiment.variants[index] as string;
		point -= weight;
	}
	// Only reached through rounding at the very top of the range: take the last weighted variant.
	for (let index = experiment.variants.length - 1; index > 0; index--) {
		if ((experiment.weights[index] ?? 0) > 0) return experiment.variants[index] as string;
	}
	return experiment.variants[0] as string;
}

/**
 * Maps a unit id to a number in [0, 1) that is the same on every call and spread evenly:
 * 32-bit FNV-1a over `<experiment>:<unit>`, then MurmurHash3's final mix, because FNV alone
 * leaves the high bits poorly mixed for short inputs. The experiment key is part of the input so
 * that one visitor's cohorts in different experiments are independent.
 */
export function bucket(experiment_key: string, unit_id: string): number {
	const text = `${experiment_key}:${unit_id}`;
	let hash = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) {
		hash ^= text.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193);
	}
	hash ^= hash >>> 16;
	hash = Math.imul(hash, 0x85ebca6b);
	hash ^= hash >>> 13;
	hash = Math.imul(hash, 0xc2b2ae35);
	hash ^= hash >>> 16;
	return (hash >>> 0) / 0x1_0000_0000;
}

/**
 * Returns the path of the prerendered variant to serve for `pathname`, or null when the request
 * is not an experiment page or the cohort is the control. Both the page and its `__data.json` are
 * rewritten, so client-side navigation loads the same variant's data.
 */
export function variant_path(pathname: string, cohorts: Record<string, string>): string | null {
	const page = home_page_region(pathname);
	if (!page) return null;

	const variant = cohorts[HOME_HERO.key];
	if (!variant || variant === HOME_HERO.variants[0]) return null;
	if (!(HOME_HERO.variants as readonly string[]).includes(variant)) return null;

	const target = home_variant_path(page.region, variant as HomeHeroVariant);
	return page.is_data ? target + DATA_SUFFIX : target;
}

/** Names of the cohort cookies the response for `pathname` depends on. */
export function cohort_cookies_for(pathname: string): string[] {
	return home_page_region(pathname) ? [cohort_cookie_name(HOME_HERO.key)] : [];
}

/** Matches `/<region>` and `/<region>/__data.json`, the home page of the hero experiment. */
function home_page_region(pathname: string): { region: string; is_data: boolean } | null {
	const is_data = pathname.endsWith(DATA_SUFFIX);
	const page = is_data ? pathname.slice(0, -DATA_SUFFIX.length) : pathname;
	const region = page.slice(1);
	if (page.charCodeAt(0) !== 47 || !is_region_code(region)) return null;
	return { region, is_data };
}
