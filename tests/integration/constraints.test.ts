import { beforeAll, expect, test } from 'vitest';
import { describe_each_database } from '../support/databases.ts';

const CHECK_VIOLATION = '23514';

describe_each_database('check constraints', {}, (suite) => {
	let product_id = 0;

	beforeAll(async () => {
		const row = await suite.db
			.selectFrom('product')
			.select('id')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		product_id = row.id;
	});

	test.each([0, -1])('price rejects amount %i', async (amount) => {
		const update = suite.db
			.updateTable('price')
			.set({ amount })
			.where('product_id', '=', product_id)
			.where('currency', '=', 'USD')
			.execute();

		await expect(update).rejects.toMatchObject({
			code: CHECK_VIOLATION,
			constraint: 'price_amount_check'
		});
	});

	test('price accepts amount 1', async () => {
		await suite.db
			.updateTable('price')
			.set({ amount: 1 })
			.where('product_id', '=', product_id)
			.where('currency', '=', 'EUR')
			.execute();

		const row = await suite.db
			.selectFrom('price')
			.select('amount')
			.where('product_id', '=', product_id)
			.where('currency', '=', 'EUR')
			.executeTakeFirstOrThrow();
		expect(row.amount).toBe(1);
	});

	test('price rejects unknown currency', async () => {
		const insert = suite.db
			.insertInto('price')
			// Cast past the Currency type to reach the database check.
			.values({ product_id, currency: 'JPY' as 'USD', amount: 500 })
			.execute();

		await expect(insert).rejects.toMatchObject({
			code: CHECK_VIOLATION,
			constraint: 'price_currency_check'
		});
	});

	test('stock rejects negative quantity', async () => {
		const update = suite.db
			.updateTable('stock')
			.set({ quantity: -1 })
			.where('product_id', '=', product_id)
			.execute();

		await expect(update).rejects.toMatchObject({
			code: CHECK_VIOLATION,
			constraint: 'stock_quantity_check'
		});
	});

	test('stock accepts quantity 0', async () => {
		await suite.db
			.updateTable('stock')
			.set({ quantity: 0 })
			.where('product_id', '=', product_id)
			.execute();

		const row = await suite.db
			.selectFrom('stock')
			.select('quantity')
			.where('product_id', '=', product_id)
			.executeTakeFirstOrThrow();
		expect(row.quantity).toBe(0);
	});
});
