/**
 * Turns the results of `npm run bench` into rows with budgets and verdicts, and renders them as
 * a terminal table, as `docs/BENCHMARKS.md` and as `bench-results.json`.
 */
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { LoadRun, PgbenchRun, ThroughputResult } from '../checkout_throughput.ts';
import type { ColdStartResult, ColdStartTarget } from '../cold_start.ts';
import type { PageScripts, PageWeightResult } from '../page_weight.ts';
import type { StormResult } from '../pool_storm.ts';
import type { CpuUse } from './cpu.ts';
import type { EdgeMeasurement, EdgeResult } from './edge_output.ts';
import type { MachineInfo, Versions } from './machine.ts';
import {
	BUDGETS,
	COLD_START_RUNS,
	POOL_SIZE,
	STORM_INSTANCES,
	STORM_MAX_CONNECTIONS,
	THROUGHPUT_DURATION_S,
	THROUGHPUT_WARM_UP_S,
	THROUGHPUT_WORKERS
} from './settings.ts';

/** Edge budgets: p99 of the whole pipeline, and its cost against a bare HMAC verify. */
const EDGE_P99_BUDGET_US = 1_000;
const EDGE_RATIO_BUDGET = 1.5;
const EDGE_BUNDLE_BUDGET_KB = 60;

export interface PartReport {
	name: string;
	status: 'ok' | 'failed' | 'timed out' | 'skipped';
	reason: string | null;
	duration_s: number;
	result: unknown;
}

export type Verdict = 'PASS' | 'MISS' | 'NOT MEASURED';

export interface Row {
	part: string;
	measure: string;
	value: string;
	budget: string | null;
	verdict: Verdict | null;
	/** For a MISS or NOT MEASURED: one sentence saying why. */
	why: string | null;
}

export interface Report {
	generated_at: string;
	machine: MachineInfo;
	versions: Versions;
	parts: PartReport[];
	rows: Row[];
}

export interface ReportInput {
	started_at: Date;
	machine: MachineInfo;
	versions: Versions;
	parts: PartReport[];
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function n(value: number | null): string {
	return value === null ? 'n/a' : integer.format(value);
}

function ms(value: number | null): string {
	return value === null ? 'n/a' : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

function plural(count: number, noun: string): string {
	return `${n(count)} ${noun}${count === 1 ? '' : 's'}`;
}

function kb(bytes: number): string {
	return `${(bytes / 1024).toFixed(1)} KB`;
}

function cores(value: number | null | undefined): string {
	return value === null || value === undefined ? 'n/a' : value.toFixed(2);
}

function verdict(passed: boolean): Verdict {
	return passed ? 'PASS' : 'MISS';
}

function part_of(parts: PartReport[], name: string): PartReport | undefined {
	return parts.find((part) => part.name === name);
}

/** Rows for a part that did not produce a result: budgets become NOT MEASURED. */
function missing_rows(title: string, part: PartReport | undefined, budgets: string[][]): Row[] {
	const status = part?.status ?? 'skipped';
	const reason = part?.reason ? `: ${part.reason.split('\n')[0]}` : '';
	const why = `The part ${status}${reason}.`;
	const rows: Row[] = [
		{ part: title, measure: 'status', value: status, budget: null, verdict: null, why: null }
	];
	for (const [measure, budget] of budgets) {
		rows.push({
			part: title,
			measure: measure as string,
			value: 'not measured',
			budget: budget as string,
			verdict: 'NOT MEASURED',
			why
		});
	}
	return rows;
}

function top_error(errors: Record<string, number>): string {
	const [kind, count] = Object.entries(errors)[0] ?? ['none', 0];
	return `${kind} (${n(count)})`;
}

/** Why instances failed behind the pooler: the main error, when they failed, and the CPU use. */
function storm_errors_why(result: StormResult): string {
	return (
		`${n(result.failed)} of ${n(result.instances)} instances failed, most with ${top_error(result.errors)}, ` +
		`after p50 ${ms(result.failure_latency.p50_ms)}, and Postgres saw at most ` +
		`${plural(result.peak_server_connections, 'server connection')}. During the run PgBouncer, which runs on one ` +
		`thread, used ${cores(result.cpu.trees.pgbouncer)} cores, Postgres ${cores(result.cpu.trees.postgres)} ` +
		`and the Node process of the instances ${cores(result.cpu.this_process_cores)}, of ${result.cpu.cores}.`
	);
}

function storm_rows(parts: PartReport[]): Row[] {
	const rows: Row[] = [];
	const direct_part = part_of(parts, 'pool_storm_direct');
	const direct = direct_part?.result as StormResult | null | undefined;
	const title_direct = `Pool storm, direct to Postgres (max_connections ${STORM_MAX_CONNECTIONS})`;
	if (direct) {
		const info = (measure: string, value: string): Row => ({
			part: title_direct,
			measure,
			value,
			budget: null,
			verdict: null,
			why: null
		});
		rows.push(
			info('orders placed', `${n(direct.succeeded)} of ${n(direct.instances)}`),
			info(
				'errors',
				direct.failed === 0 ? '0' : `${n(direct.failed)}; most: ${top_error(direct.errors)}`
			),
			info(
				'orders written, duplicates, oversold',
				`${n(direct.orders_written)}, ${n(direct.duplicate_orders)}, ${n(direct.oversold_products)}`
			),
			info('peak server connections', n(direct.peak_server_connections)),
			info(
				'latency p50 / p99 (orders placed)',
				`${ms(direct.latency.p50_ms)} / ${ms(direct.latency.p99_ms)}`
			)
		);
	} else rows.push(...missing_rows(title_direct, direct_part, []));

	const pooled_part = part_of(parts, 'pool_storm_pooled');
	const pooled = pooled_part?.result as StormResult | null | undefined;
	const title = `Pool storm, through PgBouncer (pool ${POOL_SIZE})`;
	if (!pooled) {
		return [
			...rows,
			...missing_rows(title, pooled_part, [
				['errors', '0'],
				['oversold products', '0'],
				['duplicate orders', '0'],
				['peak server connections', `≤ ${BUDGETS.storm_server_connections}`]
			])
		];
	}
	const budget_row = (
		measure: string,
		value: number,
		limit: number,
		why: string,
		prefix = ''
	): Row => ({
		part: title,
		measure,
		value: n(value),
		budget: `${prefix}${n(limit)}`,
		verdict: verdict(value <= limit),
		why: value <= limit ? null : why
	});
	rows.push(
		{
			part: title,
			measure: 'orders placed',
			value: `${n(pooled.succeeded)} of ${n(pooled.instances)}`,
			budget: null,
			verdict: null,
			why: null
		},
		budget_row('errors', pooled.failed, BUDGETS.storm_errors, storm_errors_why(pooled)),
		budget_row(
			'oversold products',
			pooled.oversold_products,
			BUDGETS.storm_oversold,
			`${n(pooled.oversold_products)} products sold more than their initial stock or went negative.`
		),
		budget_row(
			'duplicate orders',
			pooled.duplicate_orders,
			BUDGETS.storm_duplicates,
			`${n(pooled.duplicate_orders)} customers have more than one order, although each instance sent one order once.`
		),
		budget_row(
			'peak server connections',
			pooled.peak_server_connections,
			BUDGETS.storm_server_connections,
			`Postgres showed ${n(pooled.peak_server_connections)} client backends of the application role, above PgBouncer's max_db_connections of ${POOL_SIZE}.`,
			'≤ '
		),
		{
			part: title,
			measure: 'orders written (lost, unacknowledged)',
			value: `${n(pooled.orders_written)} (${n(pooled.lost_orders)}, ${n(pooled.unacknowledged_orders)})`,
			budget: null,
			verdict: null,
			why: null
		},
		{
			part: title,
			measure: 'latency p50 / p99',
			value: `${ms(pooled.latency.p50_ms)} / ${ms(pooled.latency.p99_ms)}`,
			budget: null,
			verdict: null,
			why: null
		}
	);
	return rows;
}

function describe_cpu(cpu: CpuUse): string {
	return (
		`Node ${cores(cpu.this_process_cores)}, Postgres ${cores(cpu.trees.postgres)}, ` +
		`PgBouncer ${cores(cpu.trees.pgbouncer)} of ${cpu.cores} cores ` +
		`(machine ${cores(cpu.machine_cores)})`
	);
}

function load_value(run: LoadRun): string {
	const errors = Object.values(run.errors).reduce((sum, count) => sum + count, 0);
	return (
		`${n(run.orders_per_s)} orders/s, p50 ${ms(run.latency.p50_ms)}, p99 ${ms(run.latency.p99_ms)}` +
		(errors > 0 ? `, ${n(errors)} errors` : '')
	);
}

function throughput_rows(parts: PartReport[]): Row[] {
	const part = part_of(parts, 'checkout_throughput');
	const title = 'Checkout throughput';
	const result = part?.result as ThroughputResult | null | undefined;
	if (!result) {
		return missing_rows(title, part, [['checkout ÷ pgbench', `≥ ${BUDGETS.throughput_ratio}`]]);
	}
	const info = (measure: string, value: string): Row => ({
		part: title,
		measure,
		value,
		budget: null,
		verdict: null,
		why: null
	});
	const rows: Row[] = [
		info(
			`pgbench ceiling, ${result.pgbench.clients} clients, direct`,
			`${n(result.pgbench.transactions_per_s)} orders/s`
		),
		info(
			`place_order through PgBouncer, ${result.place_order.workers} workers`,
			load_value(result.place_order)
		)
	];
	if (result.handler) {
		rows.push(
			info(
				`HTTP handler through PgBouncer, ${result.handler.workers} workers`,
				load_value(result.handler)
			)
		);
	} else {
		rows.push(info('HTTP handler', `not measured: ${result.handler_missing}`));
	}

	const measured = result.handler ?? result.place_order;
	const ratio = measured.orders_per_s / result.pgbench.transactions_per_s;
	const passed = ratio >= BUDGETS.throughput_ratio;
	const label = result.handler
		? 'HTTP handler ÷ pgbench'
		: 'place_order ÷ pgbench (place_order, not the HTTP handler)';
	rows.push({
		part: title,
		measure: label,
		value: ratio.toFixed(2),
		budget: `≥ ${BUDGETS.throughput_ratio}`,
		verdict: verdict(passed),
		why: passed
			? null
			: throughput_why(measured, result.pgbench, result.place_order.queries_per_order)
	});
	return rows;
}

/**
 * Why checkout fell short of the pgbench ceiling, from what both runs measured: the work per
 * order, and how the cores were shared.
 */
function throughput_why(measured: LoadRun, pgbench: PgbenchRun, queries: number | null): string {
	const { cpu } = measured;
	const node = cpu.this_process_cores;
	const postgres = cpu.trees.postgres ?? 0;
	const pgbouncer = cpu.trees.pgbouncer ?? 0;
	const other =
		cpu.machine_cores === null
			? null
			: Math.max(0, cpu.machine_cores - node - postgres - pgbouncer);
	const work =
		queries === null
			? ''
			: `Each order ran ${queries} queries in its transaction, through PgBouncer, against the ` +
				`${pgbench.statements} statements of the pgbench script, at p50 ${ms(measured.latency.p50_ms)} ` +
				`per order against pgbench's ${ms(pgbench.latency_average_ms)} average. `;
	return (
		`${n(measured.orders_per_s)} orders/s against pgbench's ${n(pgbench.transactions_per_s)}. ${work}` +
		`The ${cpu.cores} cores were ${cores(cpu.machine_cores)} busy, and Postgres got ` +
		`${cores(postgres)} of them against ${cores(pgbench.cpu.trees.postgres)} under pgbench, while ` +
		`Node (load generator and checkout code) took ${cores(node)}, PgBouncer ${cores(pgbouncer)} ` +
		`and other processes ${cores(other)}.`
	);
}

function edge_rows(parts: PartReport[]): Row[] {
	const part = part_of(parts, 'edge');
	const title = 'Edge pipeline (Node)';
	const result = part?.result as EdgeResult | null | undefined;
	if (!result) {
		return missing_rows(title, part, [
			[
				'pipeline p99 and ratio to bare verify',
				`< ${n(EDGE_P99_BUDGET_US)} µs, ≤ ${EDGE_RATIO_BUDGET}x`
			],
			['bundle gzip', `< ${EDGE_BUNDLE_BUDGET_KB} KB`]
		]);
	}
	const bare = result.bare_verify;
	const rows: Row[] = [
		{
			part: title,
			measure: bare.name,
			value: `p50 ${bare.p50_us} µs, p99 ${bare.p99_us} µs`,
			budget: null,
			verdict: null,
			why: null
		}
	];
	for (const row of result.pipeline) rows.push(edge_pipeline_row(title, row, bare));

	if (result.bundles.length === 0) {
		rows.push({
			part: title,
			measure: 'bundle gzip',
			value: 'not measured',
			budget: `< ${EDGE_BUNDLE_BUDGET_KB} KB`,
			verdict: 'NOT MEASURED',
			why: `bench/edge.ts reported: ${result.bundle_note ?? 'no bundle line'}.`
		});
	}
	for (const bundle of result.bundles) {
		const passed = bundle.gzip_kb < EDGE_BUNDLE_BUDGET_KB;
		rows.push({
			part: title,
			measure: `bundle gzip (${bundle.file.slice(0, 12)}…)`,
			value: `${bundle.gzip_kb.toFixed(1)} KB`,
			budget: `< ${EDGE_BUNDLE_BUDGET_KB} KB`,
			verdict: verdict(passed),
			why: passed ? null : `The edge bundle is ${bundle.gzip_kb.toFixed(1)} KB gzip.`
		});
	}
	return rows;
}

function edge_pipeline_row(title: string, row: EdgeMeasurement, bare: EdgeMeasurement): Row {
	const ratio_p50 = row.p50_us / bare.p50_us;
	const ratio_p99 = row.p99_us / bare.p99_us;
	const over = [
		row.p99_us >= EDGE_P99_BUDGET_US ? `p99 ${row.p99_us} µs` : null,
		ratio_p50 > EDGE_RATIO_BUDGET ? `${ratio_p50.toFixed(2)}x bare verify at p50` : null,
		ratio_p99 > EDGE_RATIO_BUDGET ? `${ratio_p99.toFixed(2)}x bare verify at p99` : null
	].filter((text) => text !== null);
	return {
		part: title,
		measure: row.name,
		value:
			`p50 ${row.p50_us} µs, p99 ${row.p99_us} µs; ` +
			`${ratio_p50.toFixed(2)}x / ${ratio_p99.toFixed(2)}x bare verify`,
		budget: `p99 < ${n(EDGE_P99_BUDGET_US)} µs, ≤ ${EDGE_RATIO_BUDGET}x`,
		verdict: verdict(over.length === 0),
		why:
			over.length === 0
				? null
				: `Over budget on ${over.join(' and ')}: everything beyond the bare signature check ` +
					`cost ${Math.max(0, row.p50_us - bare.p50_us).toFixed(0)} µs at p50 in this run.`
	};
}

function cold_start_value(target: ColdStartTarget): string {
	return (
		`import ${ms(target.import_ms)} + first response ${ms(target.first_response_ms)} = ` +
		`${ms(target.import_to_response_ms)}; ${ms(target.process_start_to_response_ms)} from process start; ` +
		`second response ${ms(target.second_response_ms)}`
	);
}

function cold_start_rows(parts: PartReport[]): Row[] {
	const part = part_of(parts, 'cold_start');
	const title = `Cold start (median of ${COLD_START_RUNS})`;
	const result = part?.result as ColdStartResult | null | undefined;
	const budget = `< ${BUDGETS.cold_start_ms} ms`;
	if (!result) return missing_rows(title, part, [['import to first response', budget]]);

	const rows: Row[] = [];
	const budgeted =
		result.targets.find((target) => target.name === 'deployed bundle') ??
		result.targets.find((target) => target.name === 'adapter output');
	const minimal = result.targets.find((target) => target.name === 'minimal handler');
	for (const target of result.targets) {
		const bad_status = target.statuses.filter((status) => status !== 200);
		const value =
			cold_start_value(target) +
			(bad_status.length > 0 ? `; statuses ${target.statuses.join(', ')}` : '');
		if (target !== budgeted) {
			rows.push({
				part: title,
				measure: target.name,
				value,
				budget: null,
				verdict: null,
				why: null
			});
			continue;
		}
		const total = target.import_to_response_ms;
		const passed = total !== null && total < BUDGETS.cold_start_ms && bad_status.length === 0;
		let why: string | null = null;
		if (bad_status.length > 0) {
			why = `The first response had status ${bad_status[0]} instead of 200, so the figure is not a rendered page.`;
		} else if (!passed) {
			why =
				`Importing the function took ${ms(target.import_ms)} and its first response ` +
				`${ms(target.first_response_ms)}, of which about ` +
				`${ms(Math.max(0, (target.first_response_ms ?? 0) - (target.second_response_ms ?? 0)))} ` +
				'is one-time work such as connecting to the database (the same request again took ' +
				`${ms(target.second_response_ms)}), against ${ms(minimal?.import_to_response_ms ?? null)} ` +
				'in all for the minimal handler.';
		}
		rows.push({
			part: title,
			measure: `${target.name}, ${target.module}`,
			value,
			budget,
			verdict: verdict(passed),
			why
		});
	}
	if (result.bundle_skipped) {
		rows.push({
			part: title,
			measure: 'deployed bundle',
			value: `not measured: ${result.bundle_skipped}`,
			budget: null,
			verdict: null,
			why: null
		});
	}
	return rows;
}

function scripts_value(scripts: PageScripts | null): string {
	if (!scripts) return 'no such page';
	const inline = scripts.inline_scripts > 0 ? ` + ${scripts.inline_scripts} inline` : '';
	const files = scripts.files.length === 1 ? '1 file' : `${scripts.files.length} files`;
	return `${kb(scripts.gzip_bytes)} gzip (${kb(scripts.bytes)} raw, ${files}${inline})`;
}

function page_weight_rows(parts: PartReport[]): Row[] {
	const part = part_of(parts, 'page_weight');
	const title = 'Page weight (JS)';
	const result = part?.result as PageWeightResult | null | undefined;
	const budget = `< ${BUDGETS.product_page_js_gzip_kb} KB gzip`;
	if (!result) return missing_rows(title, part, [['product page JS', budget]]);

	const product = result.heaviest_product;
	const limit = BUDGETS.product_page_js_gzip_kb * 1024;
	const passed = product !== null && product.gzip_bytes < limit;
	const info = (measure: string, value: string): Row => ({
		part: title,
		measure,
		value,
		budget: null,
		verdict: null,
		why: null
	});
	return [
		info(`root page ${result.root?.page ?? '/'}`, scripts_value(result.root)),
		info(`home page ${result.home?.page ?? ''}`.trim(), scripts_value(result.home)),
		{
			part: title,
			measure: `heaviest of ${n(result.product_pages)} product pages (${product?.page ?? 'none'})`,
			value: scripts_value(product),
			budget,
			verdict: verdict(passed),
			why: passed
				? null
				: product === null
					? 'The build has no prerendered product page.'
					: `${product.page} loads ${product.files.length} script files, ${kb(product.gzip_bytes)} gzip in all.`
		},
		info('prerendered pages', n(result.prerendered_pages))
	];
}

/** Builds the rows of every part; parts left out with `--only` get none. */
export function build_report(input: ReportInput): Report {
	const skipped = (name: string) => part_of(input.parts, name)?.status === 'skipped';
	const rows: Row[] = [];
	if (!skipped('pool_storm_direct') || !skipped('pool_storm_pooled')) {
		rows.push(...storm_rows(input.parts));
	}
	if (!skipped('checkout_throughput')) rows.push(...throughput_rows(input.parts));
	if (!skipped('edge')) rows.push(...edge_rows(input.parts));
	if (!skipped('cold_start')) rows.push(...cold_start_rows(input.parts));
	if (!skipped('page_weight')) rows.push(...page_weight_rows(input.parts));
	return {
		generated_at: input.started_at.toISOString(),
		machine: input.machine,
		versions: input.versions,
		parts: input.parts,
		rows
	};
}

/** Formats a plain-text table: one line per row, with the part named once above its rows. */
export function format_table(report: Report): string {
	const measure_width = Math.max(...report.rows.map((row) => row.measure.length));
	const lines: string[] = [];
	let part = '';
	for (const row of report.rows) {
		if (row.part !== part) {
			part = row.part;
			lines.push(part);
		}
		const budget = row.budget ? `  [budget ${row.budget}: ${row.verdict}]` : '';
		lines.push(`  ${row.measure.padEnd(measure_width)}  ${row.value}${budget}`);
	}
	const misses = report.rows.filter(
		(row) => row.verdict === 'MISS' || row.verdict === 'NOT MEASURED'
	);
	lines.push('');
	const budgets = report.rows.filter((row) => row.verdict !== null);
	lines.push(
		`Budgets: ${budgets.length - misses.length} of ${budgets.length} met` +
			(misses.length > 0 ? `; ${misses.length} missed or not measured:` : '.')
	);
	for (const row of misses)
		lines.push(`  ${row.part}, ${row.measure}: ${row.verdict}. ${row.why ?? ''}`);
	return lines.join('\n');
}

function escape_cell(text: string): string {
	return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function markdown_table(header: string[], rows: string[][]): string {
	return [
		`| ${header.join(' | ')} |`,
		`| ${header.map(() => '---').join(' | ')} |`,
		...rows.map((row) => `| ${row.map(escape_cell).join(' | ')} |`)
	].join('\n');
}

function method_text(report: Report): string {
	const edge = part_of(report.parts, 'edge')?.result as EdgeResult | null | undefined;
	return `### Pool storm

One throwaway PostgreSQL cluster with \`max_connections = ${STORM_MAX_CONNECTIONS}\` and one database per run, migrated and seeded, with the stock of every product set far above what the run can sell. ${n(STORM_INSTANCES)} simulated function instances start at the same moment in one Node process. Each creates its own client with \`create_db\` and \`DATABASE_POOL_MAX=1\`, as a real instance would, with the default 2 s connect and 5 s query timeouts, and places one order of 3 products through \`place_order\` with the test payment provider, for its own customer and idempotency key. Instances keep their connection until all have finished, as live instances would. They connect as an ordinary login role, so 3 of the 100 slots stay reserved for superusers.

- Run (a) connects straight to Postgres.
- Run (b) connects to PgBouncer 1.18 in transaction mode with \`max_db_connections = ${POOL_SIZE}\` and a 5 s \`query_wait_timeout\`.

A separate superuser connection counts the application role's client backends in \`pg_stat_activity\` every 20 ms. Afterwards the run counts the order rows, orders per customer (duplicates), acknowledged orders without a row (lost), and rows without an acknowledgement, and compares each product's stock with its initial stock minus the quantity sold. Latency runs from an instance's start to its result, so it includes connecting and authenticating.

### Checkout throughput

In one database behind PgBouncer (pool ${POOL_SIZE}), one run after another:

1. **pgbench ceiling**: \`pgbench\` from PostgreSQL 15, ${THROUGHPUT_WORKERS} clients, one thread per core, ${THROUGHPUT_DURATION_S} s, extended protocol, direct to Postgres, with a custom script holding the writes of one order in one transaction: 3 stock updates in product order, the order, 3 items, the payment audit row, the outbox event and the stored idempotent response. It leaves out the reads that \`place_order\` makes (idempotency lock and lookup, customer, prices).
2. **place_order**: ${THROUGHPUT_WORKERS} concurrent workers in one Node process call \`place_order\` through PgBouncer with a ${THROUGHPUT_WORKERS}-connection pool, ${THROUGHPUT_WARM_UP_S} s of warm-up, then ${THROUGHPUT_DURATION_S} s measured. This run has no HTTP layer.
3. **HTTP handler**: the built SvelteKit server from \`.svelte-kit/output/server\` (\`new Server(manifest)\`, \`server.respond\`) answers JSON POSTs to \`/api/checkout\` from ${THROUGHPUT_WORKERS} concurrent workers, each signed in with a session cookie signed by \`src/lib/shared/session/sign.ts\`, with a new \`Idempotency-Key\` per request. The load generator runs in the same process as the handler, as in run 2.

Orders of every run take 3 products from different thirds of the catalog, as the pgbench script does. Orders per second count the 201 responses that complete inside the measured window. The ratio divides the checkout figure by the pgbench figure of the same run. CPU use comes from \`/proc\` over each measured window.

### Edge pipeline

\`bench/edge.ts\` (\`npm run bench:edge\`) runs in a child process and its printed table is read back. ${edge ? `It reported: "${edge.title}".` : ''} It runs the edge request pipeline under Node with a valid session and compares it with a bare \`crypto.subtle.verify\` of the same token, then measures the gzip size of the built edge bundle.

### Cold start

A fresh Node process per run (\`bench/cold_start_probe.mjs\`, plain JavaScript) imports a function module and sends it one GET of \`/us/cart\`, a page rendered per request whose layout reads the categories from the database through PgBouncer. Measured targets, interleaved run by run, ${COLD_START_RUNS} runs each, medians reported:

- the deployed bundle: the zip written by \`netlify build\`, extracted to a temporary folder, when it is not older than the adapter output;
- the adapter output \`.netlify/functions-internal/sveltekit-render.mjs\`, which imports \`.netlify/server\` and \`node_modules\` unbundled;
- a minimal handler (\`bench/minimal_function.mjs\`) that returns a fixed response.

The budget applies to the time from the start of the import to the end of the first response body. The time from process start adds Node's own start-up. Netlify's runtime start-up is not included.

### Page weight

For the prerendered HTML in \`build/\`, the scripts a page loads are its \`<script src>\` and \`modulepreload\` tags, its inline scripts, the modules those inline scripts import, and the static imports of all these modules in turn. Lazy \`import()\` calls inside modules do not count. Each file is gzipped on its own at zlib's default level, as a server compresses each response. The product figure is the heaviest of all prerendered product pages in every region.`;
}

export async function format_markdown(report: Report, root: string): Promise<string> {
	const date = report.generated_at.slice(0, 10);
	const { machine, versions } = report;
	const budget_rows = report.rows.filter((row) => row.verdict !== null);
	const misses = budget_rows.filter((row) => row.verdict !== 'PASS');
	const status_rows = report.parts.map((part) => [
		part.name,
		part.status,
		`${part.duration_s} s`,
		part.reason?.split('\n')[0] ?? ''
	]);

	const text = `# Benchmarks

Written by \`npm run bench\` on ${date} (run started ${report.generated_at}). Run it again after \`npm run build\`, or with \`npm run bench -- --build\`, to refresh this page and \`bench-results.json\`. Figures come from one run on one machine, with other processes possibly running, so repeat runs differ; compare ratios against peers measured in the same run rather than absolute numbers.

## Budgets

${markdown_table(
	['Part', 'Measure', 'Result', 'Budget', 'Verdict'],
	budget_rows.map((row) => [
		row.part,
		row.measure,
		row.value,
		row.budget ?? '',
		`**${row.verdict}**`
	])
)}

${
	misses.length === 0
		? 'Every budget was met in this run.'
		: `Missed or not measured:\n\n${misses.map((row) => `- **${row.part}, ${row.measure}**: ${row.why ?? ''}`).join('\n')}`
}

## All results

${markdown_table(
	['Part', 'Measure', 'Result', 'Budget', 'Verdict'],
	report.rows.map((row) => [row.part, row.measure, row.value, row.budget ?? '', row.verdict ?? ''])
)}

${details_text(report)}

## Machine

${markdown_table(
	['Item', 'Value'],
	[
		['CPU', machine.cpu_model],
		['Cores', String(machine.cores)],
		['Memory', `${machine.memory_gib} GiB`],
		['OS', machine.os],
		['Load average (1 min) at start', String(machine.load_average_at_start)]
	]
)}

## Versions

${markdown_table(
	['Software', 'Version'],
	[
		['Node', versions.node],
		['PostgreSQL', versions.postgres],
		['PgBouncer', versions.pgbouncer],
		['pgbench', versions.pgbench],
		...Object.entries(versions.packages)
	]
)}

## Method

${method_text(report)}

## Parts of this run

${markdown_table(['Part', 'Status', 'Duration', 'Reason'], status_rows)}
`;
	const config = (await resolveConfig(join(root, 'docs/BENCHMARKS.md'))) ?? {};
	return format(text, { ...config, filepath: join(root, 'docs/BENCHMARKS.md') });
}

/** Error kinds of the storm runs and CPU use of the throughput runs. */
function details_text(report: Report): string {
	const sections: string[] = [];
	for (const name of ['pool_storm_direct', 'pool_storm_pooled']) {
		const result = part_of(report.parts, name)?.result as StormResult | null | undefined;
		if (!result) continue;
		const errors = Object.entries(result.errors);
		sections.push(
			`### Pool storm, ${result.run}\n\n` +
				`${n(result.instances)} instances finished in ${result.duration_s.toFixed(1)} s; ` +
				`${n(result.connection_samples)} connection samples. ` +
				`Failed instances took p50 ${ms(result.failure_latency.p50_ms)} to fail. ` +
				`Stock mismatches: ${n(result.stock_mismatches)}. ` +
				`CPU use over the run in busy cores: ${describe_cpu(result.cpu)}.\n\n` +
				(errors.length === 0
					? 'No errors.'
					: markdown_table(
							['Error', 'Instances'],
							errors.map(([kind, count]) => [kind, n(count)])
						))
		);
	}
	const throughput = part_of(report.parts, 'checkout_throughput')?.result as
		ThroughputResult | null | undefined;
	if (throughput) {
		const runs: [string, CpuUse, string][] = [
			[
				'pgbench',
				throughput.pgbench.cpu,
				`${n(throughput.pgbench.transactions)} transactions, ${n(throughput.pgbench.failed_transactions)} failed`
			],
			['place_order', throughput.place_order.cpu, load_details(throughput.place_order)]
		];
		if (throughput.handler) {
			runs.push(['HTTP handler', throughput.handler.cpu, load_details(throughput.handler)]);
		}
		sections.push(
			'### Checkout throughput, CPU use\n\n' +
				'Average busy cores over each measured window. "Node" is the process that runs the load ' +
				'generator and the code under test; pgbench is a separate process and not in it.\n\n' +
				markdown_table(
					['Run', 'Node', 'Postgres', 'PgBouncer', 'Machine', 'Orders'],
					runs.map(([name, cpu, orders]) => [
						name,
						cores(cpu.this_process_cores),
						cores(cpu.trees.postgres),
						cores(cpu.trees.pgbouncer),
						`${cores(cpu.machine_cores)} of ${cpu.cores}`,
						orders
					])
				)
		);
	}
	return sections.length === 0 ? '' : `## Details\n\n${sections.join('\n\n')}`;
}

function load_details(run: LoadRun): string {
	const errors = Object.entries(run.errors)
		.map(([kind, count]) => `${kind}: ${n(count)}`)
		.join(', ');
	return (
		`${n(run.orders)} measured; ${n(run.orders_written)} rows written for ${n(run.created_responses)} 201 responses` +
		(errors ? `; errors ${errors}` : '')
	);
}

export async function format_json(report: Report, root: string): Promise<string> {
	const budgets = report.rows.filter((row) => row.verdict !== null);
	const value = {
		generated_at: report.generated_at,
		machine: report.machine,
		versions: report.versions,
		budgets,
		parts: Object.fromEntries(report.parts.map(({ name, ...part }) => [name, part]))
	};
	const config = (await resolveConfig(join(root, 'bench-results.json'))) ?? {};
	return format(JSON.stringify(value), { ...config, filepath: join(root, 'bench-results.json') });
}
