/**
 * The first edge step: rejects requests no page or endpoint of the shop serves, before any other
 * work and without calling the origin. Every check is a single pass over the input (no
 * backtracking patterns), so its cost grows linearly with the URL and header sizes, which are
 * capped first.
 */

import { canonical_path } from './paths.ts';

export interface Rejection {
	status: 400 | 403 | 404 | 405 | 414 | 431;
	message: string;
}

export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Longest URL accepted, origin included, in characters. */
export const MAX_URL_LENGTH = 4096;
/** Largest total of header names and values, in characters. */
export const MAX_HEADERS_SIZE = 16 * 1024;
/** Largest single header value, in characters. */
export const MAX_HEADER_SIZE = 8 * 1024;
export const MAX_HEADER_COUNT = 100;

/** Percent-decoding rounds tried before a URL counts as suspiciously nested. */
const MAX_DECODE_ROUNDS = 3;

/** First path segments that scanners probe for; the shop has none of them. */
const PROBE_SEGMENTS = new Set([
	'wp-admin',
	'wp-content',
	'wp-includes',
	'wp-json',
	'wp-login.php',
	'xmlrpc.php',
	'phpmyadmin',
	'pma',
	'myadmin',
	'cgi-bin',
	'server-status',
	'actuator',
	'vendor'
]);

/** File extensions of server scripts the shop never serves. */
const PROBE_EXTENSIONS = ['.php', '.asp', '.aspx', '.jsp', '.cgi'];

/** Dot segments that are real: `.well-known` (RFC 8615) and Netlify's own `/.netlify/*`. */
// Vite's dev server (`npm run dev`) serves the client modules from `/@fs/.../.svelte-kit/` and
// `/node_modules/.vite/`; builds publish neither folder, so these names expose nothing deployed.
const ALLOWED_DOT_SEGMENTS = new Set(['.well-known', '.netlify', '.svelte-kit', '.vite']);

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_CONTENT_TYPES = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain'
]);

/**
 * Checks method, URL size, header sizes, path traversal, scanner probes and cross-site writes,
 * and returns null when the request may go on. `url` is the request URL text. Runtimes that
 * build `Request` with WHATWG URL parsing (Deno, Node) have already resolved literal `..`
 * segments within the site root, so there only encoded traversals reach this check.
 */
export function check_request(method: string, url: string, headers: Headers): Rejection | null {
	if (!ALLOWED_METHODS.includes(method)) {
		return { status: 405, message: `Method ${method} is not allowed.` };
	}
	if (url.length > MAX_URL_LENGTH) {
		return { status: 414, message: `The URL is longer than ${MAX_URL_LENGTH} characters.` };
	}

	const header_rejection = check_headers(headers);
	if (header_rejection) return header_rejection;

	const path_start = url.indexOf('/', url.indexOf('//') + 2);
	const target = path_start === -1 ? '/' : url.slice(path_start);
	const fragment = target.indexOf('#');
	const path_and_query = fragment === -1 ? target : target.slice(0, fragment);

	if (has_traversal(path_and_query)) {
		return { status: 400, message: 'The URL contains a path traversal or an invalid escape.' };
	}

	const query = path_and_query.indexOf('?');
	const path = query === -1 ? path_and_query : path_and_query.slice(0, query);
	if (is_probe(canonical_path(path))) return { status: 404, message: 'Not found.' };

	if (UNSAFE_METHODS.has(method) && is_cross_site(url, headers)) {
		return { status: 403, message: `Cross-site ${method} requests are forbidden.` };
	}
	return null;
}

function check_headers(headers: Headers): Rejection | null {
	let count = 0;
	let total = 0;
	for (const [name, value] of headers) {
		count++;
		total += name.length + value.length;
		if (value.length > MAX_HEADER_SIZE) {
			return {
				status: 431,
				message: `The ${name} header is longer than ${MAX_HEADER_SIZE} characters.`
			};
		}
	}
	if (count > MAX_HEADER_COUNT || total > MAX_HEADERS_SIZE) {
		return { status: 431, message: 'The request headers are too large.' };
	}
	return null;
}

/**
 * Finds `..` segments in the raw text and after each of up to `MAX_DECODE_ROUNDS` rounds of
 * percent-decoding (`%2e%2e%2f`, `..%252f`). Also rejects escapes that have no use in a real
 * URL but hide separators from naive decoders: NUL, overlong UTF-8 (`%c0%ae`) and `%u002e`.
 */
export function has_traversal(text: string): boolean {
	let current = text;
	for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
		if (has_dot_dot_segment(current) || current.includes('\0')) return true;
		if (!current.includes('%')) return false;
		if (has_forbidden_escape(current)) return true;

		const decoded = decode_escapes(current);
		if (decoded === current) return false;
		current = decoded;
	}
	// Still encoded after the last round: nested that deep, it is an evasion attempt.
	return current.includes('%');
}

function is_separator(code: number): boolean {
	return code === 47 || code === 92; // '/' or '\'
}

function has_dot_dot_segment(text: string): boolean {
	let index = text.indexOf('..');
	while (index !== -1) {
		const before = index === 0 || is_separator(text.charCodeAt(index - 1));
		const next = text.charCodeAt(index + 2);
		const after = index + 2 === text.length || is_separator(next) || next === 63 || next === 59; // '?' ';'
		if (before && after) return true;
		index = text.indexOf('..', index + 1);
	}
	return false;
}

function has_forbidden_escape(text: string): boolean {
	let index = text.indexOf('%');
	while (index !== -1) {
		const first = text.charCodeAt(index + 1) | 32; // lowercase
		const second = text.charCodeAt(index + 2) | 32;
		if (first === 117) return true; // %u
		if (first === 48 && second === 48) return true; // %00
		if (first === 99 && (second === 48 || second === 49)) return true; // %c0, %c1
		if (first === 101 && second === 48 && is_overlong_continuation(text, index + 3)) return true;
		index = text.indexOf('%', index + 1);
	}
	return false;
}

/** `%e0` followed by `%80`-`%9f` starts an overlong three-byte sequence. */
function is_overlong_continuation(text: string, index: number): boolean {
	if (text.charCodeAt(index) !== 37) return false;
	const first = text.charCodeAt(index + 1);
	return first === 56 || first === 57; // '8' or '9'
}

function hex_value(code: number): number {
	if (code >= 48 && code <= 57) return code - 48;
	const lower = code | 32;
	if (lower >= 97 && lower <= 102) return lower - 87;
	return -1;
}

/** Replaces each `%XX` with the character of that byte value; leaves other `%` as they are. */
function decode_escapes(text: string): string {
	let result = '';
	let copied = 0;
	let index = text.indexOf('%');
	while (index !== -1) {
		const high = hex_value(text.charCodeAt(index + 1));
		const low = hex_value(text.charCodeAt(index + 2));
		if (high !== -1 && low !== -1) {
			result += text.slice(copied, index) + String.fromCharCode(high * 16 + low);
			copied = index + 3;
			index = text.indexOf('%', copied);
		} else {
			index = text.indexOf('%', index + 1);
		}
	}
	return result + text.slice(copied);
}

/**
 * Checks whether a canonical path (see `canonical_path`) looks for software the shop does not
 * run: WordPress, database admin tools, dotfiles such as `.env` and `.git`, server scripts.
 */
export function is_probe(lower: string): boolean {
	let start = 1;
	let first = true;
	while (start <= lower.length) {
		let end = lower.indexOf('/', start);
		if (end === -1) end = lower.length;
		const segment = lower.slice(start, end);

		if (segment.charCodeAt(0) === 46 && segment.length > 1 && !ALLOWED_DOT_SEGMENTS.has(segment)) {
			return true;
		}
		if (first && PROBE_SEGMENTS.has(segment)) return true;
		if (PROBE_EXTENSIONS.some((extension) => segment.endsWith(extension))) return true;

		first = false;
		start = end + 1;
	}
	return false;
}

/**
 * Checks whether a write comes from another site. Browsers send `Origin` with every cross-origin
 * write. Without it, only form content types are rejected: a cross-site form can send those
 * without a CORS preflight, while API clients and curl send no `Origin` at all.
 */
function is_cross_site(url: string, headers: Headers): boolean {
	const origin = headers.get('origin');
	if (origin !== null) return origin !== new URL(url).origin;

	const content_type = headers.get('content-type');
	if (!content_type) return false;
	const semicolon = content_type.indexOf(';');
	const media_type = (semicolon === -1 ? content_type : content_type.slice(0, semicolon))
		.trim()
		.toLowerCase();
	return FORM_CONTENT_TYPES.has(media_type);
}
