import { is_region_code, type RegionCode } from '$lib/shared/regions.ts';

const MAX_LENGTH = 2048;

/**
 * Returns the path to redirect to after choosing `region`, or undefined when `next` is not a
 * same-site path. A path under a region gets the new region as its first segment, `/` becomes the
 * region's home page, and any other path (login, account) is kept as it is.
 */
export function next_path(next: unknown, region: RegionCode): string | undefined {
	if (typeof next !== 'string' || next.length > MAX_LENGTH) return undefined;
	// `//host` and `/\host` are protocol-relative to browsers, and browsers drop tabs and line
	// breaks from URLs, so `/\t/host` would become `//host`.
	if (!next.startsWith('/') || next.startsWith('//') || /[\\\s\p{Cc}]/u.test(next)) {
		return undefined;
	}

	const url = new URL(next, 'http://localhost');
	if (url.origin !== 'http://localhost') return undefined;

	// Dot segments are resolved by now, and `/a/../..//host` resolves to `//host`.
	if (url.pathname.startsWith('//')) return undefined;

	const segments = url.pathname.split('/');
	if (is_region_code(segments[1])) {
		segments[1] = region;
		return segments.join('/') + url.search;
	}
	if (url.pathname === '/') return `/${region}`;
	return url.pathname + url.search;
}
