import { expect, test } from 'vitest';
import { describe_each_database } from '../../../tests/support/databases.ts';
import {
	get_category,
	get_product,
	list_categories,
	list_category_products,
	list_category_slugs,
	list_featured_products,
	list_product_slugs,
	price_cart_lines
} from './catalog.ts';
import { CATALOG } from './db/seed/catalog.ts';

const PRODUCTS = CATALOG.flatMap((category) =>
	category.products.map((product) => ({ ...product, category: category.slug }))
);

function seeded(slug: string) {
	const product = PRODUCTS.find((candidate) => candidate.slug === slug);
	if (!product) throw new Error(`No seeded product "${slug}"`);
	return product;
}

describe_each_database('catalog queries', {}, (suite) => {
	test('categories in catalog order', async () => {
		const categories = await list_categories(suite.db);
		expect(categories.map((category) => category.slug)).toEqual(
			CATALOG.map((category) => category.slug)
		);
		expect(categories[0]).toEqual({
			slug: CATALOG[0]!.slug,
			name: CATALOG[0]!.name,
			description: CATALOG[0]!.description,
			image: `/art/${CATALOG[0]!.products[0]!.slug}.svg`
		});
	});

	test('one category by slug', async () => {
		expect((await get_category(suite.db, 'garden'))?.name).toBe('Garden');
		expect(await get_category(suite.db, 'no-such-category')).toBeUndefined();
	});

	test('category products in one currency', async () => {
		const products = await list_category_products(suite.db, 'garden', 'GBP');
		const expected = CATALOG.find((category) => category.slug === 'garden')!.products;
		expect(products.map((product) => product.slug)).toEqual(expected.map((p) => p.slug));
		for (const product of products) {
			expect(product.price, product.slug).toBe(seeded(product.slug).prices.GBP);
			expect(product.stock, product.slug).toBe(seeded(product.slug).stock);
		}
	});

	test('featured products cover every category first', async () => {
		const featured = await list_featured_products(suite.db, 'USD');
		expect(featured).toHaveLength(8);
		const first_categories = featured.slice(0, 6).map((product) => seeded(product.slug).category);
		expect(first_categories).toEqual(CATALOG.map((category) => category.slug));
		expect(featured[6]!.slug).toBe(CATALOG[0]!.products[1]!.slug);
		expect(featured[0]!.price).toBe(seeded(featured[0]!.slug).prices.USD);
	});

	test('featured products honour the limit', async () => {
		expect(await list_featured_products(suite.db, 'EUR', 3)).toHaveLength(3);
	});

	test('one product with category, price and stock', async () => {
		const product = await get_product(suite.db, 'linen-apron', 'EUR');
		const expected = seeded('linen-apron');
		expect(product).toEqual({
			slug: 'linen-apron',
			name: expected.name,
			summary: expected.summary,
			description: expected.description,
			image: '/art/linen-apron.svg',
			price: expected.prices.EUR,
			stock: expected.stock,
			category: { slug: 'table-and-kitchen', name: 'Table & Kitchen' }
		});
	});

	test('unknown product', async () => {
		expect(await get_product(suite.db, 'no-such-product', 'USD')).toBeUndefined();
	});

	test('slugs for prerender entries', async () => {
		expect(await list_product_slugs(suite.db)).toEqual(PRODUCTS.map((product) => product.slug));
		expect(await list_category_slugs(suite.db)).toEqual(CATALOG.map((category) => category.slug));
	});

	test('cart lines priced from the database', async () => {
		const apron = seeded('linen-apron');
		const mug = seeded('enamel-camp-mug');
		const cart = await price_cart_lines(
			suite.db,
			[
				{ slug: 'linen-apron', quantity: 2 },
				{ slug: 'gone-product', quantity: 1 },
				{ slug: 'enamel-camp-mug', quantity: 3 }
			],
			'GBP'
		);

		expect(cart.unknown).toEqual(['gone-product']);
		expect(cart.lines.map((line) => [line.slug, line.unit_price, line.line_total])).toEqual([
			['linen-apron', apron.prices.GBP, apron.prices.GBP * 2],
			['enamel-camp-mug', mug.prices.GBP, mug.prices.GBP * 3]
		]);
		expect(cart.total).toBe(apron.prices.GBP * 2 + mug.prices.GBP * 3);
	});

	test('empty cart', async () => {
		expect(await price_cart_lines(suite.db, [], 'USD')).toEqual({
			lines: [],
			total: 0,
			unknown: []
		});
	});

	test('product without a price in the currency', async () => {
		const { id } = await suite.db
			.selectFrom('product')
			.select('id')
			.where('slug', '=', 'linen-apron')
			.executeTakeFirstOrThrow();
		await suite.db
			.deleteFrom('price')
			.where('product_id', '=', id)
			.where('currency', '=', 'EUR')
			.execute();
		try {
			expect(await get_product(suite.db, 'linen-apron', 'EUR')).toBeUndefined();
			const cart = await price_cart_lines(suite.db, [{ slug: 'linen-apron', quantity: 1 }], 'EUR');
			expect(cart.unknown).toEqual(['linen-apron']);
			const products = await list_category_products(suite.db, 'table-and-kitchen', 'EUR');
			expect(products.map((product) => product.slug)).not.toContain('linen-apron');
		} finally {
			await suite.db
				.insertInto('price')
				.values({ product_id: id, currency: 'EUR', amount: seeded('linen-apron').prices.EUR })
				.execute();
		}
	});
});
