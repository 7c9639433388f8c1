/**
 * Retry storm: every client sends its checkout three times at once with the same idempotency
 * key, through PgBouncer, and retries each copy until its status is final. The database must
 * hold one order per key, and every response for a key must carry the same body.
 */
import { randomUUID } from 'node:crypto';
import type { PgBouncer } from '../../scripts/pgbouncer.ts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { has_build, start_app_server, type AppServer } from './support/app_server.ts';
import {
	line_for,
	open_checkout,
	settle_checkout,
	type CheckoutClient,
	type CheckoutOutcome
} from './support/checkout_client.ts';
import { count_rows, find_order_anomalies, orders_per_user } from './support/consistency.ts';
import { open_fault_database, start_pooler, type FaultDatabase } from './support/fault_database.ts';

const CLIENTS = 100;
const COPIES = 3;
const INITIAL_STOCK = 10_000;
const POOL_SIZE = 20;

let database: FaultDatabase;
let pooler: PgBouncer;
let server: AppServer | null = null;
let checkout: CheckoutClient;
let users: number[];

beforeAll(async () => {
	database = await open_fault_database('retry_storm');
	await database.set_stock(INITIAL_STOCK);
	users = await database.create_users(CLIENTS);
	pooler = await start_pooler(database.app_url, { pool_size: POOL_SIZE });
	if (has_build()) server = await start_app_server({ database_url: pooler.url, pool_max: 10 });
	checkout = open_checkout(server, { database_url: pooler.url, pool_max: 10 });
});

afterAll(async () => {
	await checkout?.close();
	await server?.stop();
	await pooler?.stop();
	await database?.destroy();
});

test('retry storm places one order per key', async () => {
	const started = performance.now();
	const runs = await Promise.all(
		users.map(async (user_id, index) => {
			const key = randomUUID();
			const lines = line_for(database.products, index);
			const copies = await Promise.all(
				Array.from({ length: COPIES }, () =>
					settle_checkout(checkout, user_id, key, lines, { max_attempts: 20 })
				)
			);
			return { user_id, copies };
		})
	);
	const elapsed_s = (performance.now() - started) / 1000;

	const outcomes = runs.flatMap((run) => run.copies.flat());
	const finals = runs.flatMap((run) => run.copies.map((copy) => copy.at(-1) ?? null));
	const unexpected = outcomes.filter(
		(outcome) => outcome === null || ![201, 409, 503].includes(outcome.status)
	);
	expect(unexpected.map((outcome) => outcome && `${outcome.status} ${outcome.body}`)).toEqual([]);
	expect(finals.filter((outcome) => outcome?.status !== 201)).toEqual([]);

	// Exactly one response per key did the work; every other one is a replay of it.
	const fresh = finals.filter((outcome) => outcome !== null && !outcome.replayed);
	expect(fresh).toHaveLength(CLIENTS);
	const differing_replays = runs.filter((run) => {
		const bodies = new Set(run.copies.map((copy) => (copy.at(-1) as CheckoutOutcome).body));
		return bodies.size !== 1;
	});
	expect(differing_replays).toHaveLength(0);

	const per_user = await orders_per_user(database.admin);
	expect(per_user.size).toBe(CLIENTS);
	expect([...per_user.values()].filter((orders) => orders !== 1)).toEqual([]);
	expect(await count_rows(database.admin, 'customer_order')).toBe(CLIENTS);
	const approved = await database.admin.query<{ n: number }>(
		`select count(*)::int as n from payment_audit where outcome = 'approved'`
	);
	expect(approved.rows[0]!.n).toBe(CLIENTS);

	const anomalies = await find_order_anomalies(database.admin, INITIAL_STOCK);
	for (const [name, count] of Object.entries(anomalies)) {
		expect({ [name]: count }).toEqual({ [name]: 0 });
	}

	const in_flight = outcomes.filter((outcome) => outcome?.status === 409).length;
	const unavailable = outcomes.filter((outcome) => outcome?.status === 503).length;
	console.log(
		`[faults] retry storm via ${checkout.via}: ${CLIENTS} keys x ${COPIES} copies, ` +
			`${outcomes.length} requests (${in_flight} x 409 in flight, ${unavailable} x 503), ` +
			`${per_user.size} orders, 0 duplicates, ${finals.length - fresh.length} identical replays, ` +
			`${elapsed_s.toFixed(1)} s`
	);
});
