import { describe, expect, test, vi } from 'vitest';
import { TtlCache, type TtlCacheOptions } from './ttl_cache.ts';

function cache(load: () => Promise<string>, overrides: Partial<TtlCacheOptions<string>> = {}) {
	return new TtlCache<string>({
		load,
		fallback: 'fallback',
		ttl_ms: 1000,
		timeout_ms: 50,
		retry_ms: 200,
		...overrides
	});
}

describe('TtlCache', () => {
	test('waits for the first load', async () => {
		const values = cache(async () => 'v1');
		expect(await values.get(0)).toBe('v1');
	});

	test('loads once for concurrent first requests', async () => {
		const load = vi.fn(async () => 'v1');
		const values = cache(load);
		const results = await Promise.all([values.get(0), values.get(0), values.get(0)]);
		expect(results).toEqual(['v1', 'v1', 'v1']);
		expect(load).toHaveBeenCalledTimes(1);
	});

	test('falls back when loading fails', async () => {
		const on_error = vi.fn();
		const values = cache(() => Promise.reject(new Error('store down')), { on_error });
		expect(await values.get(0)).toBe('fallback');
		expect(on_error).toHaveBeenCalledWith(new Error('store down'));
	});

	test('falls back when loading hangs', async () => {
		const values = cache(() => new Promise<string>(() => {}));
		expect(await values.get(0)).toBe('fallback');
	});

	test('serves stale while refreshing', async () => {
		let version = 0;
		const values = cache(async () => `v${++version}`);
		expect(await values.get(0)).toBe('v1');
		expect(values.get(500)).toBe('v1');

		const pending: Promise<unknown>[] = [];
		expect(values.get(1500, (promise) => pending.push(promise))).toBe('v1');
		expect(pending).toHaveLength(1);
		await Promise.all(pending);
		expect(values.get(1600)).toBe('v2');
	});

	test('keeps the last good value', async () => {
		let fail = false;
		const values = cache(async () => {
			if (fail) throw new Error('store down');
			return 'good';
		});
		expect(await values.get(0)).toBe('good');
		fail = true;
		const pending: Promise<unknown>[] = [];
		values.get(2000, (promise) => pending.push(promise));
		await Promise.all(pending);
		expect(values.get(2100)).toBe('good');
	});

	test('waits retry_ms after a failure', async () => {
		const load = vi.fn(() => Promise.reject(new Error('store down')));
		const values = cache(load);
		await values.get(0);
		values.get(100);
		expect(load).toHaveBeenCalledTimes(1);

		const pending: Promise<unknown>[] = [];
		values.get(250, (promise) => pending.push(promise));
		await Promise.all(pending);
		expect(load).toHaveBeenCalledTimes(2);
	});
});
