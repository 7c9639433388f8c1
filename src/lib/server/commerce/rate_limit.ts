/**
 * Exact fixed-window rate limits kept in Postgres. Each check is one atomic
 * `INSERT ... ON CONFLICT DO UPDATE ... RETURNING count`, so concurrent requests on any number of
 * function instances count exactly, and nothing depends on session state: the statement runs
 * unchanged behind a transaction-mode pooler.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface RateLimitRule {
	/** Requests allowed per window. */
	limit: number;
	/** Window length in seconds; windows start at multiples of it since the Unix epoch. */
	window_s: number;
}

export interface RateLimitDecision {
	allowed: boolean;
	/** Requests counted in the current window, this one included. */
	count: number;
	limit: number;
	remaining: number;
	/** Whole seconds until the window resets; 0 when the request is allowed. */
	retry_after_s: number;
	reset_at: Date;
}

/** Counts one request against `key` and decides whether it is within `rule`. */
export async function consume_rate_limit(
	db: Kysely<Database>,
	key: string,
	rule: RateLimitRule,
	now: Date = new Date()
): Promise<RateLimitDecision> {
	check_rule(rule);
	const window_ms = rule.window_s * 1000;
	const window_start = new Date(Math.floor(now.getTime() / window_ms) * window_ms);
	const reset_at = new Date(window_start.getTime() + window_ms);

	const row = await db
		.insertInto('rate_limit_counter')
		.values({ key, window_start, count: 1, expires_at: reset_at })
		.onConflict((conflict) =>
			conflict.columns(['key', 'window_start']).doUpdateSet({
				// Capped so that a flood cannot overflow int4.
				count: sql<number>`least(rate_limit_counter.count + 1, 2147483647)`
			})
		)
		.returning('count')
		.executeTakeFirstOrThrow();

	const allowed = row.count <= rule.limit;
	return {
		allowed,
		count: row.count,
		limit: rule.limit,
		remaining: Math.max(0, rule.limit - row.count),
		retry_after_s: allowed
			? 0
			: Math.max(1, Math.ceil((reset_at.getTime() - now.getTime()) / 1000)),
		reset_at
	};
}

/** Forgets every window of `key`, for example the account counter after a successful login. */
export async function reset_rate_limit(db: Kysely<Database>, key: string): Promise<void> {
	await db.deleteFrom('rate_limit_counter').where('key', '=', key).execute();
}

/**
 * Deletes windows that ended by `now` and returns how many rows went. Run it from a scheduled
 * job.
 */
export async function prune_rate_limit_counters(
	db: Kysely<Database>,
	now: Date = new Date()
): Promise<number> {
	const result = await db
		.deleteFrom('rate_limit_counter')
		.where('expires_at', '<=', now)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

function check_rule(rule: RateLimitRule): void {
	if (!Number.isInteger(rule.limit) || rule.limit < 1) {
		throw new Error(`Invalid rate limit ${rule.limit}: expected a positive integer`);
	}
	if (!Number.isInteger(rule.window_s) || rule.window_s < 1) {
		throw new Error(`Invalid rate limit window ${rule.window_s} s: expected a positive integer`);
	}
}
