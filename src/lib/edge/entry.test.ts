import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { bundle_edge } from '../../../scripts/bundle_edge.ts';

const get_store = vi.fn();
vi.mock('@netlify/blobs', () => ({ getStore: get_store }));

const ENTRY = '../../../netlify/edge-functions/pipeline.ts';

/** Builds a minimal Netlify `Context` whose `next` responds with 200. */
function netlify_context() {
	return {
		ip: '203.0.113.9',
		geo: { country: { code: 'GB' } },
		deploy: { context: 'dev' },
		next: vi.fn(async () => new Response('origin')),
		waitUntil: vi.fn()
	};
}

describe('edge entry', () => {
	// The entry imports the generated pipeline bundle, so the test builds it from the current source.
	beforeAll(() => bundle_edge());

	beforeEach(() => {
		vi.resetModules();
		get_store.mockReset();
		vi.stubGlobal('Netlify', { env: { get: () => undefined }, context: null });
		vi.spyOn(console, 'warn').mockImplementation(() => {});
	});

	afterEach(() => {
		vi.unstubAllGlobals();
		vi.restoreAllMocks();
	});

	test('excludes assets and Netlify paths', async () => {
		const { config } = await import(ENTRY);
		const excluded = ([] as string[]).concat(config.excludedPath);
		const is_excluded = (path: string) =>
			excluded.some((pattern) => new URLPattern({ pathname: pattern }).test({ pathname: path }));

		for (const path of [
			'/_app/immutable/chunks/Bxy12.js',
			'/_app/immutable/entry/start.CQ2.js',
			'/.netlify/functions/anything',
			'/.netlify/images',
			'/art/lamp.svg',
			'/favicon.svg',
			'/robots.txt'
		]) {
			expect(is_excluded(path), path).toBe(true);
		}
		for (const path of ['/', '/us', '/account', '/api/orders', '/_app/other']) {
			expect(is_excluded(path), path).toBe(false);
		}
		expect(config.path).toBe('/*');
	});

	test('creates no store at import', async () => {
		const module = await import(ENTRY);
		expect(get_store).not.toHaveBeenCalled();

		get_store.mockReturnValue({
			get: async () => null,
			list: async () => ({ blobs: [], directories: [] })
		});
		const context = netlify_context();
		const response = await module.default(new Request('https://shop.example/uk'), context);
		expect(response.status).toBe(200);
		expect(get_store).toHaveBeenCalledWith('flags');
		expect(get_store).toHaveBeenCalledWith('revoked-sessions');
	});

	test('serves built-in flags without Blobs', async () => {
		const module = await import(ENTRY);
		get_store.mockImplementation(() => {
			throw new Error('The environment has not been configured to use Netlify Blobs.');
		});
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const response = await module.default(
			new Request('https://shop.example/uk'),
			netlify_context()
		);
		expect(response.status).toBe(200);
		expect(
			response.headers
				.getSetCookie()
				.some((cookie: string) => cookie.startsWith('__Host-cohort_home_hero='))
		).toBe(true);
	});

	test('adapts geo and the client address', async () => {
		const module = await import(ENTRY);
		get_store.mockReturnValue({
			get: async () => null,
			list: async () => ({ blobs: [], directories: [] })
		});
		const response = await module.default(new Request('https://shop.example/'), netlify_context());
		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toBe('/uk');
	});

	test('rejects production without secrets', async () => {
		const module = await import(ENTRY);
		const context = { ...netlify_context(), deploy: { context: 'production' } };
		await expect(module.default(new Request('https://shop.example/uk'), context)).rejects.toThrow(
			'The environment variable SESSION_SECRET is not set.'
		);
	});
});
