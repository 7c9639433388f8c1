import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { checkout, placed_order_id } from '../../src/lib/server/checkout_flow.ts';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { read_live_stock } from '../../src/lib/server/live_stock.ts';
import { seed } from '../../src/lib/server/db/seed/index.ts';
import { DATABASE_TARGETS, migrate_or_throw, type TestDatabase } from '../support/databases.ts';
import { insert_user, new_key, set_stock } from './commerce_fixtures.ts';

const trigger = vi.hoisted(() => vi.fn(async () => {}));
const purge = vi.hoisted(() => vi.fn(async () => {}));

vi.mock('../../src/lib/server/outbox_trigger.ts', () => ({ trigger_outbox_drain: trigger }));
vi.mock('@netlify/functions', () => ({ purgeCache: purge }));

const APPROVED = '4242 4242 4242 4242';

// The side effects do not depend on the driver, so one PGlite database is enough here.
let opened: TestDatabase;
let db: Kysely<Database>;
let buyer: number;

beforeAll(async () => {
	opened = await DATABASE_TARGETS[0].open();
	db = opened.db;
	await migrate_or_throw(db);
	await seed(db);
	buyer = await insert_user(db);
});

afterAll(async () => {
	await opened.destroy();
});

beforeEach(() => {
	trigger.mockClear();
	purge.mockClear();
});

function input(lines: unknown, idempotency_key = new_key()) {
	return { user_id: buyer, region: 'us', idempotency_key, lines };
}

describe('checkout', () => {
	test('starts drain and purge after an order', async () => {
		const waited: Promise<unknown>[] = [];
		const context = {
			env: { URL: 'http://localhost' },
			wait_until: (p: Promise<unknown>) => waited.push(p)
		};
		const lines = [
			{ slug: 'linen-apron', quantity: 1 },
			{ slug: 'enamel-camp-mug', quantity: 2 }
		];

		const result = await checkout(db, input(lines), APPROVED, context);

		expect(result.status).toBe(201);
		expect(placed_order_id(result.body)).toBeGreaterThan(0);
		expect(trigger).toHaveBeenCalledOnce();
		expect(trigger).toHaveBeenCalledWith({ env: context.env, wait_until: context.wait_until });
		expect(purge).toHaveBeenCalledWith({ tags: ['stock:linen-apron', 'stock:enamel-camp-mug'] });
		expect(waited).toHaveLength(1);
	});

	test('replay has no side effects', async () => {
		const key = new_key();
		const lines = [{ slug: 'linen-apron', quantity: 1 }];
		await checkout(db, input(lines, key), APPROVED, { env: {} });
		trigger.mockClear();
		purge.mockClear();

		const replay = await checkout(db, input(lines, key), APPROVED, { env: {} });

		expect(replay.status).toBe(201);
		expect(replay.headers).toEqual({ 'idempotent-replayed': 'true' });
		expect(trigger).not.toHaveBeenCalled();
		expect(purge).not.toHaveBeenCalled();
	});

	test('failure has no side effects', async () => {
		await set_stock(db, 'glass-carafe', 0);
		const result = await checkout(db, input([{ slug: 'glass-carafe', quantity: 1 }]), APPROVED, {
			env: {}
		});

		expect(result.status).toBe(409);
		expect(trigger).not.toHaveBeenCalled();
		expect(purge).not.toHaveBeenCalled();
	});
});

describe('read_live_stock', () => {
	test('reads stock and label', async () => {
		await set_stock(db, 'olive-wood-spoon', 3);
		expect(await read_live_stock(db, 'olive-wood-spoon')).toEqual({
			slug: 'olive-wood-spoon',
			stock: 3,
			kind: 'low',
			label: 'Only 3 left'
		});
	});

	test('returns undefined for unknown slug', async () => {
		expect(await read_live_stock(db, 'no-such-product')).toBeUndefined();
	});
});
