import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_URL_LENGTH, check_request, has_traversal, is_probe } from './guard.ts';

const SITE = 'https://shop.example';

function check(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
	return check_request(init.method ?? 'GET', SITE + path, new Headers(init.headers));
}

/** Ways to write `.` and `/` that decoders along the way may turn back into a traversal. */
const DOT = ['.', '%2e', '%2E', '%252e', '%25252e'];
const SLASH = ['/', '%2f', '%2F', '%252f', '\\', '%5c', '%255c'];

const traversal = fc
	.tuple(fc.constantFrom(...DOT), fc.constantFrom(...DOT), fc.constantFrom(...SLASH))
	.map(([first, second, slash]) => `${first}${second}${slash}`);
const safe_segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);

describe('check_request', () => {
	test('passes catalog paths', () => {
		for (const path of [
			'/',
			'/us',
			'/uk/c/lamps',
			'/eu/p/oak-desk?ref=home',
			'/.well-known/security.txt',
			'/us/__data.json'
		]) {
			expect(check(path), path).toBeNull();
		}
	});

	test('rejects encoded traversals with 400', () => {
		for (const path of [
			'/us/p/..%2f..%2fetc%2fpasswd',
			'/us/%2e%2e%2fsecret',
			'/us/p/%252e%252e%252fsecret',
			'/static/..%5c..%5cwindows',
			'/us/p/%c0%ae%c0%ae/secret',
			'/us/p/%e0%80%ae',
			'/us/p/%u002e%u002e/x',
			'/us/p/lamp%00.html',
			'/search?file=../../etc/passwd',
			'/us/p/%25252525252e'
		]) {
			expect(check(path)?.status, path).toBe(400);
		}
	});

	test('rejects raw traversal text', () => {
		// Deno and Node resolve literal `..` while parsing the URL, so there this case never reaches
		// the guard. A runtime that passes the text through still gets a 400.
		expect(check_request('GET', `${SITE}/a/../../etc/passwd`, new Headers())?.status).toBe(400);
	});

	test('answers scanner probes with 404', () => {
		for (const path of [
			'/wp-admin/setup.php',
			'/.env',
			'/.env.local',
			'/.git/config',
			'/phpmyadmin/',
			'/WP-LOGIN.PHP',
			'/us/index.php',
			'/%2eenv',
			'/cgi-bin/test'
		]) {
			expect(check(path)?.status, path).toBe(404);
		}
	});

	test('answers disallowed methods with 405', () => {
		for (const method of ['TRACE', 'CONNECT', 'PROPFIND', 'TRACK']) {
			expect(check('/', { method })?.status, method).toBe(405);
		}
	});

	test('answers oversized URLs with 414', () => {
		expect(check('/us?q=' + 'a'.repeat(MAX_URL_LENGTH))?.status).toBe(414);
	});

	test('answers oversized headers with 431', () => {
		expect(check('/', { headers: { cookie: 'a'.repeat(9000) } })?.status).toBe(431);
		const many: Record<string, string> = {};
		for (let index = 0; index < 101; index++) many[`x-h${index}`] = '1';
		expect(check('/', { headers: many })?.status).toBe(431);
	});

	test('forbids cross-site form posts', () => {
		for (const content_type of [
			'application/x-www-form-urlencoded',
			'TEXT/PLAIN;charset=UTF-8',
			'multipart/form-data; boundary=x'
		]) {
			const headers = { origin: 'https://evil.example', 'content-type': content_type };
			expect(check('/us/cart', { method: 'POST', headers })?.status, content_type).toBe(403);
			const no_origin = { 'content-type': content_type };
			expect(check('/us/cart', { method: 'POST', headers: no_origin })?.status, content_type).toBe(
				403
			);
		}
	});

	test('passes same-site and Origin-less posts', () => {
		expect(
			check('/us/cart', { method: 'POST', headers: { origin: SITE, 'content-type': 'text/plain' } })
		).toBeNull();
		expect(
			check('/api/checkout', { method: 'POST', headers: { 'content-type': 'application/json' } })
		).toBeNull();
	});

	test('finds traversals in any encoding', () => {
		fc.assert(
			fc.property(
				fc.array(safe_segment, { maxLength: 5 }),
				traversal,
				fc.array(safe_segment, { maxLength: 5 }),
				(before, attack, after) => {
					const path = `/${[...before, attack + (after.join('/') || 'x')].join('/')}`;
					expect(check(path)?.status).toBe(400);
				}
			)
		);
	});

	test('passes paths of safe segments', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('us', 'uk', 'eu'),
				fc.array(safe_segment, { maxLength: 6 }),
				(region, segments) => {
					expect(check(`/${[region, ...segments].join('/')}`)).toBeNull();
				}
			)
		);
	});

	test('never throws on arbitrary input', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 50 }), (path, origin) => {
				const result = check_request(
					'POST',
					`${SITE}/${path}`,
					new Headers({ origin: origin.replace(/[^\x21-\x7e]/g, '') })
				);
				expect(result === null || typeof result.status === 'number').toBe(true);
			})
		);
	});
});

describe('has_traversal', () => {
	test('stays linear on adversarial input', () => {
		// Patterns that make backtracking matchers explode: long runs of partial matches.
		const inputs = [
			'.'.repeat(100_000),
			'%2'.repeat(50_000),
			'%25'.repeat(50_000),
			'/.'.repeat(50_000) + 'x',
			'..a'.repeat(40_000)
		];
		for (const input of inputs) {
			const started = performance.now();
			has_traversal(input);
			expect(performance.now() - started, input.slice(0, 6)).toBeLessThan(100);
		}
	});
});

describe('is_probe', () => {
	test('allows the dev server module paths', () => {
		expect(is_probe('/@fs/app/.svelte-kit/generated/client/app.js')).toBe(false);
		expect(is_probe('/node_modules/.vite/deps/svelte.js')).toBe(false);
	});

	test('allows .well-known and .netlify', () => {
		expect(is_probe('/.well-known/assetlinks.json')).toBe(false);
		expect(is_probe('/.netlify/functions/x')).toBe(false);
		expect(is_probe('/us/p/wordpress-book')).toBe(false);
	});
});
