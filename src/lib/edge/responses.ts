/**
 * Responses the edge builds itself, and the headers it adds to every response. The edge's own
 * responses depend on the visitor (cookies, session, address), so they are never cached.
 */
import { set_cookie_name } from './cookies.ts';

export const NO_STORE = 'private, no-store';

/** Wait before retrying while a feature is switched off, in seconds. */
const MAINTENANCE_RETRY_S = 300;

export function text_response(status: number, message: string, headers?: HeadersInit): Response {
	const response = new Response(`${message}\n`, { status, headers });
	response.headers.set('content-type', 'text/plain; charset=utf-8');
	return response;
}

export function json_response(status: number, body: unknown, headers?: HeadersInit): Response {
	const response = new Response(JSON.stringify(body), { status, headers });
	response.headers.set('content-type', 'application/json');
	return response;
}

/** Builds a 302 or 303 redirect to a path on this site. */
export function redirect_response(location: string, status: 302 | 303 = 302): Response {
	return new Response(null, { status, headers: { location } });
}

/**
 * Builds the redirect SvelteKit's client expects in response to a `__data.json` request: a 200 with a
 * JSON body of type `redirect`, which makes the client navigate. An HTTP redirect would instead
 * be followed by `fetch` and feed the login page's HTML to the data parser.
 */
export function data_redirect_response(location: string): Response {
	return json_response(200, { type: 'redirect', location });
}

export function too_many_requests_response(retry_after_s: number): Response {
	return text_response(429, `Too many requests. Retry in ${retry_after_s} seconds.`, {
		'retry-after': String(retry_after_s)
	});
}

export function unauthorized_response(): Response {
	return json_response(401, {
		code: 'unauthenticated',
		message: 'Sign in to use this endpoint.'
	});
}

export function forbidden_response(role: string): Response {
	return json_response(403, {
		code: 'forbidden',
		message: `This endpoint requires the ${role} role.`
	});
}

/**
 * Builds the 503 served while a kill switch has turned a feature off: JSON for API paths and
 * SvelteKit data requests, else a page.
 */
export function maintenance_response(feature: string, wants_json: boolean): Response {
	const headers = { 'retry-after': String(MAINTENANCE_RETRY_S) };
	const message = `The ${feature} is switched off for maintenance. Please try again in a few minutes.`;
	if (wants_json) return json_response(503, { code: 'maintenance', message }, headers);

	const page =
		'<!doctype html><html lang="en"><head><meta charset="utf-8">' +
		'<meta name="viewport" content="width=device-width, initial-scale=1">' +
		`<title>Splitshop: ${feature} unavailable</title></head>` +
		`<body><main><h1>Back soon</h1><p>${message}</p><p><a href="/">Continue shopping</a></p></main></body></html>`;
	const response = new Response(page, { status: 503, headers });
	response.headers.set('content-type', 'text/html; charset=utf-8');
	return response;
}

export interface FinishOptions {
	request_id: string;
	/** Milliseconds the edge spent on this request. */
	edge_ms: number;
	/** `Set-Cookie` values from the edge steps. */
	set_cookies: readonly string[];
	/** Sets `Cache-Control: private, no-store`. */
	no_store: boolean;
	/** Cookie names a cacheable response depends on, for `Netlify-Vary`. */
	vary_cookies: readonly string[];
}

/**
 * Headers every page and API response gets unless the origin set its own: no framing by other
 * sites, no MIME sniffing, no full URLs in the Referer sent to other sites, HTTPS only for a year.
 */
const SECURITY_HEADERS: readonly [string, string][] = [
	['content-security-policy', "frame-ancestors 'none'"],
	['x-frame-options', 'DENY'],
	['x-content-type-options', 'nosniff'],
	['referrer-policy', 'strict-origin-when-cross-origin'],
	['strict-transport-security', 'max-age=31536000; includeSubDomains']
];

/**
 * Adds the edge's headers: `x-request-id`, `Server-Timing`, security headers, cookies, and cache
 * headers. A cookie
 * the origin response sets already wins over the edge's value for the same name, so a login
 * response's new session cookie is not followed by the edge deleting the old one.
 */
export function finish_response(response: Response, options: FinishOptions): Response {
	const headers = response.headers;
	headers.set('x-request-id', options.request_id);
	for (const [name, value] of SECURITY_HEADERS) {
		if (!headers.has(name)) headers.set(name, value);
	}
	headers.append('server-timing', `edge;dur=${options.edge_ms.toFixed(3)}`);

	if (options.set_cookies.length > 0) {
		const origin_cookies = headers.getSetCookie().map(set_cookie_name);
		for (const cookie of options.set_cookies) {
			if (!origin_cookies.includes(set_cookie_name(cookie))) headers.append('set-cookie', cookie);
		}
	}

	if (options.no_store) {
		headers.set('cache-control', NO_STORE);
	} else if (options.vary_cookies.length > 0) {
		const vary = `cookie=${options.vary_cookies.join('|')}`;
		const existing = headers.get('netlify-vary');
		headers.set('netlify-vary', existing ? `${existing},${vary}` : vary);
	}
	return response;
}
