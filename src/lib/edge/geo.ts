/**
 * First-visit routing by country. Only the root and region-less catalog paths redirect, and
 * every target starts with a region prefix, which this step never redirects: no loop.
 */
import { is_region_code, region_for_country, type RegionCode } from '../shared/regions.ts';

/**
 * Returns the visitor's region: the region switcher's cookie when it contains a valid code (an
 * explicit choice always wins), else the region of the geolocated country (`us` without one).
 */
export function visitor_region(region_cookie: string | null, country: string | null): RegionCode {
	return is_region_code(region_cookie) ? region_cookie : region_for_country(country);
}

/**
 * Returns where a GET or HEAD request for `pathname` should go, or null to serve it as is. `/`
 * goes to the region home, and `/c/<slug>` and `/p/<slug>` go to the same page under the region,
 * with the query string kept. Data requests (`/__data.json`) are never redirected.
 */
export function geo_redirect_location(
	pathname: string,
	search: string,
	region: RegionCode
): string | null {
	if (pathname === '/') return `/${region}${search}`;
	if (pathname.startsWith('/c/') || pathname.startsWith('/p/')) {
		if (pathname.length === 3 || pathname.endsWith('/__data.json')) return null;
		return `/${region}${pathname}${search}`;
	}
	return null;
}
