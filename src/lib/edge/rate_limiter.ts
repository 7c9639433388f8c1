/**
 * Approximate per-client rate limits. Counters live in the memory of one isolate, and Netlify
 * runs many isolates, so a client spread over several of them gets more than the limit. This
 * stops floods cheaply at the edge but is not the only control: Netlify's own rate limiting is
 * declared for the login and checkout paths in `netlify/edge-functions/rate_limits.ts`.
 */
import { client_address_key } from '../shared/client_address.ts';
import { canonical_path } from './paths.ts';

export interface RateLimitOptions {
	/** Requests allowed per window. */
	limit: number;
	/** Window length in milliseconds. */
	window_ms: number;
	/** Most clients tracked at once; the least recently added are dropped beyond it. */
	max_keys?: number;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retry_after_s: number };

interface Counter {
	/** Start of the window `current` counts, in milliseconds. */
	window_start: number;
	current: number;
	/** Requests allowed in the window before `window_start`. */
	previous: number;
}

const DEFAULT_MAX_KEYS = 10_000;

/**
 * A sliding window counter: the estimate for the last `window_ms` is the current window's count
 * plus the previous window's count weighted by how much of it still overlaps. It needs two
 * numbers per client, and allows at most `limit` per fixed window and at most twice `limit` in
 * any interval of `window_ms`. Rejected requests are not counted, so a client that backs off
 * for `retry_after_s` is served again.
 */
export class SlidingWindowLimiter {
	readonly limit: number;
	readonly window_ms: number;
	#max_keys: number;
	#counters = new Map<string, Counter>();

	constructor(options: RateLimitOptions) {
		if (!(options.limit >= 1) || !(options.window_ms >= 1)) {
			throw new RangeError('A rate limit needs a limit and a window of at least 1.');
		}
		this.limit = options.limit;
		this.window_ms = options.window_ms;
		this.#max_keys = options.max_keys ?? DEFAULT_MAX_KEYS;
	}

	/** Counts one request from `key` at `now_ms` if the limit allows it. */
	check(key: string, now_ms: number): RateLimitDecision {
		const window_start = now_ms - (now_ms % this.window_ms);
		let counter = this.#counters.get(key);

		if (!counter) {
			this.#make_room(window_start);
			counter = { window_start, current: 0, previous: 0 };
			this.#counters.set(key, counter);
		} else if (counter.window_start !== window_start) {
			const is_adjacent = counter.window_start === window_start - this.window_ms;
			counter.previous = is_adjacent ? counter.current : 0;
			counter.current = 0;
			counter.window_start = window_start;
		}

		const overlap = 1 - (now_ms - window_start) / this.window_ms;
		if (counter.previous * overlap + counter.current < this.limit) {
			counter.current++;
			return { allowed: true };
		}
		return { allowed: false, retry_after_s: this.#retry_after_s(counter, now_ms) };
	}

	/** Number of clients currently tracked. */
	get size(): number {
		return this.#counters.size;
	}

	/**
	 * Seconds until the estimate drops below the limit, if no other request is counted. The
	 * estimate only falls as time passes, so any later retry is allowed too.
	 */
	#retry_after_s(counter: Counter, now_ms: number): number {
		let allowed_after: number;
		if (counter.current < this.limit) {
			const spare = (this.limit - counter.current) / counter.previous;
			allowed_after = counter.window_start + this.window_ms * (1 - spare);
		} else {
			const next_window = counter.window_start + this.window_ms;
			allowed_after = next_window + this.window_ms * (1 - this.limit / counter.current);
		}
		// One extra millisecond keeps the retry strictly after the boundary despite rounding.
		return Math.max(1, Math.ceil((allowed_after - now_ms + 1) / 1000));
	}

	/** Drops stale counters, then the oldest ones, when the map is full. */
	#make_room(window_start: number): void {
		if (this.#counters.size < this.#max_keys) return;

		const stale_before = window_start - this.window_ms;
		for (const [key, counter] of this.#counters) {
			if (counter.window_start < stale_before) this.#counters.delete(key);
		}

		const target = Math.floor(this.#max_keys * 0.9);
		for (const key of this.#counters.keys()) {
			if (this.#counters.size <= target) break;
			this.#counters.delete(key);
		}
	}
}

/** Every request from one client address. */
export const GENERAL_LIMIT: RateLimitOptions = { limit: 300, window_ms: 60_000 };

/** Form posts that guess passwords or create orders, per client address. */
export const SENSITIVE_LIMIT: RateLimitOptions = { limit: 10, window_ms: 60_000 };

/**
 * Reads a limit written as `<requests>/<seconds>`, for example `300/60`. An unset value gives the
 * fallback; an invalid one gives the fallback and a warning, so a typo cannot disable the edge.
 */
export function parse_rate_limit(
	text: string | undefined,
	fallback: RateLimitOptions,
	warn: (message: string) => void
): RateLimitOptions {
	if (text === undefined || text.trim() === '') return fallback;

	const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,6})\s*$/.exec(text);
	const limit = Number(match?.[1]);
	const window_s = Number(match?.[2]);
	if (!match || limit < 1 || window_s < 1) {
		warn(
			`Invalid rate limit "${text}": expected <requests>/<seconds> such as 300/60; using the default`
		);
		return fallback;
	}
	return { limit, window_ms: window_s * 1000 };
}

/** Paths whose POST requests count against `SENSITIVE_LIMIT`. */
export const SENSITIVE_PATHS = ['/login', '/register', '/checkout', '/api/checkout'] as const;

/**
 * The two limits the edge applies, keyed by the client address the platform reports
 * (`context.ip`). Headers such as `X-Forwarded-For` are set by the client and never used.
 */
export class ClientRateLimits {
	readonly general: SlidingWindowLimiter;
	readonly sensitive: SlidingWindowLimiter;

	constructor(general = GENERAL_LIMIT, sensitive = SENSITIVE_LIMIT) {
		this.general = new SlidingWindowLimiter(general);
		this.sensitive = new SlidingWindowLimiter(sensitive);
	}

	check(client_ip: string, method: string, pathname: string, now_ms: number): RateLimitDecision {
		const key = client_ip ? client_address_key(client_ip) : 'unknown';
		if (method === 'POST' && is_sensitive_path(pathname)) {
			const decision = this.sensitive.check(key, now_ms);
			if (!decision.allowed) return decision;
		}
		return this.general.check(key, now_ms);
	}
}

function is_sensitive_path(pathname: string): boolean {
	const path = canonical_path(pathname);
	const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
	return (SENSITIVE_PATHS as readonly string[]).includes(trimmed);
}
