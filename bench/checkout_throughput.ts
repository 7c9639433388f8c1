/**
 * Checkout throughput part of `npm run bench`. Measures, one after the other on the same
 * database:
 *
 * 1. the pgbench ceiling: a custom script with the writes of one order, direct to Postgres;
 * 2. `place_order` from concurrent workers through PgBouncer, without the HTTP layer;
 * 3. the built SvelteKit server (`.svelte-kit/output/server`) responding to POST `/api/checkout`
 *    with a signed-in session, through PgBouncer. Skipped when the build has no such route.
 *
 * Each run reports orders per second and the CPU that Node, Postgres and PgBouncer used.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
	KyselyPlugin,
	PluginTransformQueryArgs,
	PluginTransformResultArgs,
	QueryResult,
	RootOperationNode,
	UnknownRow
} from 'kysely';
import pg from 'pg';
import { place_order } from '../src/lib/server/commerce/checkout.ts';
import { TEST_PAYMENT_PROVIDER } from '../src/lib/server/commerce/payment.ts';
import { create_db, read_database_settings } from '../src/lib/server/db/connect.ts';
import { load_session_keyring } from '../src/lib/shared/session/keys.ts';
import { SESSION_COOKIE } from '../src/lib/shared/session/policy.ts';
import { sign_session_token } from '../src/lib/shared/session/sign.ts';
import { POSTGRES_BIN } from '../tests/support/postgres_cluster.ts';
import { order_products, type BenchProduct } from './lib/bench_database.ts';
import { find_descendants, start_cpu_meter, type CpuUse } from './lib/cpu.ts';
import { count_console_output, progress, run_part } from './lib/part.ts';
import { count_by, round, summarize_latency, type LatencySummary } from './lib/stats.ts';

const APPROVED_CARD = '4242424242424242';
const CHECKOUT_ROUTE = '/api/checkout';
/** pgbench threads: one per core, because more would only add switching. */
const PGBENCH_THREADS = Math.max(1, availableParallelism());

export interface ThroughputInput {
	/** PgBouncer's URL for the application role. */
	pooled_url: string;
	/** The application role's URL direct to Postgres, for pgbench. */
	direct_url: string;
	database: string;
	products: BenchProduct[];
	user_ids: number[];
	workers: number;
	duration_s: number;
	warm_up_s: number;
	/** `.svelte-kit/output/server` of the build. */
	server_dir: string;
	secrets: { SESSION_SECRET: string; IDENTITY_SECRET: string };
	postmaster_pid: number | null;
	/** The benchmark runner, whose descendants include PgBouncer. */
	bench_pid: number;
}

export interface PgbenchRun {
	/** Statements per transaction besides BEGIN and END. */
	statements: number;
	transactions_per_s: number;
	transactions: number;
	failed_transactions: number;
	latency_average_ms: number | null;
	clients: number;
	duration_s: number;
	cpu: CpuUse;
}

export interface LoadRun {
	/** Queries per order besides BEGIN and COMMIT, where the run could count them. */
	queries_per_order: number | null;
	orders: number;
	orders_per_s: number;
	/** Responses other than 201, by status and code. */
	errors: Record<string, number>;
	latency: LatencySummary;
	workers: number;
	duration_s: number;
	/** Orders the database gained during the run, warm-up included, against the 201 responses. */
	orders_written: number;
	created_responses: number;
	cpu: CpuUse;
}

export interface ThroughputResult {
	pgbench: PgbenchRun;
	place_order: LoadRun;
	/** Null when the build has no checkout route, and `handler_missing` then gives the reason. */
	handler: LoadRun | null;
	handler_missing: string | null;
	/** Lines the built server logged during its run, counted by kind instead of printed. */
	handler_log_lines: Record<string, number>;
}

type Outcome = { status: number; code: string | null };

/** Counts the queries Kysely sends. BEGIN and COMMIT do not pass through plugins. */
class QueryCounter implements KyselyPlugin {
	count = 0;

	transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
		this.count++;
		return args.node;
	}

	async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		return args.result;
	}
}

/** Returns `value` as a SQL string literal, with single quotes doubled. */
function sql_literal(value: string): string {
	return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Builds the writes of one order as a pgbench script: three stock updates by ascending id, the
 * order, its three items, the payment audit row, the outbox event and the stored idempotent
 * response. Products are picked from the thirds of the catalog as `order_products` picks them.
 */
function pgbench_script(input: ThroughputInput): { text: string; statements: number } {
	const products = input.products;
	const ids = products.map((product) => product.id);
	const contiguous = ids.every((id, index) => id === (ids[0] as number) + index);
	if (!contiguous) throw new Error('pgbench needs contiguous product ids in the fresh database');
	const third = Math.floor(products.length / 3);
	const first_user = Math.min(...input.user_ids);
	const last_user = Math.max(...input.user_ids);

	const sample = order_products(products, 0);
	const items = sample.map((product) => ({
		slug: product.slug,
		name: 'Benchmark item name of typical length',
		unit_price: 2000,
		quantity: 1,
		line_total: 2000
	}));
	const order = {
		id: 1,
		status: 'paid',
		region: 'us',
		currency: 'USD',
		total: 6000,
		created_at: new Date().toISOString(),
		items
	};
	const customer = { id: first_user, email: 'buyer-1@bench.example', name: 'Bench Buyer 1' };
	const payload = sql_literal(JSON.stringify({ order, customer }));
	const body = sql_literal(JSON.stringify({ order }));
	const stock = (variable: string) =>
		`UPDATE stock SET quantity = quantity - 1, updated_at = now() WHERE product_id = :${variable} AND quantity >= 1;`;
	const item = (variable: string) =>
		`(:order_id, :${variable}, 'pgbench-item', 'Benchmark item name of typical length', 2000, 1, 2000)`;

	const lines = [
		`\\set third ${third}`,
		`\\set p1 ${ids[0]} + random(0, :third - 1)`,
		'\\set p2 :p1 + :third',
		'\\set p3 :p2 + :third',
		`\\set buyer random(${first_user}, ${last_user})`,
		'BEGIN;',
		stock('p1'),
		stock('p2'),
		stock('p3'),
		`INSERT INTO customer_order (user_id, region, currency, total, payment_reference) VALUES (:buyer, 'us', 'USD', 6000, 'test_pgbench') RETURNING id AS order_id \\gset`,
		`INSERT INTO order_item (order_id, product_id, slug, name, unit_price, quantity, line_total) VALUES ${['p1', 'p2', 'p3'].map(item).join(', ')};`,
		`INSERT INTO payment_audit (user_id, order_id, idempotency_key, provider, outcome, amount, currency, card_last4, reference) VALUES (:buyer, :order_id, 'pgbench', 'test', 'approved', 6000, 'USD', '4242', 'test_pgbench');`,
		`INSERT INTO outbox_event (topic, payload) VALUES ('order.placed', ${payload});`,
		`INSERT INTO idempotency_key (user_id, key, request_hash, response_status, response_body) VALUES (:buyer, cast(gen_random_uuid() as text), '${'0'.repeat(64)}', 201, ${body});`,
		'END;',
		''
	];
	const statements = lines.filter((line) => /^(INSERT|UPDATE)\b/.test(line)).length;
	return { text: lines.join('\n'), statements };
}

function read_number(output: string, pattern: RegExp): number | null {
	const match = pattern.exec(output);
	return match ? Number(match[1]) : null;
}

function cpu_trees(input: ThroughputInput): Record<string, number[]> {
	return {
		postgres: input.postmaster_pid === null ? [] : [input.postmaster_pid],
		pgbouncer: find_descendants(input.bench_pid, 'pgbouncer')
	};
}

async function run_pgbench(input: ThroughputInput): Promise<PgbenchRun> {
	const folder = mkdtempSync(join(tmpdir(), 'splitshop-pgbench-'));
	const script = join(folder, 'order.sql');
	const { text, statements } = pgbench_script(input);
	writeFileSync(script, text);
	const url = new URL(input.direct_url);
	const args = [
		'--no-vacuum',
		'--protocol=extended',
		`--client=${input.workers}`,
		`--jobs=${Math.min(PGBENCH_THREADS, input.workers)}`,
		`--time=${input.duration_s}`,
		`--file=${script}`,
		`--host=${url.hostname}`,
		`--port=${url.port}`,
		`--username=${decodeURIComponent(url.username)}`,
		input.database
	];
	progress(
		`pgbench: ${input.workers} clients, ${input.duration_s} s, the writes of one order per transaction`
	);

	const meter = start_cpu_meter(cpu_trees(input));
	const child = spawn(join(POSTGRES_BIN, 'pgbench'), args, {
		env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const code = await new Promise<number | null>((done) => child.once('close', done));
	const cpu = meter.stop();
	rmSync(folder, { recursive: true, force: true });

	const tps = read_number(output, /^tps = ([\d.]+) \(without initial connection time\)/m);
	if (code !== 0 || tps === null) {
		const tail = output.trim().split('\n').slice(-8).join('\n');
		throw new Error(`pgbench exited with code ${code}:\n${tail}`);
	}
	const transactions = read_number(output, /^number of transactions actually processed: (\d+)/m);
	const failed = read_number(output, /^number of failed transactions: (\d+)/m);
	progress(`pgbench: ${tps.toFixed(0)} transactions/s`);
	return {
		statements,
		transactions_per_s: round(tps) as number,
		transactions: transactions ?? 0,
		failed_transactions: failed ?? 0,
		latency_average_ms: read_number(output, /^latency average = ([\d.]+) ms/m),
		clients: input.workers,
		duration_s: input.duration_s,
		cpu
	};
}

async function count_orders(admin: pg.Client): Promise<number> {
	const { rows } = await admin.query<{ n: number }>(
		'select count(*)::int as n from customer_order'
	);
	return rows[0]?.n ?? 0;
}

/**
 * Runs `place` from `workers` concurrent loops for the warm-up and then the measured window,
 * and counts the 201 responses that complete inside the window.
 */
async function run_load(
	input: ThroughputInput,
	admin: pg.Client,
	label: string,
	place: (worker: number, sequence: number) => Promise<Outcome>,
	counter?: QueryCounter
): Promise<LoadRun> {
	const before = await count_orders(admin);
	const meter_trees = cpu_trees(input);
	let sequence = 0;
	let created = 0;
	let measuring = false;
	let meter: ReturnType<typeof start_cpu_meter> | undefined;
	const durations: number[] = [];
	const failures: string[] = [];

	const started = performance.now();
	const window_start = started + input.warm_up_s * 1000;
	const window_end = window_start + input.duration_s * 1000;
	const ticker = setInterval(() => {
		if (!measuring && performance.now() >= window_start) {
			measuring = true;
			meter = start_cpu_meter(meter_trees);
		}
		const phase = measuring ? `${durations.length} orders measured` : 'warming up';
		progress(`${label}: ${phase}, ${failures.length} errors`);
	}, 1_000);

	const worker = async (index: number) => {
		while (performance.now() < window_end) {
			const request_started = performance.now();
			const outcome = await place(index, sequence++);
			const finished = performance.now();
			if (outcome.status === 201) created++;
			if (finished < window_start || finished > window_end) continue;
			if (outcome.status === 201) durations.push(finished - request_started);
			else failures.push(`${outcome.status} ${outcome.code ?? ''}`.trim());
		}
	};
	await Promise.all(Array.from({ length: input.workers }, (_, index) => worker(index)));
	clearInterval(ticker);
	const cpu = (meter ?? start_cpu_meter(meter_trees)).stop();
	const orders_written = (await count_orders(admin)) - before;

	const orders_per_s = durations.length / input.duration_s;
	progress(`${label}: ${orders_per_s.toFixed(0)} orders/s`);
	return {
		queries_per_order: counter && created > 0 ? round(counter.count / created) : null,
		orders: durations.length,
		orders_per_s: round(orders_per_s) as number,
		errors: count_by(failures),
		latency: summarize_latency(durations),
		workers: input.workers,
		duration_s: input.duration_s,
		orders_written,
		created_responses: created,
		cpu
	};
}

function lines_for(input: ThroughputInput, sequence: number) {
	return order_products(input.products, sequence).map((product) => ({
		slug: product.slug,
		quantity: 1
	}));
}

async function run_place_order(input: ThroughputInput, admin: pg.Client): Promise<LoadRun> {
	const counter = new QueryCounter();
	const db = create_db(
		read_database_settings({
			DATABASE_URL: input.pooled_url,
			DATABASE_POOL_MAX: String(input.workers)
		})
	).withPlugin(counter);
	try {
		return await run_load(
			input,
			admin,
			'place_order',
			async (worker, sequence) => {
				const user_id = input.user_ids[worker % input.user_ids.length] as number;
				const result = await place_order(
					db,
					{
						user_id,
						region: 'us',
						idempotency_key: randomUUID(),
						lines: lines_for(input, sequence)
					},
					{ provider: TEST_PAYMENT_PROVIDER, card_number: APPROVED_CARD }
				);
				const body = result.body as { error?: { code?: string } };
				return { status: result.status, code: body.error?.code ?? null };
			},
			counter
		);
	} finally {
		await db.destroy();
	}
}

/** The parts of Netlify's function context that the app reads. `waitUntil` drops its work. */
const NETLIFY_CONTEXT = { ip: '127.0.0.1', waitUntil: () => {} };

/** The parts of SvelteKit's built `Server` and manifest that the benchmark uses. */
interface BuiltServer {
	init(options: { env: Record<string, string> }): Promise<void>;
	respond(
		request: Request,
		options: { getClientAddress(): string; platform?: unknown }
	): Promise<Response>;
}
interface BuiltManifest {
	_: { routes: { id: string }[] };
}

async function load_server(input: ThroughputInput): Promise<BuiltServer | string> {
	const manifest_file = join(input.server_dir, 'manifest.js');
	if (!existsSync(manifest_file)) return `${manifest_file} not found: run npm run build`;
	const { manifest } = (await import(pathToFileURL(manifest_file).href)) as {
		manifest: BuiltManifest;
	};
	if (!manifest._.routes.some((route) => route.id === CHECKOUT_ROUTE)) {
		return `the build has no ${CHECKOUT_ROUTE} route`;
	}

	// The app reads the database settings from process.env, and the session secrets from `env`.
	process.env.DATABASE_URL = input.pooled_url;
	process.env.DATABASE_POOL_MAX = String(input.workers);
	Object.assign(process.env, input.secrets);
	// Without these two, checkouts do not call the outbox background function over the network.
	delete process.env.URL;
	delete process.env.OUTBOX_TRIGGER_SECRET;

	const { Server } = (await import(pathToFileURL(join(input.server_dir, 'index.js')).href)) as {
		Server: new (manifest: BuiltManifest) => BuiltServer;
	};
	const server = new Server(manifest);
	await server.init({ env: process.env as Record<string, string> });
	return server;
}

async function run_handler(
	input: ThroughputInput,
	admin: pg.Client,
	server: BuiltServer
): Promise<LoadRun> {
	const keyring = await load_session_keyring({ current: input.secrets.SESSION_SECRET });
	const cookies = await Promise.all(
		input.user_ids.map(async (user_id) => {
			const { token } = await sign_session_token(
				{ user_id: String(user_id), role: 'customer' },
				keyring
			);
			return `${SESSION_COOKIE}=${token}`;
		})
	);

	return run_load(input, admin, 'HTTP handler', async (worker, sequence) => {
		const request = new Request(`http://localhost${CHECKOUT_ROUTE}`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'idempotency-key': randomUUID(),
				cookie: cookies[worker % cookies.length] as string
			},
			body: JSON.stringify({ region: 'us', lines: lines_for(input, sequence), card: APPROVED_CARD })
		});
		const response = await server.respond(request, {
			getClientAddress: () => '127.0.0.1',
			platform: { context: NETLIFY_CONTEXT }
		});
		const text = await response.text();
		let code: string | null = null;
		if (response.status !== 201) {
			try {
				const body = JSON.parse(text) as { error?: { code?: string }; code?: string };
				code = body.error?.code ?? body.code ?? null;
			} catch {
				code = 'non-JSON body';
			}
		}
		return { status: response.status, code };
	});
}

async function main(input: ThroughputInput): Promise<ThroughputResult> {
	const admin = new pg.Client({ connectionString: input.direct_url });
	await admin.connect();
	try {
		const pgbench = await run_pgbench(input);
		const library = await run_place_order(input, admin);
		// The server logs a JSON line per request, and printing thousands would slow the run down.
		const console_output = count_console_output();
		try {
			const server = await load_server(input);
			const log_lines = () => Object.fromEntries(console_output.counts);
			if (typeof server === 'string') {
				progress(`HTTP handler: not measured, because ${server}`);
				return {
					pgbench,
					place_order: library,
					handler: null,
					handler_missing: server,
					handler_log_lines: log_lines()
				};
			}
			const handler = await run_handler(input, admin, server);
			return {
				pgbench,
				place_order: library,
				handler,
				handler_missing: null,
				handler_log_lines: log_lines()
			};
		} finally {
			console_output.restore();
		}
	} finally {
		await admin.end();
	}
}

await run_part(main);
