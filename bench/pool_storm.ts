/**
 * Pool storm part of `npm run bench`. Simulates many serverless function instances that start at
 * the same moment. Each has its own `create_db` client with a pool of one connection, as a real
 * instance has, and places one order with `place_order` for its own user and idempotency key.
 * A superuser connection counts the application's server connections every 20 ms meanwhile.
 * Afterwards the part checks the written rows for lost, duplicate and oversold orders.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { place_order } from '../src/lib/server/commerce/checkout.ts';
import type { ErrorBody } from '../src/lib/server/commerce/errors.ts';
import { TEST_PAYMENT_PROVIDER } from '../src/lib/server/commerce/payment.ts';
import { create_db, read_database_settings } from '../src/lib/server/db/connect.ts';
import type { Database } from '../src/lib/server/db/schema.ts';
import { APP_ROLE, order_products, type BenchProduct } from './lib/bench_database.ts';
import { find_descendants, start_cpu_meter, type CpuUse } from './lib/cpu.ts';
import { progress, run_part } from './lib/part.ts';
import { count_by, summarize_latency, type LatencySummary } from './lib/stats.ts';

const APPROVED_CARD = '4242424242424242';
const POLL_INTERVAL_MS = 20;

export interface StormInput {
	run: 'direct' | 'pooled';
	/** URL the instances connect to: Postgres itself or PgBouncer. */
	url: string;
	/** Superuser URL on the same database, direct to Postgres. */
	admin_url: string;
	database: string;
	products: BenchProduct[];
	user_ids: number[];
	initial_stock: number;
	postmaster_pid: number | null;
	/** The benchmark runner, whose descendants include PgBouncer. */
	bench_pid: number;
}

export interface StormResult {
	run: 'direct' | 'pooled';
	instances: number;
	succeeded: number;
	failed: number;
	/** Failed instances by error kind, such as `53300 sorry, too many clients already`. */
	errors: Record<string, number>;
	orders_written: number;
	/** Orders in the database whose instance got no success: committed, but not acknowledged. */
	unacknowledged_orders: number;
	/** Successes with no order row. */
	lost_orders: number;
	duplicate_orders: number;
	/** Products whose sold quantity exceeds their initial stock, or whose stock is negative. */
	oversold_products: number;
	/** Products whose stock does not equal the initial stock minus the quantity sold. */
	stock_mismatches: number;
	peak_server_connections: number;
	connection_samples: number;
	/** Time from an instance's start to its result, for successful orders. */
	latency: LatencySummary;
	/** The same for failed instances. */
	failure_latency: LatencySummary;
	duration_s: number;
	/** CPU use from the start of the instances until the last one finished. */
	cpu: CpuUse;
}

interface InstanceOutcome {
	user_id: number;
	ok: boolean;
	kind: string | null;
	ms: number;
}

/**
 * The first connection error of the instance that runs in this context. `place_order` turns a
 * failed connection into a 503 body without its cause, so the pool's `connect` is wrapped below
 * to keep the SQLSTATE or driver message for the report.
 */
const connection_error = new AsyncLocalStorage<{ error?: unknown }>();

function record_connection_errors(): void {
	const prototype = pg.Pool.prototype as unknown as { connect: (...args: unknown[]) => unknown };
	const connect = prototype.connect;
	prototype.connect = function (this: pg.Pool, ...args: unknown[]) {
		const result = connect.apply(this, args);
		const slot = connection_error.getStore();
		if (slot && result instanceof Promise) {
			result.catch((error: unknown) => {
				slot.error ??= error;
			});
		}
		return result;
	};
}

function describe_error(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const code = (error as { code?: unknown }).code;
	const text = typeof code === 'string' ? `${code} ${error.message}` : error.message;
	return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

async function run_instance(
	db: Kysely<Database>,
	input: StormInput,
	index: number
): Promise<InstanceOutcome> {
	const started = performance.now();
	const slot: { error?: unknown } = {};
	const lines = order_products(input.products, index).map((product) => ({
		slug: product.slug,
		quantity: 1
	}));
	const user_id = input.user_ids[index] as number;

	try {
		const result = await connection_error.run(slot, () =>
			place_order(
				db,
				{ user_id, region: 'us', idempotency_key: randomUUID(), lines },
				{ provider: TEST_PAYMENT_PROVIDER, card_number: APPROVED_CARD }
			)
		);
		const ms = performance.now() - started;
		if (result.status === 201) return { user_id, ok: true, kind: null, ms };
		const code = (result.body as Partial<ErrorBody>).error?.code ?? 'no code';
		const cause = slot.error === undefined ? '' : `: ${describe_error(slot.error)}`;
		return { user_id, ok: false, kind: `${result.status} ${code}${cause}`, ms };
	} catch (error) {
		const ms = performance.now() - started;
		return { user_id, ok: false, kind: `thrown: ${describe_error(error)}`, ms };
	}
}

/** Counts the application's server connections until `stop()`, and returns the peak. */
function watch_connections(admin: pg.Client, database: string) {
	let peak = 0;
	let samples = 0;
	let stopped = false;
	const loop = (async () => {
		while (!stopped) {
			const started = performance.now();
			const { rows } = await admin.query<{ n: number }>(
				`select count(*)::int as n from pg_stat_activity
				where backend_type = 'client backend' and datname = $1 and usename = $2`,
				[database, APP_ROLE]
			);
			peak = Math.max(peak, rows[0]?.n ?? 0);
			samples++;
			const wait = POLL_INTERVAL_MS - (performance.now() - started);
			if (wait > 0) await new Promise((resume) => setTimeout(resume, wait));
		}
	})();
	return {
		get peak() {
			return peak;
		},
		async stop() {
			stopped = true;
			await loop;
			return { peak, samples };
		}
	};
}

interface StockRow {
	quantity: number;
	sold: number;
}

/** Checks the rows against the outcomes; `acknowledged` are the users whose order succeeded. */
async function check_orders(admin: pg.Client, initial_stock: number, acknowledged: number[]) {
	const orders = await admin.query<{ n: number }>('select count(*)::int as n from customer_order');
	const lost = await admin.query<{ n: number }>(
		`select count(*)::int as n from unnest($1::int[]) as acknowledged(user_id)
		where not exists (select 1 from customer_order o where o.user_id = acknowledged.user_id)`,
		[acknowledged]
	);
	const unacknowledged = await admin.query<{ n: number }>(
		`select count(*)::int as n from customer_order where user_id <> all($1::int[])`,
		[acknowledged]
	);
	const duplicates = await admin.query<{ n: number }>(
		`select coalesce(sum(n - 1), 0)::int as n
		from (select count(*) as n from customer_order group by user_id) as per_user`
	);
	const stock = await admin.query<StockRow>(
		`select s.quantity, coalesce(sum(i.quantity), 0)::int as sold
		from stock s left join order_item i on i.product_id = s.product_id
		group by s.product_id, s.quantity`
	);
	return {
		orders_written: orders.rows[0]?.n ?? 0,
		lost_orders: lost.rows[0]?.n ?? 0,
		unacknowledged_orders: unacknowledged.rows[0]?.n ?? 0,
		duplicate_orders: duplicates.rows[0]?.n ?? 0,
		oversold_products: stock.rows.filter((row) => row.sold > initial_stock || row.quantity < 0)
			.length,
		stock_mismatches: stock.rows.filter((row) => initial_stock - row.quantity !== row.sold).length
	};
}

async function main(input: StormInput): Promise<StormResult> {
	record_connection_errors();
	const count = input.user_ids.length;
	const admin = new pg.Client({ connectionString: input.admin_url });
	await admin.connect();

	try {
		// All instances share this machine's two cores, and each login runs SCRAM's key derivation in
		// this process, so logins queue behind CPU that real instances would not share. A 10 s
		// connect timeout in place of the 2 s default keeps that artefact out of the error count.
		const settings = read_database_settings({
			DATABASE_URL: input.url,
			DATABASE_POOL_MAX: '1',
			DATABASE_CONNECT_TIMEOUT_MS: '10000'
		});
		const instances = Array.from({ length: count }, () => create_db(settings));
		const watcher = watch_connections(admin, input.database);
		progress(
			`${count} instances start now, connecting to ${input.run === 'direct' ? 'Postgres' : 'PgBouncer'}`
		);

		const meter = start_cpu_meter({
			postgres: input.postmaster_pid === null ? [] : [input.postmaster_pid],
			pgbouncer: find_descendants(input.bench_pid, 'pgbouncer')
		});
		const started = performance.now();
		const outcomes: InstanceOutcome[] = [];
		const ticker = setInterval(() => {
			const failed = outcomes.filter((outcome) => !outcome.ok).length;
			progress(
				`${outcomes.length}/${count} finished, ${failed} failed, ` +
					`peak ${watcher.peak} server connections`
			);
		}, 1_000);
		await Promise.all(
			instances.map(async (db, index) => outcomes.push(await run_instance(db, input, index)))
		);
		const duration_s = (performance.now() - started) / 1000;
		const cpu = meter.stop();
		clearInterval(ticker);
		// Instances keep their connection until all have finished, as live function instances would.
		const { peak, samples } = await watcher.stop();
		await Promise.all(instances.map((db) => db.destroy()));

		const succeeded = outcomes.filter((outcome) => outcome.ok);
		const failed = outcomes.filter((outcome) => !outcome.ok);
		const checks = await check_orders(
			admin,
			input.initial_stock,
			succeeded.map((outcome) => outcome.user_id)
		);
		progress(
			`done in ${duration_s.toFixed(1)} s: ${succeeded.length} orders placed, ` +
				`${failed.length} failed, peak ${peak} server connections`
		);
		return {
			run: input.run,
			instances: count,
			succeeded: succeeded.length,
			failed: failed.length,
			errors: count_by(failed.map((outcome) => outcome.kind ?? 'unknown')),
			...checks,
			peak_server_connections: peak,
			connection_samples: samples,
			latency: summarize_latency(succeeded.map((outcome) => outcome.ms)),
			failure_latency: summarize_latency(failed.map((outcome) => outcome.ms)),
			duration_s,
			cpu
		};
	} finally {
		await admin.end();
	}
}

await run_part(main);
