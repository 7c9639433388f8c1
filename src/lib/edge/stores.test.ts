import { describe, expect, test, vi } from 'vitest';
import { DEFAULT_FLAGS } from './flags.ts';
import { create_store_caches, type GetStore } from './stores.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

function stores(documents: { flags?: unknown; revoked?: string[]; fail?: boolean }): GetStore {
	return (name) => ({
		get: async () => {
			if (documents.fail) throw new Error(`store ${name} down`);
			return documents.flags ?? null;
		},
		list: async () => {
			if (documents.fail) throw new Error(`store ${name} down`);
			return { blobs: (documents.revoked ?? []).map((key) => ({ key })) };
		}
	});
}

describe('create_store_caches', () => {
	test('reads a stored flag document', async () => {
		const flags = { version: 1, features: { checkout: false } };
		const caches = create_store_caches(stores({ flags }), vi.fn(), () => NOW);
		expect((await caches.flags.get(NOW)).features.checkout).toBe(false);
	});

	test('uses defaults without a document', async () => {
		const caches = create_store_caches(stores({}), vi.fn(), () => NOW);
		expect(await caches.flags.get(NOW)).toBe(DEFAULT_FLAGS);
	});

	test('rejects an invalid document and logs', async () => {
		const log = vi.fn();
		const caches = create_store_caches(stores({ flags: { version: 7 } }), log, () => NOW);
		expect(await caches.flags.get(NOW)).toBe(DEFAULT_FLAGS);
		expect(log).toHaveBeenCalledTimes(1);
		expect(log.mock.calls[0]?.[0]).toContain('"version" must be 1.');
	});

	test('lists revoked sessions', async () => {
		const revoked = [`${NOW / 1000 + 60}.session-a`, `${NOW / 1000 - 60}.session-b`];
		const caches = create_store_caches(stores({ revoked }), vi.fn(), () => NOW);
		expect([...(await caches.revoked_sessions.get(NOW))]).toEqual(['session-a']);
	});

	test('throttles failure logs', async () => {
		const log = vi.fn();
		let now = NOW;
		const caches = create_store_caches(stores({ fail: true }), log, () => now);
		for (let attempt = 0; attempt < 5; attempt++) {
			const pending: Promise<unknown>[] = [];
			await caches.flags.get(now, (promise) => pending.push(promise));
			await Promise.all(pending);
			now += 20_000;
		}
		expect(log).toHaveBeenCalledTimes(1);

		now += 5 * 60_000;
		const pending: Promise<unknown>[] = [];
		caches.flags.get(now, (promise) => pending.push(promise));
		await Promise.all(pending);
		expect(log).toHaveBeenCalledTimes(2);
		expect(log.mock.calls[1]?.[0]).toContain('(4 more failures since the last report)');
	});
});
