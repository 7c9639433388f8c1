import type { Transaction } from 'kysely';
import { expect, test } from 'vitest';
import {
	get_category,
	get_product,
	list_categories,
	list_category_products,
	list_category_slugs,
	list_featured_products,
	list_product_slugs,
	price_cart_lines,
	type CategorySummary,
	type ProductCard
} from '../../src/lib/server/catalog.ts';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { CATALOG } from '../../src/lib/server/db/seed/catalog.ts';
import { image_path } from '../../src/lib/server/db/seed/index.ts';
import type { SeedCategory, SeedProduct } from '../../src/lib/server/db/seed/types.ts';
import type { Currency } from '../../src/lib/shared/regions.ts';
import { describe_each_database } from '../support/databases.ts';

const CURRENCIES = ['USD', 'GBP', 'EUR'] as const satisfies readonly Currency[];
const PRODUCTS = CATALOG.flatMap((category) => category.products);

function expected_card(product: SeedProduct, currency: Currency): ProductCard {
	return {
		slug: product.slug,
		name: product.name,
		summary: product.summary,
		image: image_path(product.slug),
		price: product.prices[currency],
		stock: product.stock
	};
}

function expected_category(category: SeedCategory): CategorySummary {
	const { slug, name, description, products } = category;
	// The cover is the first product's artwork.
	return { slug, name, description, image: image_path(products[0]!.slug) };
}

/** Thrown to roll back a transaction whose changes only one test may see. */
class Rollback extends Error {}

describe_each_database('catalog queries', {}, (suite) => {
	/** Runs `check` inside a transaction that is always rolled back. */
	async function in_rolled_back_transaction(check: (trx: Transaction<Database>) => Promise<void>) {
		const run = suite.db.transaction().execute(async (trx) => {
			await check(trx);
			throw new Rollback('rolled back on purpose');
		});
		await expect(run).rejects.toBeInstanceOf(Rollback);
	}

	test('list_categories keeps seed order', async () => {
		const categories = await list_categories(suite.db);

		expect(categories).toEqual(CATALOG.map(expected_category));
	});

	test('empty category has no cover', async () => {
		await in_rolled_back_transaction(async (trx) => {
			await trx
				.insertInto('category')
				.values({
					slug: 'empty-shelf',
					name: 'Empty shelf',
					description: 'Nothing yet.',
					position: 99
				})
				.execute();

			expect(await get_category(trx, 'empty-shelf')).toEqual({
				slug: 'empty-shelf',
				name: 'Empty shelf',
				description: 'Nothing yet.',
				image: null
			});
			expect((await list_categories(trx)).at(-1)?.slug).toBe('empty-shelf');
		});
	});

	test('list_category_slugs keeps seed order', async () => {
		expect(await list_category_slugs(suite.db)).toEqual(CATALOG.map((category) => category.slug));
	});

	test('list_product_slugs lists all 48', async () => {
		const slugs = await list_product_slugs(suite.db);

		expect(slugs).toHaveLength(48);
		expect(slugs).toEqual(PRODUCTS.map((product) => product.slug));
	});

	test('get_category finds by slug', async () => {
		const [first] = CATALOG;

		expect(await get_category(suite.db, first!.slug)).toEqual(expected_category(first!));
		expect(await get_category(suite.db, 'no-such-category')).toBeUndefined();
	});

	test.each(CURRENCIES)('list_category_products in %s', async (currency) => {
		for (const category of CATALOG) {
			const cards = await list_category_products(suite.db, category.slug, currency);

			expect(cards).toEqual(category.products.map((product) => expected_card(product, currency)));
		}
	});

	test('list_category_products of unknown slug', async () => {
		expect(await list_category_products(suite.db, 'no-such-category', 'USD')).toEqual([]);
	});

	test('list_featured_products takes one per category', async () => {
		const featured = await list_featured_products(suite.db, 'GBP');

		// Round-robin over categories: every first product, then the second ones until 8.
		const ranked = [0, 1].flatMap((rank) => CATALOG.map((category) => category.products[rank]!));
		expect(featured).toEqual(ranked.slice(0, 8).map((product) => expected_card(product, 'GBP')));
	});

	test('list_featured_products applies limit', async () => {
		const featured = await list_featured_products(suite.db, 'EUR', 3);

		expect(featured.map((card) => card.slug)).toEqual(
			CATALOG.slice(0, 3).map((category) => category.products[0]!.slug)
		);
	});

	test.each(CURRENCIES)('get_product in %s', async (currency) => {
		const category = CATALOG[1]!;
		const product = category.products[2]!;

		const detail = await get_product(suite.db, product.slug, currency);

		expect(detail).toEqual({
			...expected_card(product, currency),
			description: product.description,
			category: { slug: category.slug, name: category.name }
		});
	});

	test('get_product of unknown slug', async () => {
		expect(await get_product(suite.db, 'no-such-product', 'USD')).toBeUndefined();
	});

	test('price_cart_lines totals in EUR', async () => {
		const [first, second] = PRODUCTS as [SeedProduct, SeedProduct];
		const items = [
			{ slug: second.slug, quantity: 2 },
			{ slug: 'no-such-product', quantity: 1 },
			{ slug: first.slug, quantity: 1 }
		];

		const cart = await price_cart_lines(suite.db, items, 'EUR');

		expect(cart.lines).toEqual([
			{
				slug: second.slug,
				name: second.name,
				image: image_path(second.slug),
				quantity: 2,
				unit_price: second.prices.EUR,
				line_total: second.prices.EUR * 2,
				stock: second.stock
			},
			{
				slug: first.slug,
				name: first.name,
				image: image_path(first.slug),
				quantity: 1,
				unit_price: first.prices.EUR,
				line_total: first.prices.EUR,
				stock: first.stock
			}
		]);
		expect(cart.total).toBe(second.prices.EUR * 2 + first.prices.EUR);
		expect(cart.unknown).toEqual(['no-such-product']);
	});

	test('price_cart_lines of empty cart', async () => {
		expect(await price_cart_lines(suite.db, [], 'USD')).toEqual({
			lines: [],
			total: 0,
			unknown: []
		});
	});

	test('product without price is not sold', async () => {
		const category = CATALOG[0]!;
		const product = category.products[0]!;

		await in_rolled_back_transaction(async (trx) => {
			const { id } = await trx
				.selectFrom('product')
				.select('id')
				.where('slug', '=', product.slug)
				.executeTakeFirstOrThrow();
			await trx
				.deleteFrom('price')
				.where('product_id', '=', id)
				.where('currency', '=', 'USD')
				.execute();

			const listed = await list_category_products(trx, category.slug, 'USD');
			expect(listed.map((card) => card.slug)).not.toContain(product.slug);
			expect(listed).toHaveLength(category.products.length - 1);
			expect(await get_product(trx, product.slug, 'USD')).toBeUndefined();
			expect(await get_product(trx, product.slug, 'GBP')).toBeDefined();

			const cart = await price_cart_lines(trx, [{ slug: product.slug, quantity: 1 }], 'USD');
			expect(cart).toEqual({ lines: [], total: 0, unknown: [product.slug] });
		});
	});

	test('product without stock row shows 0', async () => {
		const product = PRODUCTS[5]!;

		await in_rolled_back_transaction(async (trx) => {
			const { id } = await trx
				.selectFrom('product')
				.select('id')
				.where('slug', '=', product.slug)
				.executeTakeFirstOrThrow();
			await trx.deleteFrom('stock').where('product_id', '=', id).execute();

			const detail = await get_product(trx, product.slug, 'GBP');
			expect(detail?.stock).toBe(0);
		});
	});
});
