import { describe, expect, test } from 'vitest';
import { next_path } from './next_path.ts';

describe('next_path', () => {
	test('swaps the region prefix', () => {
		expect(next_path('/us/p/linen-apron', 'uk')).toBe('/uk/p/linen-apron');
		expect(next_path('/eu/c/garden', 'us')).toBe('/us/c/garden');
		expect(next_path('/uk', 'eu')).toBe('/eu');
		expect(next_path('/us/cart', 'eu')).toBe('/eu/cart');
	});

	test('maps the root to the region home', () => {
		expect(next_path('/', 'uk')).toBe('/uk');
	});

	test('keeps paths outside regions', () => {
		expect(next_path('/login', 'uk')).toBe('/login');
		expect(next_path('/account/orders', 'eu')).toBe('/account/orders');
	});

	test('keeps the query string', () => {
		expect(next_path('/us/cart?step=1', 'uk')).toBe('/uk/cart?step=1');
	});

	test('rejects off-site and malformed values', () => {
		const rejected: unknown[] = [
			undefined,
			null,
			42,
			'',
			'us/p/x',
			'//evil.example',
			'//evil.example/us',
			'/\\evil.example',
			'/\t/evil.example',
			'/\n/evil.example',
			'https://evil.example/us',
			'javascript:alert(1)',
			'/us/p/x\\y',
			'/us/../..//evil.example',
			'/./..//evil.example',
			'/' + 'a'.repeat(2048)
		];
		for (const value of rejected) {
			expect(next_path(value, 'us'), String(value)).toBeUndefined();
		}
	});
});
