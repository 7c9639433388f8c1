import { beforeAll, expect, test } from 'vitest';
import { place_order } from '../../src/lib/server/commerce/checkout.ts';
import { get_order, list_orders } from '../../src/lib/server/commerce/orders.ts';
import { TEST_PAYMENT_PROVIDER } from '../../src/lib/server/commerce/payment.ts';
import { describe_each_database } from '../support/databases.ts';
import { insert_user, new_key } from './commerce_fixtures.ts';

const PAY = { provider: TEST_PAYMENT_PROVIDER, card_number: '4242424242424242' };

describe_each_database('orders', {}, (suite) => {
	let alice: number;
	let bob: number;
	const placed: { id: number; body: unknown }[] = [];
	let bobs_order: number;

	beforeAll(async () => {
		alice = await insert_user(suite.db, { name: 'Alice' });
		bob = await insert_user(suite.db, { name: 'Bob' });

		const carts = [
			{ region: 'us', lines: [{ slug: 'enamel-camp-mug', quantity: 2 }] },
			{
				region: 'eu',
				lines: [
					{ slug: 'linen-apron', quantity: 1 },
					{ slug: 'glass-carafe', quantity: 3 }
				]
			}
		];
		for (const { region, lines } of carts) {
			const result = await place_order(
				suite.db,
				{ user_id: alice, region, idempotency_key: new_key(), lines },
				PAY
			);
			const body = result.body as { order: { id: number } };
			placed.push({ id: body.order.id, body });
		}
		const result = await place_order(
			suite.db,
			{
				user_id: bob,
				region: 'uk',
				idempotency_key: new_key(),
				lines: [{ slug: 'linen-apron', quantity: 1 }]
			},
			PAY
		);
		bobs_order = (result.body as { order: { id: number } }).order.id;
	});

	test('lists own orders newest first', async () => {
		const orders = await list_orders(suite.db, alice);

		expect(orders.map((order) => order.id)).toEqual([placed[1]!.id, placed[0]!.id]);
		expect(orders[0]).toMatchObject({
			status: 'paid',
			region: 'eu',
			currency: 'EUR',
			total: 4900 + 3 * 3500,
			item_count: 4
		});
		expect(orders[1]).toMatchObject({ region: 'us', currency: 'USD', total: 3600, item_count: 2 });
		expect(Number.isNaN(Date.parse(orders[0]!.created_at))).toBe(false);
	});

	test('list honours limit', async () => {
		expect(await list_orders(suite.db, alice, 1)).toHaveLength(1);
	});

	test('detail equals checkout response', async () => {
		const order = await get_order(suite.db, alice, placed[1]!.id);
		expect({ order }).toEqual(placed[1]!.body);
	});

	test("other user's order is not found", async () => {
		expect(await get_order(suite.db, alice, bobs_order)).toBeNull();
		expect(await get_order(suite.db, bob, bobs_order)).not.toBeNull();
	});

	test('invalid ids are not found', async () => {
		for (const id of [0, -1, 1.5, Number.NaN, 2 ** 40]) {
			expect(await get_order(suite.db, alice, id), String(id)).toBeNull();
		}
	});

	test('user without orders gets empty list', async () => {
		const carol = await insert_user(suite.db, { name: 'Carol' });
		expect(await list_orders(suite.db, carol)).toEqual([]);
	});
});
