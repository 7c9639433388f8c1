/**
 * PostgreSQL stopped in the middle of a stream of checkouts, as in a crash (`immediate` skips
 * the shutdown checkpoint), and started again. During the outage every checkout must fail fast
 * with 503 and `Retry-After`. Afterwards no order may be half-written or, once acknowledged,
 * lost, and new checkouts must succeed. It runs twice, with the app connected directly and
 * through PgBouncer, each time on a cluster of its own.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PgBouncer } from '../../scripts/pgbouncer.ts';
import { start_postgres_cluster, type PostgresCluster } from '../support/postgres_cluster.ts';
import { has_build, start_app_server, type AppServer } from './support/app_server.ts';
import {
	is_retryable,
	line_for,
	open_checkout,
	type CheckoutClient,
	type CheckoutOutcome
} from './support/checkout_client.ts';
import { prepare_cluster } from './support/cluster.ts';
import { find_order_anomalies } from './support/consistency.ts';
import { open_fault_database, start_pooler, type FaultDatabase } from './support/fault_database.ts';

const INITIAL_STOCK = 100_000;
const WORKERS = 8;
/** Maximum time a checkout may take to fail while the database is down. */
const OUTAGE_RESPONSE_BUDGET_MS = 2_000;
/** Load before the stop, length of the outage, and load after the restart. */
const BEFORE_MS = 1_000;
const OUTAGE_MS = 2_000;
const AFTER_MS = 3_500;
/** Time the app gets after the restart before every checkout must succeed again. */
const RECOVERY_GRACE_MS = 2_000;
/** Pause between retries. It is shorter than `Retry-After`, so many requests arrive during the outage. */
const RETRY_PAUSE_MS = 50;

interface Attempt {
	key: string;
	started: number;
	finished: number;
	outcome: CheckoutOutcome | null;
}

describe.each(['direct', 'PgBouncer'] as const)('%s', (path) => {
	let cluster: PostgresCluster;
	let pooler: PgBouncer | undefined;
	let database: FaultDatabase;
	let server: AppServer | null = null;
	let checkout: CheckoutClient;
	let users: number[];

	beforeAll(async () => {
		cluster = await start_postgres_cluster({ max_connections: 50 });
		database = await open_fault_database('restart', await prepare_cluster(cluster.url));
		await database.set_stock(INITIAL_STOCK);
		users = await database.create_users(WORKERS);
		// Directly, the app's own pool must notice the outage and recover; through PgBouncer, the
		// pooler must, while the app keeps its connections to PgBouncer.
		if (path === 'PgBouncer') pooler = await start_pooler(database.app_url, { pool_size: WORKERS });
		const target = { database_url: pooler?.url ?? database.app_url, pool_max: WORKERS };
		if (has_build()) server = await start_app_server(target);
		checkout = open_checkout(server, target);
	});

	afterAll(async () => {
		await checkout?.close();
		await server?.stop();
		await pooler?.stop();
		await database?.admin.end().catch(() => undefined);
		await cluster?.stop();
	});

	test('database restart during checkouts', async () => {
		const attempts: Attempt[] = [];
		const started = performance.now();
		const now = () => performance.now() - started;
		let stopping = false;

		// Each worker retries its key until the status is final (not 503 or 409 in flight), then takes a new key.
		const worker = async (worker_index: number) => {
			let key = randomUUID();
			let sequence = 0;
			while (now() < BEFORE_MS + OUTAGE_MS + AFTER_MS || stopping) {
				const request_started = now();
				const outcome = await checkout
					.place(users[worker_index]!, key, line_for(database.products, worker_index + sequence))
					.catch(() => null);
				attempts.push({ key, started: request_started, finished: now(), outcome });
				if (outcome && !is_retryable(outcome) && outcome.status !== 500) {
					key = randomUUID();
					sequence++;
				} else {
					await new Promise((wait) => setTimeout(wait, RETRY_PAUSE_MS));
				}
			}
		};

		const workers = Array.from({ length: WORKERS }, (_, index) => worker(index));
		await new Promise((wait) => setTimeout(wait, BEFORE_MS));
		stopping = true;
		const stop_begin = now();
		await cluster.stop_server('immediate');
		const stop_end = now();
		await new Promise((wait) => setTimeout(wait, OUTAGE_MS));
		const start_begin = now();
		await cluster.start_server();
		const start_end = now();
		stopping = false;
		await Promise.all(workers);
		await database.reconnect_admin();

		const outage = attempts.filter(
			(attempt) => attempt.started >= stop_end && attempt.finished <= start_begin
		);
		const around_stop = attempts.filter(
			(attempt) => attempt.started < stop_end && attempt.finished > stop_begin
		);
		const recovered = attempts.filter(
			(attempt) => attempt.started >= start_end + RECOVERY_GRACE_MS
		);
		const describe_attempt = (attempt: Attempt) =>
			`${attempt.outcome?.status ?? 'no response'} after ${Math.round(attempt.finished - attempt.started)} ms`;

		expect(server?.exit_report() ?? null).toBeNull();
		expect(attempts.filter((attempt) => attempt.outcome === null).map(describe_attempt)).toEqual(
			[]
		);
		expect(
			attempts.filter((attempt) => attempt.outcome!.status === 500).map(describe_attempt)
		).toEqual([]);

		expect(outage.length).toBeGreaterThan(WORKERS);
		expect(
			outage.filter((attempt) => attempt.outcome!.status !== 503).map(describe_attempt)
		).toEqual([]);
		expect(outage.filter((attempt) => attempt.outcome!.retry_after === null)).toEqual([]);
		const slowest_ms = Math.max(...outage.map((attempt) => attempt.finished - attempt.started));
		expect(slowest_ms).toBeLessThanOrEqual(OUTAGE_RESPONSE_BUDGET_MS);

		expect(recovered.length).toBeGreaterThan(WORKERS);
		expect(
			recovered.filter((attempt) => attempt.outcome!.status !== 201).map(describe_attempt)
		).toEqual([]);

		// Every order the client saw acknowledged survived the crash.
		const acknowledged = attempts
			.filter((attempt) => attempt.outcome!.status === 201)
			.map((attempt) => (JSON.parse(attempt.outcome!.body) as { order: { id: number } }).order.id);
		const { rows } = await database.admin.query<{ id: number }>(
			'select id from customer_order where id = any($1::int[])',
			[acknowledged]
		);
		expect(new Set(acknowledged).size - rows.length).toBe(0);

		const anomalies = await find_order_anomalies(database.admin, INITIAL_STOCK);
		for (const [name, count] of Object.entries(anomalies)) {
			expect({ [name]: count }).toEqual({ [name]: 0 });
		}

		const first_success = recovered.length
			? Math.min(
					...attempts
						.filter((attempt) => attempt.started >= start_end && attempt.outcome!.status === 201)
						.map((attempt) => attempt.finished)
				) - start_end
			: NaN;
		console.log(
			`[faults] postgres restart, ${path}, via ${checkout.via}: ${attempts.length} requests, ` +
				`${outage.length} during the ${Math.round(start_begin - stop_end)} ms outage, all 503 ` +
				`with Retry-After, slowest ${Math.round(slowest_ms)} ms; ${around_stop.length} in flight ` +
				`at the stop; first order ${Math.round(first_success)} ms after the restart; ` +
				`${new Set(acknowledged).size} acknowledged orders kept, 0 partial`
		);
	});
});
