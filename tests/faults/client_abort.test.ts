/**
 * Clients that give up: a checkout whose client closes the connection right after sending, or
 * whose database connection is cut in the middle of the order transaction, and which is then
 * retried with the same key. Every key must end with exactly one order: none lost, none twice.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PgBouncer } from '../../scripts/pgbouncer.ts';
import { has_build, start_app_server, type AppServer } from './support/app_server.ts';
import {
	line_for,
	open_checkout,
	serves_checkout,
	settle_checkout,
	type CheckoutOptions,
	type CheckoutOutcome
} from './support/checkout_client.ts';
import { find_order_anomalies, orders_per_user } from './support/consistency.ts';
import {
	APP_ROLE,
	open_fault_database,
	start_pooler,
	type FaultDatabase
} from './support/fault_database.ts';

const INITIAL_STOCK = 10_000;
/** Attempts per key; every key settles in far fewer. */
const MAX_ATTEMPTS = 30;

interface KeyRun {
	user_id: number;
	outcomes: (CheckoutOutcome | null)[];
}

/** Describes each key whose last outcome is not a 201. */
function unsettled(runs: KeyRun[]): string[] {
	return runs
		.filter((run) => run.outcomes.at(-1)?.status !== 201)
		.map((run) => {
			const last = run.outcomes.at(-1);
			return `user ${run.user_id}: ${last ? `${last.status} ${last.body}` : 'no response'}`;
		});
}

/** Asserts that each user has exactly one order and that every order is whole. */
async function expect_one_order_per_user(database: FaultDatabase, users: number[]) {
	const per_user = await orders_per_user(database.admin);
	expect(users.filter((user_id) => per_user.get(user_id) === undefined)).toEqual([]);
	expect(users.filter((user_id) => (per_user.get(user_id) ?? 0) > 1)).toEqual([]);
	const anomalies = await find_order_anomalies(database.admin, INITIAL_STOCK);
	for (const [name, count] of Object.entries(anomalies)) {
		expect({ [name]: count }).toEqual({ [name]: 0 });
	}
}

describe('client aborts', () => {
	const KEYS = 60;
	let database: FaultDatabase;
	let pooler: PgBouncer;
	let server: AppServer | null = null;

	beforeAll(async () => {
		database = await open_fault_database('client_abort');
		await database.set_stock(INITIAL_STOCK);
		pooler = await start_pooler(database.app_url, { pool_size: 20 });
		if (has_build()) server = await start_app_server({ database_url: pooler.url, pool_max: 10 });
	});

	afterAll(async () => {
		await server?.stop();
		await pooler?.stop();
		await database?.destroy();
	});

	test('aborted then retried checkouts', async (context) => {
		if (!serves_checkout(server)) {
			context.skip('needs a build with /api/checkout: run npm run build');
		}
		const checkout = open_checkout(server, { database_url: pooler.url });
		const users = await database.create_users(KEYS);
		const started = performance.now();

		// A third of the clients close the socket halfway through the body, a third as soon as the
		// request is written, and a third a few milliseconds later, while the order is being placed.
		const aborts: CheckoutOptions[] = [
			{ abort_while_sending: true },
			{ abort_after_ms: 0 },
			{ abort_after_ms: 2 }
		];
		const runs = await Promise.all(
			users.map(async (user_id, index): Promise<KeyRun> => {
				const outcomes = await settle_checkout(
					checkout,
					user_id,
					randomUUID(),
					line_for(database.products, index),
					{
						max_attempts: MAX_ATTEMPTS,
						first: aborts[index % aborts.length],
						retry_delay_ms: (outcome) => (outcome ? Number(outcome.retry_after ?? 1) * 1000 : 20)
					}
				);
				return { user_id, outcomes };
			})
		);
		const elapsed_s = (performance.now() - started) / 1000;
		await checkout.close();

		expect(unsettled(runs)).toEqual([]);
		await expect_one_order_per_user(database, users);

		const aborted = runs.filter((run) => run.outcomes[0] === null).length;
		const replayed = runs.filter((run) => run.outcomes.at(-1)?.replayed).length;
		expect(server!.output.filter((line) => line.includes('"level":"error"'))).toEqual([]);
		console.log(
			`[faults] client aborts via ${checkout.via}: ${KEYS} keys, ${aborted} first attempts ` +
				`aborted, ${replayed} settled by a replay and ${KEYS - replayed} by a new order, ` +
				`0 lost, 0 duplicated, ${elapsed_s.toFixed(1)} s`
		);
	});
});

describe('connections cut mid-transaction', () => {
	const KEYS = 80;
	const WORKERS = 8;
	/** Maximum backends terminated. The cutting also stops once every key has settled. */
	const MAX_CUTS = 40;
	let database: FaultDatabase;

	beforeAll(async () => {
		database = await open_fault_database('cut_connection');
		await database.set_stock(INITIAL_STOCK);
	});

	afterAll(async () => {
		await database?.destroy();
	});

	test('cut connections then retried checkouts', async () => {
		// Direct to Postgres, so each terminated backend is the connection of one checkout.
		const checkout = open_checkout(null, { database_url: database.app_url, pool_max: WORKERS });
		const users = await database.create_users(KEYS);
		const started = performance.now();

		let running = true;
		let cuts = 0;
		const cutter = (async () => {
			while (running && cuts < MAX_CUTS) {
				// Only backends inside a transaction, so each cut lands between BEGIN and COMMIT.
				const { rows } = await database.admin.query<{ cut: boolean }>(
					`select pg_terminate_backend(pid) as cut from pg_stat_activity
					where datname = $1 and usename = $2 and xact_start is not null
					order by random() limit 1`,
					[database.name, APP_ROLE]
				);
				if (rows[0]?.cut) cuts++;
				await new Promise((wait) => setTimeout(wait, 3 + Math.random() * 10));
			}
		})();

		const queue = users.map((user_id, index) => ({ user_id, index }));
		const runs: KeyRun[] = [];
		await Promise.all(
			Array.from({ length: WORKERS }, async () => {
				for (let next = queue.shift(); next; next = queue.shift()) {
					const outcomes = await settle_checkout(
						checkout,
						next.user_id,
						randomUUID(),
						line_for(database.products, next.index),
						{ max_attempts: MAX_ATTEMPTS, retry_delay_ms: () => 10 }
					);
					runs.push({ user_id: next.user_id, outcomes });
				}
			})
		);
		running = false;
		await cutter;
		const elapsed_s = (performance.now() - started) / 1000;
		await checkout.close();

		const outcomes = runs.flatMap((run) => run.outcomes);
		const failed = outcomes.filter((outcome) => outcome !== null && outcome.status >= 500);
		expect(cuts).toBeGreaterThan(0);
		expect(failed.filter((outcome) => outcome!.status !== 503)).toEqual([]);
		expect(failed.filter((outcome) => outcome!.retry_after === null)).toEqual([]);
		expect(unsettled(runs)).toEqual([]);
		await expect_one_order_per_user(database, users);

		const replayed = runs.filter((run) => run.outcomes.at(-1)?.replayed).length;
		console.log(
			`[faults] cut connections via ${checkout.via}: ${KEYS} keys, ${cuts} backends ` +
				`terminated mid-transaction, ${failed.length} x 503 then retried, ${replayed} settled ` +
				`by a replay, 0 lost, 0 duplicated, ${elapsed_s.toFixed(1)} s`
		);
	});
});
