import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
	COHORT_MAX_AGE_S,
	assign_cohorts,
	bucket,
	cohort_cookie_name,
	cohort_cookies_for,
	pick_variant,
	variant_path
} from './cohorts.ts';
import type { ActiveExperiment } from './flags.ts';

const HERO: ActiveExperiment = {
	key: 'home_hero',
	variants: ['control', 'spotlight'],
	weights: [50, 50],
	enabled: true
};

/** Experiments with 2 to 4 variants and integer weights, at least one of them positive. */
const experiments = fc
	.integer({ min: 2, max: 4 })
	.chain((count) =>
		fc.record({
			key: fc.stringMatching(/^[a-z_]{1,12}$/),
			variants: fc.constant(Array.from({ length: count }, (_, index) => `v${index}`)),
			weights: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: count, maxLength: count })
		})
	)
	.filter((experiment) => experiment.weights.some((weight) => weight > 0));

describe('pick_variant', () => {
	test('is deterministic per unit', () => {
		fc.assert(
			fc.property(experiments, fc.uuid(), (experiment, unit) => {
				expect(pick_variant(experiment, unit)).toBe(pick_variant(experiment, unit));
			})
		);
	});

	test('never picks a zero-weight variant', () => {
		fc.assert(
			fc.property(experiments, fc.uuid(), (experiment, unit) => {
				const variant = pick_variant(experiment, unit);
				const index = experiment.variants.indexOf(variant);
				expect(index).not.toBe(-1);
				expect(experiment.weights[index]).toBeGreaterThan(0);
			})
		);
	});

	test('splits near the weights', () => {
		fc.assert(
			fc.property(experiments, fc.integer(), (experiment, seed) => {
				const total = experiment.weights.reduce((sum, weight) => sum + weight, 0);
				const counts = new Map<string, number>();
				const samples = 4000;
				for (let index = 0; index < samples; index++) {
					const variant = pick_variant(experiment, `${seed}-${index}`);
					counts.set(variant, (counts.get(variant) ?? 0) + 1);
				}
				experiment.variants.forEach((variant, index) => {
					const expected = (experiment.weights[index] as number) / total;
					const observed = (counts.get(variant) ?? 0) / samples;
					// 4000 samples: one standard deviation is at most 0.8 points, so 4 points is 5 sigma.
					expect(Math.abs(observed - expected)).toBeLessThan(0.04);
				});
			}),
			{ numRuns: 50 }
		);
	});
});

describe('bucket', () => {
	test('stays in [0, 1)', () => {
		fc.assert(
			fc.property(fc.string(), fc.string(), (key, unit) => {
				const value = bucket(key, unit);
				expect(value).toBeGreaterThanOrEqual(0);
				expect(value).toBeLessThan(1);
			})
		);
	});

	test('is independent across experiments', () => {
		let same_half = 0;
		for (let index = 0; index < 4000; index++) {
			const unit = `unit-${index}`;
			if (bucket('first', unit) < 0.5 === bucket('second', unit) < 0.5) same_half++;
		}
		expect(same_half / 4000).toBeGreaterThan(0.46);
		expect(same_half / 4000).toBeLessThan(0.54);
	});
});

describe('assign_cohorts', () => {
	test('keeps a valid cookie', () => {
		const result = assign_cohorts([HERO], `${cohort_cookie_name('home_hero')}=spotlight`, 'unit');
		expect(result).toEqual({ cohorts: { home_hero: 'spotlight' }, set_cookies: [] });
	});

	test('sets a full cookie for newcomers', () => {
		const result = assign_cohorts([HERO], null, 'unit-1');
		const variant = result.cohorts.home_hero;
		expect(result.set_cookies).toEqual([
			`__Host-cohort_home_hero=${variant}; Path=/; Max-Age=${COHORT_MAX_AGE_S}; HttpOnly; Secure; SameSite=Lax`
		]);
	});

	test('reassigns an unknown or zero-weight variant', () => {
		const unknown = assign_cohorts([HERO], '__Host-cohort_home_hero=retired', 'unit-1');
		expect(unknown.set_cookies).toHaveLength(1);

		const drained = assign_cohorts(
			[{ ...HERO, weights: [100, 0] }],
			'__Host-cohort_home_hero=spotlight',
			'unit-1'
		);
		expect(drained.cohorts.home_hero).toBe('control');
		expect(drained.set_cookies).toHaveLength(1);
	});

	test('serves control while disabled', () => {
		const result = assign_cohorts(
			[{ ...HERO, enabled: false }],
			'__Host-cohort_home_hero=spotlight',
			'unit-1'
		);
		expect(result).toEqual({ cohorts: { home_hero: 'control' }, set_cookies: [] });
	});

	test('makes the next request sticky', () => {
		fc.assert(
			fc.property(fc.uuid(), (unit) => {
				const first = assign_cohorts([HERO], null, unit);
				const cookie = (first.set_cookies[0] as string).split(';')[0] as string;
				const second = assign_cohorts([HERO], cookie, 'another-unit');
				expect(second.cohorts).toEqual(first.cohorts);
				expect(second.set_cookies).toEqual([]);
			})
		);
	});
});

describe('variant_path', () => {
	test('rewrites home pages and their data', () => {
		expect(variant_path('/us', { home_hero: 'spotlight' })).toBe('/us/home/spotlight');
		expect(variant_path('/eu/__data.json', { home_hero: 'spotlight' })).toBe(
			'/eu/home/spotlight/__data.json'
		);
	});

	test('skips control and other pages', () => {
		expect(variant_path('/us', { home_hero: 'control' })).toBeNull();
		expect(variant_path('/us/c/lamps', { home_hero: 'spotlight' })).toBeNull();
		expect(variant_path('/', { home_hero: 'spotlight' })).toBeNull();
		expect(variant_path('/xx', { home_hero: 'spotlight' })).toBeNull();
		expect(variant_path('/us', { home_hero: 'unknown' })).toBeNull();
	});
});

describe('cohort_cookies_for', () => {
	test('names the hero cookie on home', () => {
		expect(cohort_cookies_for('/uk')).toEqual(['__Host-cohort_home_hero']);
		expect(cohort_cookies_for('/uk/__data.json')).toEqual(['__Host-cohort_home_hero']);
		expect(cohort_cookies_for('/uk/p/lamp')).toEqual([]);
	});
});
