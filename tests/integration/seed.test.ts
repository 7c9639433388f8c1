import type { Kysely } from 'kysely';
import { beforeEach, describe, expect, test } from 'vitest';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { CATALOG } from '../../src/lib/server/db/seed/catalog.ts';
import { seed } from '../../src/lib/server/db/seed/index.ts';
import { clear_catalog, describe_each_database } from '../support/databases.ts';

const PRODUCTS = CATALOG.flatMap((category) => category.products);

async function count_rows(db: Kysely<Database>) {
	const count = (table: keyof Database) =>
		db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<string | number>().as('rows'))
			.executeTakeFirstOrThrow()
			.then((row) => Number(row.rows));
	return {
		category: await count('category'),
		product: await count('product'),
		price: await count('price'),
		stock: await count('stock')
	};
}

describe('CATALOG', () => {
	test('has 6 categories and 48 products', () => {
		expect(CATALOG.length).toBe(6);
		expect(PRODUCTS.length).toBe(48);
	});

	test('prices every product in 3 currencies', () => {
		const invalid = PRODUCTS.filter((product) => {
			const currencies = Object.keys(product.prices).sort().join(',');
			const amounts = Object.values(product.prices);
			return (
				currencies !== 'EUR,GBP,USD' ||
				!amounts.every((amount) => Number.isInteger(amount) && amount > 0)
			);
		});
		expect(invalid.map((product) => product.slug)).toEqual([]);
	});
});

describe_each_database('seed', { seed: false }, (suite) => {
	beforeEach(async () => {
		await clear_catalog(suite.db);
	});

	test('first seed inserts every row', async () => {
		const report = await seed(suite.db);

		expect(report).toEqual({
			categories: { total: 6, inserted: 6 },
			products: { total: 48, inserted: 48 },
			prices: 144,
			stock: { total: 48, inserted: 48 }
		});
		expect(await count_rows(suite.db)).toEqual({ category: 6, product: 48, price: 144, stock: 48 });
	});

	test('second seed inserts nothing', async () => {
		await seed(suite.db);
		const report = await seed(suite.db);

		expect(report.categories).toEqual({ total: 6, inserted: 0 });
		expect(report.products).toEqual({ total: 48, inserted: 0 });
		expect(report.stock).toEqual({ total: 48, inserted: 0 });
		expect(await count_rows(suite.db)).toEqual({ category: 6, product: 48, price: 144, stock: 48 });
	});

	test('second seed keeps stock levels', async () => {
		await seed(suite.db);
		const first = PRODUCTS[0]!;
		const { id } = await suite.db
			.selectFrom('product')
			.select('id')
			.where('slug', '=', first.slug)
			.executeTakeFirstOrThrow();
		// A sale after the first seed; re-seeding must not restock it.
		const sold_down = first.stock === 3 ? 2 : 3;
		await suite.db
			.updateTable('stock')
			.set({ quantity: sold_down })
			.where('product_id', '=', id)
			.execute();

		await seed(suite.db);

		const stock = await suite.db
			.selectFrom('stock')
			.select('quantity')
			.where('product_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(stock.quantity).toBe(sold_down);
	});

	test('second seed restores prices', async () => {
		await seed(suite.db);
		const first = PRODUCTS[0]!;
		const { id } = await suite.db
			.selectFrom('product')
			.select('id')
			.where('slug', '=', first.slug)
			.executeTakeFirstOrThrow();
		await suite.db
			.updateTable('price')
			.set({ amount: first.prices.GBP + 1 })
			.where('product_id', '=', id)
			.where('currency', '=', 'GBP')
			.execute();

		await seed(suite.db);

		const price = await suite.db
			.selectFrom('price')
			.select('amount')
			.where('product_id', '=', id)
			.where('currency', '=', 'GBP')
			.executeTakeFirstOrThrow();
		expect(price.amount).toBe(first.prices.GBP);
	});
});
