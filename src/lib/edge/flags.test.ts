import { describe, expect, test } from 'vitest';
import {
	DEFAULT_FLAGS,
	active_experiments,
	create_flag_document,
	parse_flag_document
} from './flags.ts';

describe('parse_flag_document', () => {
	test('accepts the defaults', () => {
		expect(parse_flag_document(structuredClone(DEFAULT_FLAGS))).toEqual({
			ok: true,
			flags: DEFAULT_FLAGS
		});
	});

	test('fills missing parts with defaults', () => {
		const result = parse_flag_document({ version: 1, features: { checkout: false } });
		expect(result).toEqual({
			ok: true,
			flags: { ...DEFAULT_FLAGS, features: { checkout: false, geo_redirect: true } }
		});
	});

	test('names each invalid field', () => {
		const result = parse_flag_document({
			version: 2,
			features: { checkout: 'no', dark_mode: true },
			experiments: {
				home_hero: { enabled: 1, weights: [50] },
				old_test: { enabled: true, weights: [1] }
			}
		});
		expect(result).toEqual({
			ok: false,
			errors: [
				'"version" must be 1.',
				'"features.checkout" must be true or false.',
				'"features.dark_mode" is not a known feature (checkout, geo_redirect).',
				'"experiments.home_hero.enabled" must be true or false.',
				'"experiments.home_hero.weights" must list 2 weights, one per variant (control, spotlight).',
				'"experiments.old_test" is not a known experiment.'
			]
		});
	});

	test('rejects invalid weights', () => {
		for (const weights of [
			[-1, 5],
			[0.5, 1],
			[0, 0],
			[20_000, 1]
		]) {
			const result = parse_flag_document({
				version: 1,
				experiments: { home_hero: { enabled: true, weights } }
			});
			expect(result.ok, JSON.stringify(weights)).toBe(false);
		}
	});

	test('ignores unknown keys when lenient', () => {
		const result = parse_flag_document(
			{ version: 1, features: { dark_mode: true }, experiments: { old_test: {} } },
			{ strict: false }
		);
		expect(result).toEqual({ ok: true, flags: DEFAULT_FLAGS });
	});

	test('rejects a non-object', () => {
		for (const input of [null, [], 'flags', 3]) {
			expect(parse_flag_document(input)).toEqual({
				ok: false,
				errors: ['The flag document must be a JSON object.']
			});
		}
	});
});

describe('active_experiments', () => {
	test('joins settings once per document', () => {
		const flags = structuredClone(DEFAULT_FLAGS);
		flags.experiments.home_hero = { enabled: false, weights: [10, 90] };
		const active = active_experiments(flags);
		expect(active).toEqual([
			{ key: 'home_hero', variants: ['control', 'spotlight'], enabled: false, weights: [10, 90] }
		]);
		expect(active_experiments(flags)).toBe(active);
	});
});

describe('create_flag_document', () => {
	function memory_store() {
		const blobs = new Map<string, unknown>();
		return {
			blobs,
			get: async (key: string) => blobs.get(key) ?? null,
			setJSON: async (key: string, value: unknown, options?: { onlyIfNew?: boolean }) => {
				if (options?.onlyIfNew && blobs.has(key)) return { modified: false };
				blobs.set(key, structuredClone(value));
				return { modified: true };
			}
		};
	}

	test('writes defaults into an empty store', async () => {
		const store = memory_store();
		expect(await create_flag_document(store)).toBe(true);
		expect(store.blobs.get('flags.json')).toEqual(DEFAULT_FLAGS);
	});

	test('keeps an existing document unless forced', async () => {
		const store = memory_store();
		const changed = { ...DEFAULT_FLAGS, features: { checkout: false, geo_redirect: true } };
		store.blobs.set('flags.json', changed);
		expect(await create_flag_document(store)).toBe(false);
		expect(store.blobs.get('flags.json')).toEqual(changed);

		expect(await create_flag_document(store, { force: true })).toBe(true);
		expect(store.blobs.get('flags.json')).toEqual(DEFAULT_FLAGS);
	});
});
