/**
 * Per-request metrics for the request log and `Server-Timing`: database time and query count,
 * and the database failure that `handleError` saw. The hooks run each request inside
 * `with_request_metrics`, and `QueryTimingPlugin` on the app's Kysely instance adds every query
 * to the metrics of the request that ran it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
	KyselyPlugin,
	PluginTransformQueryArgs,
	PluginTransformResultArgs,
	QueryId,
	QueryResult,
	RootOperationNode,
	UnknownRow
} from 'kysely';

export interface RequestMetrics {
	/** Milliseconds from compiling each query to its result, summed over the request's queries. */
	db_ms: number;
	/** Queries that returned a result. Failed queries are not counted. */
	db_queries: number;
	/**
	 * Seconds after which to retry, set by `handleError` when an unexpected error was a database
	 * failure, so that the response becomes a 503 with `Retry-After` instead of a 500.
	 */
	database_retry_after_s: number | null;
}

const storage = new AsyncLocalStorage<RequestMetrics>();

/** Runs `work` with fresh metrics and returns both. The metrics keep counting until it settles. */
export function with_request_metrics<T>(work: () => Promise<T>): {
	metrics: RequestMetrics;
	result: Promise<T>;
} {
	const metrics: RequestMetrics = { db_ms: 0, db_queries: 0, database_retry_after_s: null };
	return { metrics, result: storage.run(metrics, work) };
}

/** Returns the metrics of the request being handled, or undefined outside a request. */
export function current_request_metrics(): RequestMetrics | undefined {
	return storage.getStore();
}

/**
 * Adds each query's duration to the current request's metrics. Outside a request (prerendering,
 * scripts) it does nothing. The query text and parameters are never recorded.
 */
export class QueryTimingPlugin implements KyselyPlugin {
	#started = new WeakMap<QueryId, number>();

	transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
		if (storage.getStore()) this.#started.set(args.queryId, performance.now());
		return args.node;
	}

	async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		const started = this.#started.get(args.queryId);
		const metrics = storage.getStore();
		if (started !== undefined && metrics) {
			metrics.db_ms += performance.now() - started;
			metrics.db_queries += 1;
		}
		return args.result;
	}
}
