/**
 * Pool saturation: long transactions hold every server connection of PgBouncer's pool while
 * more checkouts arrive than the app's own pool (`DATABASE_POOL_MAX`) has connections. Every
 * checkout must end with 503 and `Retry-After` within the configured waits, nothing may hang,
 * and once the long transactions end, no connection may stay busy and checkouts succeed again.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PgBouncer } from '../../scripts/pgbouncer.ts';
import { has_build, start_app_server, type AppServer } from './support/app_server.ts';
import {
	line_for,
	open_checkout,
	type CheckoutClient,
	type CheckoutOutcome
} from './support/checkout_client.ts';
import { find_order_anomalies } from './support/consistency.ts';
import {
	count_connections,
	open_fault_database,
	start_pooler,
	type ConnectionCounts,
	type FaultDatabase
} from './support/fault_database.ts';

const INITIAL_STOCK = 10_000;
/** PgBouncer's server connections, all of which the long transactions take. */
const POOL_SIZE = 4;
/** PgBouncer's `query_wait_timeout`, in seconds. */
const POOLER_WAIT_S = 1;
/** The app's `DATABASE_POOL_MAX` and `DATABASE_CONNECT_TIMEOUT_MS`. */
const APP_POOL_MAX = 5;
const APP_CONNECT_TIMEOUT_MS = 1_000;
/** Checkouts sent at once while the pool is held: six times the app's pool. */
const CHECKOUTS = 30;
/**
 * Maximum time a checkout may wait: for a connection of the app's pool, then in PgBouncer's
 * queue, plus one second of slack. PgBouncer fails a waiting query a little after its timeout
 * (up to about 0.3 s in these runs), and the machine may be busy.
 */
const WAIT_BOUND_MS = APP_CONNECT_TIMEOUT_MS + POOLER_WAIT_S * 1000 + 1_000;

let database: FaultDatabase;
let pooler: PgBouncer;
let server: AppServer | null = null;
let checkout: CheckoutClient;
let users: number[];
const holders: pg.Client[] = [];

beforeAll(async () => {
	database = await open_fault_database('pool_saturation');
	await database.set_stock(INITIAL_STOCK);
	users = await database.create_users(CHECKOUTS);
	pooler = await start_pooler(database.app_url, {
		pool_size: POOL_SIZE,
		wait_timeout_s: POOLER_WAIT_S
	});
	const target = {
		database_url: pooler.url,
		pool_max: APP_POOL_MAX,
		connect_timeout_ms: APP_CONNECT_TIMEOUT_MS
	};
	if (has_build()) server = await start_app_server(target);
	checkout = open_checkout(server, target);
});

afterAll(async () => {
	await Promise.all(holders.map((holder) => holder.end().catch(() => undefined)));
	await checkout?.close();
	await server?.stop();
	await pooler?.stop();
	await database?.destroy();
});

/**
 * Samples the connection counts every 50 ms. The returned function stops the sampling and
 * returns the highest counts seen.
 */
function watch_connections(admin: pg.Client, name: string) {
	let running = true;
	const peak: ConnectionCounts = { total: 0, busy: 0, idle_in_transaction: 0 };
	const done = (async () => {
		while (running) {
			const counts = await count_connections(admin, name);
			peak.total = Math.max(peak.total, counts.total);
			peak.busy = Math.max(peak.busy, counts.busy);
			await new Promise((wait) => setTimeout(wait, 50));
		}
	})();
	return async () => {
		running = false;
		await done;
		return peak;
	};
}

test('saturated pool fails fast and recovers', async () => {
	const warm_up = await checkout.place(users[0]!, randomUUID(), line_for(database.products, 0));
	expect(warm_up?.status).toBe(201);
	const baseline = await count_connections(database.admin, database.name);

	// Each holder opens a transaction through PgBouncer and keeps it open, so in transaction
	// mode it keeps one server connection for itself.
	for (let index = 0; index < POOL_SIZE; index++) {
		const holder = new pg.Client({ connectionString: pooler.url });
		holder.on('error', () => undefined);
		await holder.connect();
		await holder.query('begin');
		await holder.query('select pg_backend_pid()');
		holders.push(holder);
	}
	const stop_watching = watch_connections(database.admin, database.name);

	const started = performance.now();
	const outcomes = await Promise.all(
		users.map((user_id, index) =>
			checkout.place(user_id, randomUUID(), line_for(database.products, index))
		)
	);
	const burst_ms = performance.now() - started;
	const responses = outcomes.filter((outcome): outcome is CheckoutOutcome => outcome !== null);

	expect(server?.exit_report() ?? null).toBeNull();
	expect(responses).toHaveLength(CHECKOUTS);
	expect(responses.filter((outcome) => outcome.status !== 503).map((o) => o.body)).toEqual([]);
	expect(responses.filter((outcome) => outcome.retry_after === null)).toEqual([]);
	const slowest_ms = Math.max(...responses.map((outcome) => outcome.ms));
	expect(slowest_ms).toBeLessThanOrEqual(WAIT_BOUND_MS);

	for (const holder of holders.splice(0)) {
		await holder.query('commit');
		await holder.end();
	}
	const peak = await stop_watching();
	expect(peak.total).toBeLessThanOrEqual(POOL_SIZE);

	// Nothing stays busy once the long transactions end: the pool is back at its baseline.
	let after = await count_connections(database.admin, database.name);
	for (let tries = 0; after.busy > baseline.busy && tries < 40; tries++) {
		await new Promise((wait) => setTimeout(wait, 50));
		after = await count_connections(database.admin, database.name);
	}
	expect(after.busy).toBe(baseline.busy);
	expect(after.idle_in_transaction).toBe(0);
	expect(after.total).toBeLessThanOrEqual(POOL_SIZE);

	// Checkouts succeed again, also more at once than the app's pool holds.
	const again = await Promise.all(
		users.map((user_id, index) =>
			checkout.place(user_id, randomUUID(), line_for(database.products, index + 1))
		)
	);
	expect(again.filter((outcome) => outcome?.status !== 201).map((o) => o?.body)).toEqual([]);

	const anomalies = await find_order_anomalies(database.admin, INITIAL_STOCK);
	for (const [name, count] of Object.entries(anomalies)) {
		expect({ [name]: count }).toEqual({ [name]: 0 });
	}

	console.log(
		`[faults] pool saturated via ${checkout.via}: ${POOL_SIZE} server connections held, ` +
			`${CHECKOUTS} checkouts against an app pool of ${APP_POOL_MAX}: all 503 with ` +
			`Retry-After, slowest ${Math.round(slowest_ms)} ms (bound ${WAIT_BOUND_MS} ms), burst ` +
			`${Math.round(burst_ms)} ms; peak ${peak.total} server connections; busy ` +
			`connections back to ${after.busy}; ${CHECKOUTS} checkouts after release all 201`
	);
});
