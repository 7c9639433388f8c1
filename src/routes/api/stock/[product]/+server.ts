import { json } from '@sveltejs/kit';
import { is_valid_slug } from '$lib/server/cart.ts';
import { get_db } from '$lib/server/db/index.ts';
import { read_live_stock, stock_cache_headers } from '$lib/server/live_stock.ts';
import type { RequestHandler } from './$types';

/**
 * Returns a product's live stock, `{ slug, stock, kind, label }`, for the stock line of its
 * prerendered page. Cached on Netlify's CDN for a few seconds and purged by tag on checkout.
 */
export const GET: RequestHandler = async ({ params }) => {
	// A malformed slug names no product either, so it is a 404 like an unknown one. A 400 here
	// would also replace the 404 under `netlify serve`, which retries a 404 with `.html` appended.
	if (!is_valid_slug(params.product)) {
		return json(
			{
				error: {
					code: 'invalid_input',
					message: 'Invalid product slug: expected lower-case letters, digits and hyphens.',
					field: 'product'
				}
			},
			{ status: 404, headers: stock_cache_headers(null) }
		);
	}

	const stock = await read_live_stock(get_db(), params.product);
	if (!stock) {
		return json(
			{
				error: {
					code: 'unknown_product',
					message: `No product has the slug "${params.product}".`,
					field: 'product'
				}
			},
			{ status: 404, headers: stock_cache_headers(null) }
		);
	}
	return json(stock, { headers: stock_cache_headers(stock.slug) });
};
