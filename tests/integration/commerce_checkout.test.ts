import { sql } from 'kysely';
import { beforeAll, describe, expect, test } from 'vitest';
import { ORDER_PLACED_TOPIC, place_order } from '../../src/lib/server/commerce/checkout.ts';
import type { CheckoutInput } from '../../src/lib/server/commerce/checkout_request.ts';
import type { ErrorBody } from '../../src/lib/server/commerce/errors.ts';
import {
	TEST_PAYMENT_PROVIDER,
	type PaymentProvider
} from '../../src/lib/server/commerce/payment.ts';
import { create_db, read_database_settings } from '../../src/lib/server/db/connect.ts';
import { describe_each_database } from '../support/databases.ts';
import { find_free_port } from '../support/postgres_cluster.ts';
import { count_rows, insert_user, new_key, set_stock, stock_of } from './commerce_fixtures.ts';

const APPROVED = '4242424242424242';
const DECLINED = '4000000000000002';
const PAY = { provider: TEST_PAYMENT_PROVIDER, card_number: APPROVED };

function error_of(body: unknown): ErrorBody['error'] {
	return (body as ErrorBody).error;
}

describe_each_database('checkout', {}, (suite) => {
	let buyer: number;

	beforeAll(async () => {
		buyer = await insert_user(suite.db);
	});

	function cart(lines: unknown, overrides: Partial<CheckoutInput> = {}): CheckoutInput {
		return { user_id: buyer, region: 'uk', idempotency_key: new_key(), lines, ...overrides };
	}

	/** Counts of every table a checkout writes, to show that a failed one wrote nothing. */
	async function snapshot() {
		return {
			orders: await count_rows(suite.db, 'customer_order'),
			items: await count_rows(suite.db, 'order_item'),
			events: await count_rows(suite.db, 'outbox_event'),
			keys: await count_rows(suite.db, 'idempotency_key'),
			audits: await count_rows(suite.db, 'payment_audit')
		};
	}

	test('prices from database in region currency', async () => {
		const mugs_before = await stock_of(suite.db, 'enamel-camp-mug');
		const lines = [
			{ slug: 'enamel-camp-mug', quantity: 2, unit_price: 1, total: 0 },
			{ slug: 'linen-apron', quantity: 1, price: 0 }
		];
		const result = await place_order(suite.db, cart(lines), PAY);

		expect(result.status).toBe(201);
		expect(result.headers).toBeUndefined();
		const { order } = result.body as { order: Record<string, unknown> };
		expect(order).toMatchObject({
			status: 'paid',
			region: 'uk',
			currency: 'GBP',
			total: 2 * 1500 + 4500,
			items: [
				{
					slug: 'enamel-camp-mug',
					name: 'Enamel Camp Mug',
					unit_price: 1500,
					quantity: 2,
					line_total: 3000
				},
				{
					slug: 'linen-apron',
					name: 'Linen Apron',
					unit_price: 4500,
					quantity: 1,
					line_total: 4500
				}
			]
		});
		expect(await stock_of(suite.db, 'enamel-camp-mug')).toBe(mugs_before - 2);

		const event = await suite.db
			.selectFrom('outbox_event')
			.select(['topic', 'payload', 'processed_at'])
			.executeTakeFirstOrThrow();
		expect(event.topic).toBe(ORDER_PLACED_TOPIC);
		expect(event.processed_at).toBeNull();
		expect(event.payload).toMatchObject({
			order: { id: order.id, total: 7500 },
			customer: { id: buyer }
		});

		const audit = await suite.db
			.selectFrom('payment_audit')
			.select(['outcome', 'order_id', 'amount', 'currency', 'card_last4'])
			.executeTakeFirstOrThrow();
		expect(audit).toEqual({
			outcome: 'approved',
			order_id: order.id,
			amount: 7500,
			currency: 'GBP',
			card_last4: '4242'
		});
	});

	test('response matches stored order', async () => {
		const result = await place_order(
			suite.db,
			cart([
				{ slug: 'linen-apron', quantity: 1 },
				{ slug: 'enamel-camp-mug', quantity: 3 }
			]),
			PAY
		);
		expect(result.status).toBe(201);
		const { order } = result.body as { order: Record<string, unknown> };

		const row = await suite.db
			.selectFrom('customer_order')
			.select(['id', 'status', 'created_at'])
			.where('id', '=', order.id as number)
			.executeTakeFirstOrThrow();
		expect(order.id).toBe(row.id);
		expect(order.status).toBe(row.status);
		expect(order.created_at).toBe(row.created_at.toISOString());

		const event = await suite.db
			.selectFrom('outbox_event')
			.select('payload')
			.where(sql<boolean>`(payload -> 'order' ->> 'id')::integer = ${row.id}`)
			.executeTakeFirstOrThrow();
		expect((event.payload as { order: unknown }).order).toEqual(order);

		const items = await suite.db
			.selectFrom('order_item')
			.select(['slug', 'quantity'])
			.where('order_id', '=', row.id)
			.orderBy('slug')
			.execute();
		expect(items).toEqual([
			{ slug: 'enamel-camp-mug', quantity: 3 },
			{ slug: 'linen-apron', quantity: 1 }
		]);
	});

	test('region sets currency', async () => {
		const lines = [{ slug: 'enamel-camp-mug', quantity: 1 }];
		const us = await place_order(suite.db, cart(lines, { region: 'us' }), PAY);
		const eu = await place_order(suite.db, cart(lines, { region: 'eu' }), PAY);

		expect(us.body).toMatchObject({ order: { currency: 'USD', total: 1800 } });
		expect(eu.body).toMatchObject({ order: { currency: 'EUR', total: 1700 } });
	});

	test('50 buyers race for last 10 units', async () => {
		await set_stock(suite.db, 'cedar-raised-bed', 10);
		const buyers = await Promise.all(Array.from({ length: 50 }, () => insert_user(suite.db)));

		const results = await Promise.all(
			buyers.map((user_id) =>
				place_order(suite.db, cart([{ slug: 'cedar-raised-bed', quantity: 1 }], { user_id }), PAY)
			)
		);

		const statuses = results.map((result) => result.status);
		expect(statuses.filter((status) => status === 201)).toHaveLength(10);
		expect(statuses.filter((status) => status === 409)).toHaveLength(40);
		for (const result of results.filter((result) => result.status === 409)) {
			expect(error_of(result.body)).toMatchObject({
				code: 'out_of_stock',
				field: 'lines[0].quantity',
				details: { slug: 'cedar-raised-bed', available: 0 }
			});
		}
		expect(await stock_of(suite.db, 'cedar-raised-bed')).toBe(0);

		const sold = await suite.db
			.selectFrom('order_item')
			.select((eb) => eb.fn.sum<number>('quantity').as('units'))
			.where('slug', '=', 'cedar-raised-bed')
			.executeTakeFirstOrThrow();
		expect(Number(sold.units)).toBe(10);
	});

	test('three retries give one order', async () => {
		const input = cart([{ slug: 'spice-tin-kit', quantity: 3 }]);
		const before = await snapshot();

		const first = await place_order(suite.db, input, PAY);
		const second = await place_order(suite.db, input, PAY);
		const third = await place_order(
			suite.db,
			{ ...input, lines: [{ slug: 'spice-tin-kit', quantity: 3 }] },
			PAY
		);

		expect(first.status).toBe(201);
		expect(second.status).toBe(201);
		expect(third.status).toBe(201);
		expect(JSON.stringify(second.body)).toBe(JSON.stringify(first.body));
		expect(JSON.stringify(third.body)).toBe(JSON.stringify(first.body));
		expect(second.headers).toEqual({ 'idempotent-replayed': 'true' });

		const after = await snapshot();
		expect(after.orders - before.orders).toBe(1);
		expect(after.events - before.events).toBe(1);
		expect(after.keys - before.keys).toBe(1);
	});

	test('concurrent retries give one order', async () => {
		const input = cart([{ slug: 'olive-wood-spoon', quantity: 1 }]);
		const before = await snapshot();

		const results = await Promise.all([1, 2, 3].map(() => place_order(suite.db, input, PAY)));

		// A retry that overlaps the first run finds the key locked (409), and a later one gets the
		// replay.
		const created = results.filter((result) => result.status === 201 && !result.headers);
		expect(created).toHaveLength(1);
		for (const result of results) {
			if (result.status === 201)
				expect(JSON.stringify(result.body)).toBe(JSON.stringify(created[0]!.body));
			else expect(error_of(result.body).code).toBe('idempotency_key_in_use');
		}
		expect((await snapshot()).orders - before.orders).toBe(1);
	});

	test('reused key with other cart is 422', async () => {
		const input = cart([{ slug: 'glass-carafe', quantity: 1 }]);
		await place_order(suite.db, input, PAY);
		const carafes = await stock_of(suite.db, 'glass-carafe');
		const before = await snapshot();

		const result = await place_order(
			suite.db,
			{ ...input, lines: [{ slug: 'glass-carafe', quantity: 2 }] },
			PAY
		);

		expect(result.status).toBe(422);
		expect(error_of(result.body)).toMatchObject({
			code: 'idempotency_key_reused',
			field: 'idempotency_key'
		});
		expect(await snapshot()).toEqual(before);
		expect(await stock_of(suite.db, 'glass-carafe')).toBe(carafes);
	});

	test('key is scoped per user', async () => {
		const other = await insert_user(suite.db);
		const key = new_key();

		const mine = await place_order(
			suite.db,
			cart([{ slug: 'linen-tea-towel', quantity: 1 }], { idempotency_key: key }),
			PAY
		);
		const theirs = await place_order(
			suite.db,
			cart([{ slug: 'linen-tea-towel', quantity: 2 }], { idempotency_key: key, user_id: other }),
			PAY
		);

		expect(mine.status).toBe(201);
		expect(theirs.status).toBe(201);
		expect(theirs.headers).toBeUndefined();
	});

	test('short last line writes nothing', async () => {
		await set_stock(suite.db, 'titanium-cook-pot', 2);
		const stock_before = {
			mug: await stock_of(suite.db, 'enamel-camp-mug'),
			apron: await stock_of(suite.db, 'linen-apron'),
			pot: await stock_of(suite.db, 'titanium-cook-pot')
		};
		const before = await snapshot();

		const result = await place_order(
			suite.db,
			cart([
				{ slug: 'enamel-camp-mug', quantity: 1 },
				{ slug: 'linen-apron', quantity: 1 },
				{ slug: 'titanium-cook-pot', quantity: 3 }
			]),
			PAY
		);

		expect(result.status).toBe(409);
		expect(error_of(result.body)).toEqual({
			code: 'out_of_stock',
			message:
				'Only 2 of "Titanium Cook Pot" left in stock, but the cart asks for 3. Nothing was ordered.',
			field: 'lines[2].quantity',
			details: { slug: 'titanium-cook-pot', name: 'Titanium Cook Pot', available: 2, requested: 3 }
		});
		expect(await snapshot()).toEqual(before);
		expect({
			mug: await stock_of(suite.db, 'enamel-camp-mug'),
			apron: await stock_of(suite.db, 'linen-apron'),
			pot: await stock_of(suite.db, 'titanium-cook-pot')
		}).toEqual(stock_before);
	});

	test('declined card writes only audit row', async () => {
		const input = cart([{ slug: 'trail-headlamp', quantity: 1 }]);
		const lamps = await stock_of(suite.db, 'trail-headlamp');
		const before = await snapshot();

		const result = await place_order(suite.db, input, {
			provider: TEST_PAYMENT_PROVIDER,
			card_number: DECLINED
		});

		expect(result.status).toBe(402);
		expect(error_of(result.body)).toEqual({
			code: 'payment_declined',
			message: 'The card was declined. No order was placed. Try another card.',
			field: 'card_number',
			details: { decline_code: 'card_declined' }
		});
		expect(await snapshot()).toEqual({ ...before, audits: before.audits + 1 });
		expect(await stock_of(suite.db, 'trail-headlamp')).toBe(lamps);
		const audit = await suite.db
			.selectFrom('payment_audit')
			.selectAll()
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(audit).toMatchObject({
			user_id: buyer,
			order_id: null,
			idempotency_key: input.idempotency_key,
			provider: 'test',
			outcome: 'declined',
			reason: 'card_declined',
			amount: 3800,
			currency: 'GBP',
			card_last4: '0002'
		});

		// The key was not used up, so the customer can retry the same attempt with another card.
		const retry = await place_order(suite.db, input, PAY);
		expect(retry.status).toBe(201);
	});

	test('provider failure is 502 with audit', async () => {
		const broken: PaymentProvider = {
			name: 'broken',
			authorize: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:443'))
		};
		const before = await snapshot();

		const result = await place_order(suite.db, cart([{ slug: 'trail-headlamp', quantity: 1 }]), {
			provider: broken,
			card_number: APPROVED
		});

		expect(result.status).toBe(502);
		expect(error_of(result.body).code).toBe('payment_failed');
		expect(await snapshot()).toEqual({ ...before, audits: before.audits + 1 });
		const audit = await suite.db
			.selectFrom('payment_audit')
			.select(['outcome', 'reason', 'provider'])
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(audit).toEqual({
			outcome: 'failed',
			reason: 'connect ECONNREFUSED 10.0.0.1:443',
			provider: 'broken'
		});
	});

	test('bad input names the field', async () => {
		const before = await snapshot();
		const cases: [CheckoutInput, unknown, string][] = [
			[cart([{ slug: 'linen-apron', quantity: -1 }]), APPROVED, 'lines[0].quantity'],
			[cart([{ slug: 'linen-apron', quantity: 0 }]), APPROVED, 'lines[0].quantity'],
			[cart([{ slug: 'linen-apron', quantity: 2.5 }]), APPROVED, 'lines[0].quantity'],
			[cart([{ slug: 'linen-apron', quantity: 1e12 }]), APPROVED, 'lines[0].quantity'],
			[cart([{ slug: 'linen-apron' }]), APPROVED, 'lines[0].quantity'],
			[cart([]), APPROVED, 'lines'],
			[cart(null), APPROVED, 'lines'],
			[cart([{ slug: 'linen-apron', quantity: 1 }], { region: 'xx' }), APPROVED, 'region'],
			[
				cart([{ slug: 'linen-apron', quantity: 1 }], { idempotency_key: 'abc' }),
				APPROVED,
				'idempotency_key'
			],
			[
				cart([{ slug: 'linen-apron', quantity: 1 }], { idempotency_key: undefined }),
				APPROVED,
				'idempotency_key'
			],
			[cart([{ slug: 'linen-apron', quantity: 1 }]), '4242424242424241', 'card_number'],
			[cart([{ slug: 'linen-apron', quantity: 1 }]), undefined, 'card_number'],
			[
				cart([
					{ slug: 'linen-apron', quantity: 1 },
					{ slug: 'no-such-product', quantity: 1 }
				]),
				APPROVED,
				'lines[1].slug'
			]
		];

		for (const [input, card_number, field] of cases) {
			const result = await place_order(suite.db, input, {
				provider: TEST_PAYMENT_PROVIDER,
				card_number
			});
			expect(result.status, field).toBe(400);
			expect(error_of(result.body).field, JSON.stringify(input.lines)).toBe(field);
		}
		expect(await snapshot()).toEqual(before);
	});

	test('unknown user is 401', async () => {
		const result = await place_order(
			suite.db,
			cart([{ slug: 'linen-apron', quantity: 1 }], { user_id: 999_999 }),
			PAY
		);

		expect(result.status).toBe(401);
		expect(error_of(result.body).code).toBe('unknown_user');
	});

	test.skipIf(suite.target.serializes_transactions)('key in flight is 409', async () => {
		let release!: () => void;
		let entered!: () => void;
		const in_provider = new Promise<void>((resolve) => (entered = resolve));
		const slow: PaymentProvider = {
			name: 'slow',
			async authorize(request) {
				entered();
				await new Promise<void>((resolve) => (release = resolve));
				return TEST_PAYMENT_PROVIDER.authorize(request);
			}
		};
		const input = cart([{ slug: 'stuff-sack-set', quantity: 1 }]);

		const first = place_order(suite.db, input, { provider: slow, card_number: APPROVED });
		await in_provider;
		const overlapping = await place_order(suite.db, input, PAY);
		release();

		expect(overlapping.status).toBe(409);
		expect(overlapping.headers).toEqual({ 'retry-after': '1' });
		expect(error_of(overlapping.body)).toMatchObject({
			code: 'idempotency_key_in_use',
			field: 'idempotency_key'
		});
		expect((await first).status).toBe(201);
		const replay = await place_order(suite.db, input, PAY);
		expect(replay.headers).toEqual({ 'idempotent-replayed': 'true' });
	});
});

describe('checkout without database', () => {
	test('unreachable database is 503', async () => {
		// Nothing listens on a port that was just free, so every connection is refused.
		const port = await find_free_port();
		const db = create_db(
			read_database_settings({ DATABASE_URL: `postgres://shop:shop@127.0.0.1:${port}/shop` })
		);
		try {
			const started = performance.now();
			const result = await place_order(
				db,
				{
					user_id: 1,
					region: 'us',
					idempotency_key: new_key(),
					lines: [{ slug: 'linen-apron', quantity: 1 }]
				},
				PAY
			);

			expect(result.status).toBe(503);
			expect(result.headers).toEqual({ 'retry-after': '2' });
			expect(error_of(result.body).code).toBe('database_unavailable');
			expect(performance.now() - started).toBeLessThan(2_000);
		} finally {
			await db.destroy();
		}
	});
});
