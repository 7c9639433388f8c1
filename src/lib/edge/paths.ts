/** Path helpers shared by the edge steps. */
import { is_region_code, type RegionCode } from '../shared/regions.ts';

/** Suffix SvelteKit appends to a page path to fetch its data during client-side navigation. */
export const DATA_SUFFIX = '/__data.json';

/**
 * Returns the path as the origin router will match it, for matching rules: percent-decoded once (SvelteKit
 * decodes before routing, so `/%61ccount` reaches `/account`), repeated slashes collapsed, and
 * lowercased so a rule cannot be dodged by case.
 */
export function canonical_path(pathname: string): string {
	let path = pathname.includes('%') ? percent_decode(pathname) : pathname;
	if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
	return path.toLowerCase();
}

/** Decodes `%XX` escapes as UTF-8. Malformed escapes are left as they are, so it never throws. */
export function percent_decode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text.replace(/%[0-9a-fA-F]{2}/g, (escape) => {
			try {
				return decodeURIComponent(escape);
			} catch {
				return escape;
			}
		});
	}
}

/** Splits a SvelteKit data request path into the page path and a flag. */
export function split_data_suffix(pathname: string): { page: string; is_data: boolean } {
	if (!pathname.endsWith(DATA_SUFFIX)) return { page: pathname, is_data: false };
	const page = pathname.slice(0, -DATA_SUFFIX.length);
	return { page: page === '' ? '/' : page, is_data: true };
}

/** Checks whether `path` is `prefix` itself or below it, on a segment boundary. */
export function is_under(path: string, prefix: string): boolean {
	return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47);
}

/** Returns the region code that starts the path (`/uk/...`), or null. */
export function region_in_path(path: string): RegionCode | null {
	const end = path.indexOf('/', 1);
	const segment = end === -1 ? path.slice(1) : path.slice(1, end);
	return is_region_code(segment) ? segment : null;
}

/**
 * Checks whether the path is a prerendered catalog page or its data: the root, a region home,
 * its variants, categories and products. These responses are the same for every visitor of a
 * cohort.
 */
export function is_catalog_path(path: string): boolean {
	if (path === '/' || path === DATA_SUFFIX) return true;
	const region = region_in_path(path);
	if (!region) return false;

	const rest = path.slice(region.length + 1);
	return (
		rest === '' ||
		rest === DATA_SUFFIX ||
		is_under(rest, '/c') ||
		is_under(rest, '/p') ||
		is_under(rest, '/home')
	);
}
