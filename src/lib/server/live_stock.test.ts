import { describe, expect, test, vi } from 'vitest';
import { purge_live_stock, stock_cache_headers } from './live_stock.ts';

describe('stock_cache_headers', () => {
	test('tags a product response', () => {
		expect(stock_cache_headers('linen-apron')).toEqual({
			'cache-control': 'public, max-age=0, must-revalidate',
			'netlify-cdn-cache-control': 'public, max-age=10, stale-while-revalidate=60',
			'cache-tag': 'stock, stock:linen-apron',
			'netlify-cache-tag': 'stock, stock:linen-apron'
		});
	});

	test('tags a response without product', () => {
		expect(stock_cache_headers(null)['netlify-cache-tag']).toBe('stock');
	});
});

describe('purge_live_stock', () => {
	test('purges each slug tag once', async () => {
		const purge = vi.fn(async () => {});
		await purge_live_stock(['linen-apron', 'enamel-camp-mug', 'linen-apron'], { purge });
		expect(purge).toHaveBeenCalledOnce();
		expect(purge).toHaveBeenCalledWith({ tags: ['stock:linen-apron', 'stock:enamel-camp-mug'] });
	});

	test('skips an empty list', async () => {
		const purge = vi.fn(async () => {});
		await purge_live_stock([], { purge });
		expect(purge).not.toHaveBeenCalled();
	});

	test('logs a failed purge', async () => {
		const log = vi.fn();
		const purge = async () => {
			throw new Error('The Netlify site ID was not found in the execution environment.');
		};
		await expect(purge_live_stock(['linen-apron'], { purge, log })).resolves.toBeUndefined();
		expect(log).toHaveBeenCalledOnce();
		expect(log.mock.calls[0]![0]).toContain('stock:linen-apron');
		expect(log.mock.calls[0]![0]).toContain('site ID was not found');
	});
});
