/**
 * Cookie reading and writing without a parser library: the edge reads two or three cookies per
 * request, so it scans the header for those names instead of parsing every pair.
 */

export interface CookieAttributes {
	/** Lifetime in seconds; 0 deletes the cookie. A session cookie when left out. */
	max_age?: number;
	/** Defaults to true. `false` only for cookies a script must read. */
	http_only?: boolean;
	/**
	 * Defaults to true, also in local development, because the `__Host-` prefix requires it.
	 * Chromium (checked with 156) keeps Secure cookies from http://localhost and
	 * http://127.0.0.1; over plain http on any other host browsers drop them.
	 */
	secure?: boolean;
	/** Defaults to `Lax`: sent on top-level navigations from other sites, not on subresources. */
	same_site?: 'Strict' | 'Lax' | 'None';
}

/**
 * Returns the value of the first cookie named `name` in a `Cookie` header, or null. Values are
 * returned as sent; the cookies written here never need percent-decoding.
 */
export function read_cookie(header: string | null, name: string): string | null {
	if (!header) return null;

	let start = 0;
	while (start < header.length) {
		let end = header.indexOf(';', start);
		if (end === -1) end = header.length;

		let name_start = start;
		while (name_start < end && header.charCodeAt(name_start) === 32) name_start++;
		const equals = header.indexOf('=', name_start);
		if (equals !== -1 && equals < end && header.slice(name_start, equals).trimEnd() === name) {
			return header.slice(equals + 1, end).trim();
		}
		start = end + 1;
	}
	return null;
}

/** Serializes a `Set-Cookie` value with every attribute written out, always with `Path=/`. */
export function serialize_cookie(
	name: string,
	value: string,
	attributes: CookieAttributes = {}
): string {
	let cookie = `${name}=${value}; Path=/`;
	if (attributes.max_age !== undefined) cookie += `; Max-Age=${Math.floor(attributes.max_age)}`;
	if (attributes.http_only ?? true) cookie += '; HttpOnly';
	if (attributes.secure ?? true) cookie += '; Secure';
	cookie += `; SameSite=${attributes.same_site ?? 'Lax'}`;
	return cookie;
}

/** Builds a `Set-Cookie` value that deletes the cookie, with the attributes it was set with. */
export function delete_cookie(name: string, attributes: CookieAttributes = {}): string {
	return serialize_cookie(name, '', { ...attributes, max_age: 0 });
}

/** Returns the name of the cookie a `Set-Cookie` value sets. */
export function set_cookie_name(set_cookie: string): string {
	const equals = set_cookie.indexOf('=');
	return (equals === -1 ? set_cookie : set_cookie.slice(0, equals)).trim();
}
