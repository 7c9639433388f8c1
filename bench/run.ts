/**
 * `npm run bench`: the pool storm, checkout throughput against pgbench, the edge pipeline,
 * function cold start and page weight, each in its own child process with a time limit. It
 * prints progress while it runs and one table at the end, and writes `docs/BENCHMARKS.md` and
 * `bench-results.json`.
 *
 * It reads the build outputs (`build/`, `.svelte-kit/output/`, `.netlify/`): run `npm run build`
 * or `npm run preview` first, or pass `--build` to run `netlify build --offline` against the
 * benchmark's own database.
 * Everything it starts (one PostgreSQL cluster, PgBouncer, child processes) listens on
 * 127.0.0.1 and is stopped at the end, also after a failure or Ctrl-C.
 *
 * Usage: node bench/run.ts [--build] [--only part,part]
 * With `--only`, only the table is printed and no file is written.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start_pgbouncer, type PgBouncer } from '../scripts/pgbouncer.ts';
import {
	find_free_port,
	start_postgres_cluster,
	type PostgresCluster
} from '../tests/support/postgres_cluster.ts';
import type { ThroughputInput, ThroughputResult } from './checkout_throughput.ts';
import type { ColdStartInput, ColdStartResult } from './cold_start.ts';
import {
	create_app_role,
	create_bench_database,
	type BenchDatabase
} from './lib/bench_database.ts';
import { kill_running_children, run_child, type ChildOutcome } from './lib/child.ts';
import { read_postmaster_pid } from './lib/cpu.ts';
import { parse_edge_output, type EdgeResult } from './lib/edge_output.ts';
import { read_machine_info, read_versions } from './lib/machine.ts';
import {
	build_report,
	format_json,
	format_markdown,
	format_table,
	type PartReport
} from './lib/report.ts';
import {
	COLD_START_RUNS,
	PART_NAMES,
	POOL_SIZE,
	STORM_INSTANCES,
	STORM_MAX_CONNECTIONS,
	THROUGHPUT_DURATION_S,
	THROUGHPUT_WARM_UP_S,
	THROUGHPUT_WORKERS,
	type PartName
} from './lib/settings.ts';
import type { PageWeightInput, PageWeightResult } from './page_weight.ts';
import type { StormInput, StormResult } from './pool_storm.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MARKDOWN_FILE = join(ROOT, 'docs/BENCHMARKS.md');
const JSON_FILE = join(ROOT, 'bench-results.json');

/** Hard limits per part, in ms. A part past its limit is stopped and reported as timed out. */
const TIMEOUT_MS = {
	setup: 120_000,
	build: 300_000,
	storm_run: 120_000,
	checkout_throughput: 180_000,
	edge: 300_000,
	cold_start: 120_000,
	page_weight: 60_000
};

/** Stock per product: the storm and the throughput runs must never run out. */
const STOCK = 1_000_000_000;

const USAGE = `Usage: node bench/run.ts [--build] [--only part,part]

  --build  run netlify build --offline first, against the benchmark's own database
  --only   run only these parts (${PART_NAMES.join(', ')}); prints the table, writes no file`;

interface Options {
	help: boolean;
	build: boolean;
	only: PartName[] | null;
}

function parse_options(argv: string[]): Options {
	const options: Options = { help: false, build: false, only: null };
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index] as string;
		if (arg === '--help' || arg === '-h') options.help = true;
		else if (arg === '--build') options.build = true;
		else if (arg === '--only' || arg.startsWith('--only=')) {
			const value = arg === '--only' ? (argv[++index] ?? '') : arg.slice('--only='.length);
			const names = value.split(',').filter(Boolean);
			const unknown = names.filter((name) => !PART_NAMES.includes(name as PartName));
			if (names.length === 0 || unknown.length > 0) {
				throw new Error(
					`Invalid --only "${value}": expected a comma-separated list of ${PART_NAMES.join(', ')}`
				);
			}
			options.only = names as PartName[];
		} else {
			throw new Error(`Unknown argument "${arg}".\n${USAGE}`);
		}
	}
	return options;
}

/** Stop functions of the servers started so far, which `clean_up` runs in reverse order. */
const cleanups: (() => Promise<void>)[] = [];

async function clean_up(): Promise<void> {
	while (cleanups.length > 0) {
		const stop = cleanups.pop() as () => Promise<void>;
		await stop().catch((error: unknown) =>
			console.error(`bench: clean-up failed: ${(error as Error).message}`)
		);
	}
}

async function with_timeout<T>(promise: Promise<T>, ms: number, task: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timed_out = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => reject(new Error(`${task} timed out after ${ms / 1000} s`)), ms);
	});
	try {
		return await Promise.race([promise, timed_out]);
	} finally {
		clearTimeout(timer);
	}
}

function log(message: string): void {
	console.log(`bench: ${message}`);
}

/** The cluster and application role shared by the database parts, started on first use. */
interface Cluster {
	cluster: PostgresCluster;
	role_password: string;
}

let cluster_promise: Promise<Cluster> | undefined;

function get_cluster(): Promise<Cluster> {
	cluster_promise ??= (async () => {
		log(`starting a PostgreSQL cluster (max_connections ${STORM_MAX_CONNECTIONS})`);
		const cluster = await start_postgres_cluster({ max_connections: STORM_MAX_CONNECTIONS });
		cleanups.push(() => cluster.stop());
		const role_password = await create_app_role(cluster.url);
		log(`PostgreSQL listens on 127.0.0.1:${cluster.port}`);
		return { cluster, role_password };
	})();
	return cluster_promise;
}

async function prepare_database(name: string, users: number): Promise<BenchDatabase> {
	const { cluster, role_password } = await get_cluster();
	log(`preparing database ${name}: migrate, seed, ${users} customers`);
	return create_bench_database(cluster.url, role_password, { name, users, stock: STOCK });
}

async function start_bouncer(database: BenchDatabase): Promise<PgBouncer> {
	const bouncer = await start_pgbouncer({
		upstream: database.url,
		port: await find_free_port(),
		pool_size: POOL_SIZE,
		max_clients: STORM_INSTANCES + 500
	});
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await bouncer.stop();
	};
	cleanups.push(stop);
	log(`PgBouncer (pool ${POOL_SIZE}) listens on 127.0.0.1:${bouncer.port} for ${database.name}`);
	return { ...bouncer, stop };
}

/** Returns the outcome of a part whose setup failed, so that the run goes on without it. */
function setup_failed(error: unknown, started: number): ChildOutcome<never> {
	const reason = error instanceof Error ? error.message : String(error);
	log(`setup failed: ${reason}`);
	return {
		status: 'failed',
		result: null,
		reason: `setup failed: ${reason}`,
		duration_s: (performance.now() - started) / 1000,
		stdout: []
	};
}

async function run_storm(run: StormInput['run']): Promise<ChildOutcome<StormResult>> {
	const started = performance.now();
	let input: StormInput;
	let bouncer: PgBouncer | undefined;
	try {
		input = await with_timeout(
			(async () => {
				const database = await prepare_database(`storm_${run}`, STORM_INSTANCES);
				bouncer = run === 'pooled' ? await start_bouncer(database) : undefined;
				return {
					run,
					url: bouncer?.url ?? database.url,
					admin_url: database.admin_url,
					database: database.name,
					products: database.products,
					user_ids: database.user_ids,
					initial_stock: database.initial_stock,
					postmaster_pid: read_postmaster_pid((await get_cluster()).cluster.data_dir),
					bench_pid: process.pid
				};
			})(),
			TIMEOUT_MS.setup,
			`preparing the ${run} storm`
		);
	} catch (error) {
		return setup_failed(error, started);
	}
	const outcome = await run_child<StormResult>({
		label: `pool storm, ${run}`,
		script: join(ROOT, 'bench/pool_storm.ts'),
		input,
		timeout_ms: TIMEOUT_MS.storm_run
	});
	await bouncer?.stop();
	return outcome;
}

/** The database and PgBouncer that checkout throughput and cold start share. */
interface ShopSetup {
	database: BenchDatabase;
	bouncer: PgBouncer;
}

let shop_promise: Promise<ShopSetup> | undefined;

function get_shop(): Promise<ShopSetup> {
	shop_promise ??= with_timeout(
		(async () => {
			const database = await prepare_database('shop', THROUGHPUT_WORKERS);
			const bouncer = await start_bouncer(database);
			return { database, bouncer };
		})(),
		TIMEOUT_MS.setup,
		'preparing the shop database'
	);
	return shop_promise;
}

const secrets = {
	SESSION_SECRET: randomBytes(24).toString('hex'),
	IDENTITY_SECRET: randomBytes(24).toString('hex')
};

async function run_throughput(): Promise<ChildOutcome<ThroughputResult>> {
	const started = performance.now();
	let input: ThroughputInput;
	try {
		const { database, bouncer } = await get_shop();
		const { cluster } = await get_cluster();
		input = {
			pooled_url: bouncer.url,
			direct_url: database.url,
			database: database.name,
			products: database.products,
			user_ids: database.user_ids,
			workers: THROUGHPUT_WORKERS,
			duration_s: THROUGHPUT_DURATION_S,
			warm_up_s: THROUGHPUT_WARM_UP_S,
			server_dir: join(ROOT, '.svelte-kit/output/server'),
			secrets,
			postmaster_pid: read_postmaster_pid(cluster.data_dir),
			bench_pid: process.pid
		};
	} catch (error) {
		return setup_failed(error, started);
	}
	return run_child<ThroughputResult>({
		label: 'checkout throughput',
		script: join(ROOT, 'bench/checkout_throughput.ts'),
		input,
		timeout_ms: TIMEOUT_MS.checkout_throughput
	});
}

async function run_edge(): Promise<ChildOutcome<EdgeResult>> {
	const outcome = await run_child<never>({
		label: 'edge',
		script: join(ROOT, 'bench/edge.ts'),
		timeout_ms: TIMEOUT_MS.edge,
		expects_result: false
	});
	if (outcome.status !== 'ok') return { ...outcome, result: null };
	try {
		return { ...outcome, result: parse_edge_output(outcome.stdout) };
	} catch (error) {
		return { ...outcome, status: 'failed', reason: (error as Error).message, result: null };
	}
}

async function run_cold_start(): Promise<ChildOutcome<ColdStartResult>> {
	const started = performance.now();
	let input: ColdStartInput;
	try {
		const { bouncer } = await get_shop();
		input = { root: ROOT, runs: COLD_START_RUNS, database_url: bouncer.url, secrets };
	} catch (error) {
		return setup_failed(error, started);
	}
	return run_child<ColdStartResult>({
		label: 'cold start',
		script: join(ROOT, 'bench/cold_start.ts'),
		input,
		timeout_ms: TIMEOUT_MS.cold_start
	});
}

function run_page_weight(): Promise<ChildOutcome<PageWeightResult>> {
	const input: PageWeightInput = { build_dir: join(ROOT, 'build') };
	return run_child<PageWeightResult>({
		label: 'page weight',
		script: join(ROOT, 'bench/page_weight.ts'),
		input,
		timeout_ms: TIMEOUT_MS.page_weight
	});
}

/**
 * Runs `netlify build --offline`, which runs `npm run build` and then bundles the function zip
 * and the edge bundle, against the benchmark's shop database.
 */
async function build(): Promise<void> {
	const { database } = await get_shop();
	log('building: netlify build --offline');
	const child = spawn(
		process.execPath,
		[join(ROOT, 'scripts/with-db.ts'), '--', 'netlify', 'build', '--offline'],
		{
			cwd: ROOT,
			stdio: 'inherit',
			env: {
				...process.env,
				DATABASE_URL: database.url,
				PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`
			}
		}
	);
	const code = await with_timeout(
		new Promise<number | null>((done) => child.once('close', done)),
		TIMEOUT_MS.build,
		'netlify build --offline'
	).catch((error: unknown) => {
		child.kill('SIGKILL');
		throw error;
	});
	if (code !== 0) throw new Error(`netlify build --offline exited with code ${code}`);
}

async function main(): Promise<void> {
	const options = parse_options(process.argv.slice(2));
	if (options.help) {
		console.log(USAGE);
		return;
	}
	const is_selected = (name: PartName) => options.only === null || options.only.includes(name);
	const started_at = new Date();
	const machine = read_machine_info();
	const versions = read_versions(ROOT);
	log(
		`${machine.cpu_model}, ${machine.cores} cores, ${machine.memory_gib} GiB, ` +
			`load average ${machine.load_average_at_start}; Node ${versions.node}`
	);

	if (options.build) await build();

	const parts: PartReport[] = [];
	const record = <T>(name: string, outcome: ChildOutcome<T>) => {
		parts.push({
			name,
			status: outcome.status,
			reason: outcome.reason,
			duration_s: Math.round(outcome.duration_s * 10) / 10,
			result: outcome.result
		});
	};
	const skip = (name: string) =>
		parts.push({ name, status: 'skipped', reason: null, duration_s: 0, result: null });

	for (const name of PART_NAMES) {
		if (!is_selected(name)) {
			if (name === 'pool_storm') ['pool_storm_direct', 'pool_storm_pooled'].forEach(skip);
			else skip(name);
			continue;
		}
		log(`part ${name}`);
		if (name === 'pool_storm') {
			record('pool_storm_direct', await run_storm('direct'));
			record('pool_storm_pooled', await run_storm('pooled'));
		} else if (name === 'checkout_throughput') {
			record(name, await run_throughput());
		} else if (name === 'edge') {
			record(name, await run_edge());
		} else if (name === 'cold_start') {
			record(name, await run_cold_start());
		} else {
			record(name, await run_page_weight());
		}
	}
	await clean_up();

	const report = build_report({ started_at, machine, versions, parts });
	console.log('');
	console.log(format_table(report));
	if (options.only === null) {
		mkdirSync(dirname(MARKDOWN_FILE), { recursive: true });
		writeFileSync(MARKDOWN_FILE, await format_markdown(report, ROOT));
		writeFileSync(JSON_FILE, await format_json(report, ROOT));
		log(`wrote ${MARKDOWN_FILE} and ${JSON_FILE}`);
	}
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		log(`${signal}: stopping child processes and servers`);
		kill_running_children();
		void clean_up().finally(() => process.exit(130));
	});
}

try {
	await main();
} catch (error) {
	console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
} finally {
	await clean_up();
}
