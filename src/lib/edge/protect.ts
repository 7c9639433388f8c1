/**
 * Paths that need a signed-in visitor, and the response an anonymous request to them gets: pages
 * redirect to the login page with a same-site `next`, and API routes respond with 401 JSON.
 */
import type { SessionRole } from '../shared/session/policy.ts';
import { canonical_path, is_under, split_data_suffix } from './paths.ts';

export const LOGIN_PATH = '/login';

export interface Protection {
	kind: 'page' | 'api';
	/** Role required beyond being signed in. */
	role?: SessionRole;
}

const PROTECTED_PAGES = ['/account', '/checkout'];
const PROTECTED_API = ['/api/orders', '/api/account', '/api/checkout'];
const ADMIN_API = ['/api/admin'];

/** Returns the protection of a path (matched in canonical form), or null for a public path. */
export function protection_for(pathname: string): Protection | null {
	const path = canonical_path(pathname);
	if (ADMIN_API.some((prefix) => is_under(path, prefix))) return { kind: 'api', role: 'admin' };
	if (PROTECTED_API.some((prefix) => is_under(path, prefix))) return { kind: 'api' };
	if (PROTECTED_PAGES.some((prefix) => is_under(path, prefix))) return { kind: 'page' };
	return null;
}

/**
 * Builds the login URL that returns to `url` afterwards. For a SvelteKit data request the page's own
 * path is used, without `/__data.json` and SvelteKit's query parameters.
 */
export function login_location(url: URL): string {
	const { page, is_data } = split_data_suffix(url.pathname);
	let search = url.search;
	if (is_data) {
		const params = new URLSearchParams(url.search);
		params.delete('x-sveltekit-invalidated');
		params.delete('x-sveltekit-trailing-slash');
		const rest = params.toString();
		search = rest ? `?${rest}` : '';
	}
	return `${LOGIN_PATH}?next=${encodeURIComponent(page + search)}`;
}

/**
 * Returns `next` when it is a path on this site, else `/`. A value such as `//evil.example` or
 * `/\evil.example` is a protocol-relative URL to browsers, so only a single leading slash passes.
 */
export function safe_next_path(next: string | null | undefined): string {
	if (!next || next.charCodeAt(0) !== 47) return '/';
	const second = next.charCodeAt(1);
	if (second === 47 || second === 92) return '/';

	for (let index = 0; index < next.length; index++) {
		const code = next.charCodeAt(index);
		if (code < 32 || code === 127 || code === 92) return '/';
	}

	const base = 'http://next.invalid';
	const resolved = new URL(next, base);
	if (resolved.origin !== base) return '/';
	// Resolving dot segments can make a protocol-relative path again: `/.//host` becomes `//host`.
	if (resolved.pathname.startsWith('//')) return '/';
	return resolved.pathname + resolved.search + resolved.hash;
}
