/**
 * A value kept per isolate and refreshed in the background after a TTL, for data the edge reads
 * on every request but that changes rarely (the flag document, the revocation list). Requests
 * never wait for a refresh once a value exists, and a failing store keeps the last good value.
 */

export interface TtlCacheOptions<T> {
	/** Fetches a fresh value; may throw or hang. */
	load: () => Promise<T>;
	/** Served when the first load fails or times out, until a later load succeeds. */
	fallback: T;
	/** How long a loaded value counts as fresh, in milliseconds. */
	ttl_ms: number;
	/** How long the first load may take before `fallback` is served, in milliseconds. */
	timeout_ms: number;
	/** Wait after a failed load before the next attempt, in milliseconds. */
	retry_ms: number;
	/** Receives every failed load; the cache itself does not log. */
	on_error?: (error: unknown) => void;
}

/** Registers a promise that must finish even after the response is sent (`context.waitUntil`). */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** The part of a cache that the request pipeline uses. Tests pass a plain object. */
export interface CachedValue<T> {
	get(now_ms: number, wait_until?: WaitUntil): T | Promise<T>;
}

export class TtlCache<T> implements CachedValue<T> {
	#options: TtlCacheOptions<T>;
	#value: { data: T } | undefined;
	#refresh_at = 0;
	#pending: Promise<T> | undefined;

	constructor(options: TtlCacheOptions<T>) {
		this.#options = options;
	}

	/**
	 * Returns the cached value. The first call waits for a load, at most `timeout_ms`. Later calls
	 * return at once and start a background refresh when the value is older than `ttl_ms`.
	 */
	get(now_ms: number, wait_until?: WaitUntil): T | Promise<T> {
		if (!this.#value) return this.#load(now_ms);

		if (now_ms >= this.#refresh_at && !this.#pending) {
			const refresh = this.#load(now_ms);
			wait_until?.(refresh);
		}
		return this.#value.data;
	}

	#load(now_ms: number): Promise<T> {
		this.#pending ??= this.#fetch(now_ms).finally(() => {
			this.#pending = undefined;
		});
		return this.#pending;
	}

	async #fetch(now_ms: number): Promise<T> {
		const { load, fallback, ttl_ms, timeout_ms, retry_ms, on_error } = this.#options;
		try {
			const data = await with_timeout(load(), timeout_ms);
			this.#value = { data };
			this.#refresh_at = now_ms + ttl_ms;
			return data;
		} catch (error) {
			on_error?.(error);
			this.#value ??= { data: fallback };
			this.#refresh_at = now_ms + retry_ms;
			return this.#value.data;
		}
	}
}

export class LoadTimeoutError extends Error {
	readonly code = 'LOAD_TIMEOUT';

	constructor(timeout_ms: number) {
		super(`The load did not finish within ${timeout_ms} ms.`);
		this.name = 'LoadTimeoutError';
	}
}

function with_timeout<T>(promise: Promise<T>, timeout_ms: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new LoadTimeoutError(timeout_ms)), timeout_ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
