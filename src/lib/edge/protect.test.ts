import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { login_location, protection_for, safe_next_path } from './protect.ts';

describe('protection_for', () => {
	test('protects account and checkout pages', () => {
		for (const path of [
			'/account',
			'/account/orders',
			'/account/__data.json',
			'/checkout',
			'/Checkout/'
		]) {
			expect(protection_for(path), path).toEqual({ kind: 'page' });
		}
	});

	test('protects the private API', () => {
		for (const path of ['/api/orders', '/api/orders/17', '/api/account/address', '/api/checkout']) {
			expect(protection_for(path), path).toEqual({ kind: 'api' });
		}
		expect(protection_for('/api/admin/flags')).toEqual({ kind: 'api', role: 'admin' });
	});

	test('leaves public paths alone', () => {
		for (const path of [
			'/',
			'/us',
			'/accounts',
			'/login',
			'/api/products',
			'/us/cart',
			'/api/ordersx'
		]) {
			expect(protection_for(path), path).toBeNull();
		}
	});
});

describe('login_location', () => {
	test('encodes path and query', () => {
		expect(login_location(new URL('https://shop.example/account'))).toBe('/login?next=%2Faccount');
		expect(login_location(new URL('https://shop.example/account/orders?page=2'))).toBe(
			'/login?next=%2Faccount%2Forders%3Fpage%3D2'
		);
	});

	test('uses the page for data requests', () => {
		const url = new URL(
			'https://shop.example/account/__data.json?x-sveltekit-invalidated=01&tab=a'
		);
		expect(login_location(url)).toBe('/login?next=%2Faccount%3Ftab%3Da');
	});
});

describe('safe_next_path', () => {
	test('keeps same-site paths', () => {
		expect(safe_next_path('/account')).toBe('/account');
		expect(safe_next_path('/account/orders?page=2#top')).toBe('/account/orders?page=2#top');
	});

	test('replaces foreign targets with /', () => {
		for (const next of [
			'//evil.example',
			'/\\evil.example',
			'https://evil.example',
			'javascript:alert(1)',
			'',
			null,
			'/\t/evil.example',
			'evil',
			'/.//evil.example',
			'/%2e//evil.example',
			'/a/..//evil.example'
		]) {
			expect(safe_next_path(next), String(next)).toBe('/');
		}
	});

	test('never resolves to a protocol-relative path', () => {
		// Paths built from the pieces that can collapse into `//host` when dot segments resolve.
		const piece = fc.constantFrom('/', '.', '..', '%2e', '%2E', '\\', 'evil.example', 'a');
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
				const result = safe_next_path('/' + pieces.join(''));
				expect(result.startsWith('//')).toBe(false);
			})
		);
	});

	test('always returns a single-slash path', () => {
		fc.assert(
			fc.property(fc.string(), (next) => {
				const result = safe_next_path(next);
				expect(result.startsWith('/')).toBe(true);
				expect(result.startsWith('//')).toBe(false);
				expect(new URL(result, 'https://shop.example').origin).toBe('https://shop.example');
			})
		);
	});
});
