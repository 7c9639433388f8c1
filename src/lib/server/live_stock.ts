/**
 * Live stock for prerendered product pages. `/api/stock/<slug>` returns a product's stock, and
 * Netlify's CDN caches that response for a few seconds under the tags `stock` and
 * `stock:<slug>`. Checkout purges a product's tag after it changes the stock, so the next read
 * goes to the database.
 */
import { purgeCache } from '@netlify/functions';
import type { Kysely } from 'kysely';
import { stock_label, stock_status, type StockStatus } from '../components/stock.ts';
import type { Database } from './db/schema.ts';

/** Tag of every stock response, for purging all of them at once (after a restock, say). */
export const STOCK_TAG = 'stock';

/**
 * CDN caching of stock responses: fresh for 10 s, then served stale for up to 60 s more while
 * one request refreshes it. A purge by tag ends both at once.
 */
export const STOCK_CDN_CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=60';

export interface LiveStock {
	slug: string;
	/** Units in stock. */
	stock: number;
	kind: StockStatus['kind'];
	/** The text of the product page's stock line, such as "Only 3 left". */
	label: string;
}

export function stock_tag(slug: string): string {
	return `${STOCK_TAG}:${slug}`;
}

/** Reads a product's stock, or returns undefined for an unknown slug. */
export async function read_live_stock(
	db: Kysely<Database>,
	slug: string
): Promise<LiveStock | undefined> {
	const row = await db
		.selectFrom('product')
		.leftJoin('stock', 'stock.product_id', 'product.id')
		.select((eb) => ['product.slug', eb.fn.coalesce('stock.quantity', eb.lit(0)).as('stock')])
		.where('product.slug', '=', slug)
		.executeTakeFirst();
	if (!row) return undefined;
	return {
		slug: row.slug,
		stock: row.stock,
		kind: stock_status(row.stock).kind,
		label: stock_label(row.stock)
	};
}

/**
 * Cache headers of a stock response. Browsers revalidate every time, and only Netlify's CDN
 * keeps a copy. `slug` is null for a response that belongs to no product, such as a 404.
 */
export function stock_cache_headers(slug: string | null): Record<string, string> {
	const tags = slug ? `${STOCK_TAG}, ${stock_tag(slug)}` : STOCK_TAG;
	return {
		'cache-control': 'public, max-age=0, must-revalidate',
		'netlify-cdn-cache-control': STOCK_CDN_CACHE_CONTROL,
		'cache-tag': tags,
		'netlify-cache-tag': tags
	};
}

export interface PurgeOptions {
	/** Defaults to `purgeCache` from `@netlify/functions`. */
	purge?: (options: { tags: string[] }) => Promise<void>;
	log?: (message: string) => void;
}

/**
 * Purges the cached stock responses of `slugs`. Never rejects: where the purge API cannot run
 * (local servers, tests), a failure is logged and the cached copies expire after their max-age.
 * `purgeCache` itself only logs and returns under `netlify dev` and `netlify serve`.
 */
export async function purge_live_stock(
	slugs: readonly string[],
	options: PurgeOptions = {}
): Promise<void> {
	if (slugs.length === 0) return;
	const tags = [...new Set(slugs)].map(stock_tag);
	const purge = options.purge ?? purgeCache;
	try {
		await purge({ tags });
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		(options.log ?? console.warn)(
			`[stock] Could not purge the cache tags ${tags.join(', ')}, so stock may show old values for up to 70 s: ${reason}`
		);
	}
}
