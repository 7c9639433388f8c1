/** The sizes and durations of `npm run bench`, shared by the runner and the report. */

export const PART_NAMES = [
	'pool_storm',
	'checkout_throughput',
	'edge',
	'cold_start',
	'page_weight'
] as const;
export type PartName = (typeof PART_NAMES)[number];

/** Simulated function instances in each pool storm run. */
export const STORM_INSTANCES = 1_000;
export const STORM_MAX_CONNECTIONS = 100;
/** PgBouncer's server connections, for the storm and for checkout throughput. */
export const POOL_SIZE = 20;
export const THROUGHPUT_WORKERS = 20;
/** Measured seconds of each throughput run, after a warm-up. */
export const THROUGHPUT_DURATION_S = 10;
export const THROUGHPUT_WARM_UP_S = 2;
export const COLD_START_RUNS = 5;

export const BUDGETS = {
	storm_errors: 0,
	storm_oversold: 0,
	storm_duplicates: 0,
	storm_server_connections: POOL_SIZE,
	/** Checkout orders per second over the same run's pgbench transactions per second. */
	throughput_ratio: 0.5,
	cold_start_ms: 250,
	product_page_js_gzip_kb: 30
} as const;
