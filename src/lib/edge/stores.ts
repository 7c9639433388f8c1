/**
 * Per-isolate caches of the two Netlify Blobs documents the edge reads on every request: the
 * flag document and the revocation list. The caller passes `getStore`, and it is called inside
 * the loaders only, never at import time, because the Blobs context exists only while a request
 * is being handled.
 */
import { REVOCATION_STORE, parse_revocation_keys } from '../shared/session/revocation.ts';
import {
	DEFAULT_FLAGS,
	FLAG_KEY,
	FLAG_STORE,
	parse_flag_document,
	type FlagDocument
} from './flags.ts';
import { TtlCache } from './ttl_cache.ts';

/** The part of `getStore` from `@netlify/blobs` that the loaders use. */
export type GetStore = (name: string) => {
	get(key: string, options: { type: 'json' }): Promise<unknown>;
	list(): Promise<{ blobs: { key: string }[] }>;
};

/** How long a cached document is served before a background refresh, in ms. */
export const STORE_TTL_MS = 30_000;
/** Maximum wait for an isolate's first store read before the built-in values apply, in ms. */
const STORE_TIMEOUT_MS = 1_000;
/** Wait after a failed store read before the next attempt, in ms. */
const STORE_RETRY_MS = 10_000;
/** Minimum interval between two logged failures of the same store, in ms. */
const LOG_INTERVAL_MS = 5 * 60_000;

export interface StoreCaches {
	flags: TtlCache<FlagDocument>;
	revoked_sessions: TtlCache<ReadonlySet<string>>;
}

/**
 * Creates the flag and revocation caches. A missing flag document means the defaults; an
 * invalid one, or a failing store, keeps the last good value (the defaults at first). Failures
 * are logged through `log` at most once per store every five minutes, with a count of the rest.
 */
export function create_store_caches(
	get_store: GetStore,
	log: (message: string) => void,
	now: () => number = Date.now
): StoreCaches {
	const flags = new TtlCache<FlagDocument>({
		load: async () => {
			const document = await get_store(FLAG_STORE).get(FLAG_KEY, { type: 'json' });
			if (document === null) return DEFAULT_FLAGS;
			const result = parse_flag_document(document, { strict: false });
			if (!result.ok) {
				throw new Error(`The stored flag document is invalid: ${result.errors.join(' ')}`);
			}
			return result.flags;
		},
		fallback: DEFAULT_FLAGS,
		ttl_ms: STORE_TTL_MS,
		timeout_ms: STORE_TIMEOUT_MS,
		retry_ms: STORE_RETRY_MS,
		on_error: throttled_logger(FLAG_STORE, log, now)
	});

	const revoked_sessions = new TtlCache<ReadonlySet<string>>({
		load: async () => {
			const { blobs } = await get_store(REVOCATION_STORE).list();
			const keys = blobs.map((blob) => blob.key);
			return parse_revocation_keys(keys, Math.floor(now() / 1000));
		},
		// NOTE: this fails open. While the store cannot be read (or its first read takes over 1 s),
		// revoked sessions count as valid until their expiry, at most one hour after issue.
		fallback: new Set(),
		ttl_ms: STORE_TTL_MS,
		timeout_ms: STORE_TIMEOUT_MS,
		retry_ms: STORE_RETRY_MS,
		on_error: throttled_logger(REVOCATION_STORE, log, now)
	});

	return { flags, revoked_sessions };
}

function throttled_logger(
	store: string,
	log: (message: string) => void,
	now: () => number
): (error: unknown) => void {
	let logged_at = -Infinity;
	let suppressed = 0;
	return (error) => {
		if (now() - logged_at < LOG_INTERVAL_MS) {
			suppressed++;
			return;
		}
		const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
		const repeats = suppressed > 0 ? ` (${suppressed} more failures since the last report)` : '';
		log(
			`[edge] Reading the Blobs store "${store}" failed; serving cached or built-in values${repeats}. ${reason}`
		);
		logged_at = now();
		suppressed = 0;
	};
}
