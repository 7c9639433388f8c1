import { describe, expect, test } from 'vitest';
import {
	canonical_path,
	is_catalog_path,
	is_under,
	percent_decode,
	region_in_path,
	split_data_suffix
} from './paths.ts';

describe('canonical_path', () => {
	test('decodes, collapses slashes and lowercases', () => {
		expect(canonical_path('/%61ccount')).toBe('/account');
		expect(canonical_path('//API///Orders')).toBe('/api/orders');
		expect(canonical_path('/us/p/%E2%82%AC')).toBe('/us/p/€');
	});

	test('keeps malformed escapes', () => {
		expect(canonical_path('/a%zz%41')).toBe('/a%zza');
		expect(percent_decode('%E2%82')).toBe('%E2%82');
	});
});

describe('split_data_suffix', () => {
	test('splits data requests', () => {
		expect(split_data_suffix('/account/__data.json')).toEqual({ page: '/account', is_data: true });
		expect(split_data_suffix('/__data.json')).toEqual({ page: '/', is_data: true });
		expect(split_data_suffix('/account')).toEqual({ page: '/account', is_data: false });
	});
});

describe('is_under', () => {
	test('matches on segment boundaries', () => {
		expect(is_under('/account', '/account')).toBe(true);
		expect(is_under('/account/orders', '/account')).toBe(true);
		expect(is_under('/accounts', '/account')).toBe(false);
	});
});

describe('region_in_path', () => {
	test('reads the leading region', () => {
		expect(region_in_path('/uk/c/lamps')).toBe('uk');
		expect(region_in_path('/eu')).toBe('eu');
		expect(region_in_path('/usa')).toBeNull();
		expect(region_in_path('/')).toBeNull();
	});
});

describe('is_catalog_path', () => {
	test('accepts prerendered pages and their data', () => {
		for (const path of [
			'/',
			'/__data.json',
			'/us',
			'/us/__data.json',
			'/uk/c/lamps',
			'/eu/p/desk/__data.json',
			'/us/home/spotlight'
		]) {
			expect(is_catalog_path(path), path).toBe(true);
		}
	});

	test('rejects dynamic pages', () => {
		for (const path of [
			'/us/cart',
			'/account',
			'/api/orders',
			'/login',
			'/usa/c/x',
			'/us/checkout'
		]) {
			expect(is_catalog_path(path), path).toBe(false);
		}
	});
});
