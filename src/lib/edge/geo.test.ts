import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { REGIONS } from '../shared/regions.ts';
import { geo_redirect_location, visitor_region } from './geo.ts';

describe('visitor_region', () => {
	test('maps countries, cookie first', () => {
		expect(visitor_region(null, 'GB')).toBe('uk');
		expect(visitor_region(null, 'fr')).toBe('eu');
		expect(visitor_region(null, 'CA')).toBe('us');
		expect(visitor_region(null, null)).toBe('us');
		expect(visitor_region('eu', 'GB')).toBe('eu');
		expect(visitor_region('mars', 'GB')).toBe('uk');
	});
});

describe('geo_redirect_location', () => {
	test('redirects region-less catalog paths', () => {
		expect(geo_redirect_location('/', '', 'uk')).toBe('/uk');
		expect(geo_redirect_location('/', '?utm=x', 'eu')).toBe('/eu?utm=x');
		expect(geo_redirect_location('/c/lamps', '', 'us')).toBe('/us/c/lamps');
		expect(geo_redirect_location('/p/oak-desk', '?v=2', 'uk')).toBe('/uk/p/oak-desk?v=2');
	});

	test('leaves other paths alone', () => {
		for (const path of [
			'/us',
			'/uk/c/lamps',
			'/c/',
			'/login',
			'/cart',
			'/c/lamps/__data.json',
			'/__data.json',
			'/contact'
		]) {
			expect(geo_redirect_location(path, '', 'uk'), path).toBeNull();
		}
	});

	test('never redirects its own target', () => {
		const path = fc.oneof(
			fc.constant('/'),
			fc.stringMatching(/^\/[cp]\/[a-z0-9-]{1,10}$/),
			fc.stringMatching(/^\/[a-z/]{0,12}$/)
		);
		fc.assert(
			fc.property(
				path,
				fc.constantFrom(...REGIONS.map((region) => region.code)),
				(pathname, region) => {
					const target = geo_redirect_location(pathname, '', region);
					if (target !== null) expect(geo_redirect_location(target, '', region)).toBeNull();
				}
			)
		);
	});
});
