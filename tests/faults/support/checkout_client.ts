/**
 * One way for the fault suites to place orders: POST `/api/checkout` on the built app when the
 * build has that route, else `place_order` on a Kysely instance with the same database settings.
 * Both return the same outcome shape, so a suite runs unchanged on either path.
 */
import type { Agent } from 'node:http';
import type { Kysely } from 'kysely';
import { place_order } from '../../../src/lib/server/commerce/checkout.ts';
import { TEST_PAYMENT_PROVIDER } from '../../../src/lib/server/commerce/payment.ts';
import { create_db, read_database_settings } from '../../../src/lib/server/db/connect.ts';
import type { Database } from '../../../src/lib/server/db/schema.ts';
import type { AppServer } from './app_server.ts';
import { create_agent, send } from './http_client.ts';

export const CHECKOUT_ROUTE = '/api/checkout';
export const APPROVED_CARD = '4242424242424242';

export interface OrderLine {
	slug: string;
	quantity: number;
}

export interface CheckoutOutcome {
	status: number;
	/** The `Retry-After` header, or null. */
	retry_after: string | null;
	/** Whether the response is a stored one (`Idempotent-Replayed: true`). */
	replayed: boolean;
	/** The response body as sent. */
	body: string;
	/** Milliseconds from sending to the end of the response. */
	ms: number;
}

export interface CheckoutOptions {
	/** Close the connection this many ms after the request is written, without a response. */
	abort_after_ms?: number;
	/** Close the connection halfway through the body. */
	abort_while_sending?: boolean;
}

export interface CheckoutClient {
	/** `HTTP handler` or `place_order`, for the summary lines. */
	via: string;
	/** Places one order attempt; resolves with null when an abort option closed the connection. */
	place(
		user_id: number,
		key: string,
		lines: OrderLine[],
		options?: CheckoutOptions
	): Promise<CheckoutOutcome | null>;
	close(): Promise<void>;
}

export interface LibraryTarget {
	database_url: string;
	pool_max?: number;
	connect_timeout_ms?: number;
}

/** Checks whether `server` is a build with the checkout endpoint. */
export function serves_checkout(server: AppServer | null): server is AppServer {
	return server !== null && server.routes.includes(CHECKOUT_ROUTE);
}

/**
 * Returns a client over HTTP when `server` has the checkout route, else one that calls
 * `place_order` with a Kysely instance built from `target` as the app would build it.
 */
export function open_checkout(server: AppServer | null, target: LibraryTarget): CheckoutClient {
	if (serves_checkout(server)) return http_checkout(server);
	const db = create_db(
		read_database_settings({
			DATABASE_URL: target.database_url,
			DATABASE_DRIVER: 'pg',
			DATABASE_POOL_MAX: target.pool_max?.toString(),
			DATABASE_CONNECT_TIMEOUT_MS: target.connect_timeout_ms?.toString()
		})
	);
	return library_checkout(db);
}

function http_checkout(server: AppServer): CheckoutClient {
	const agent: Agent = create_agent();
	const cookies = new Map<number, Promise<string>>();
	const cookie_for = (user_id: number) => {
		let cookie = cookies.get(user_id);
		if (!cookie) {
			cookie = server.session_cookie(user_id);
			cookies.set(user_id, cookie);
		}
		return cookie;
	};

	return {
		via: 'HTTP handler',
		async place(user_id, key, lines, options = {}) {
			const request = {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'idempotency-key': key,
					cookie: await cookie_for(user_id)
				},
				body: JSON.stringify({ region: 'us', lines, card: APPROVED_CARD }),
				agent,
				abort_after_ms: options.abort_after_ms,
				abort_while_sending: options.abort_while_sending
			};
			const response = await send(server.origin, CHECKOUT_ROUTE, request);
			if (!response) return null;
			return {
				status: response.status,
				retry_after: header(response.headers['retry-after']),
				replayed: header(response.headers['idempotent-replayed']) === 'true',
				body: response.body,
				ms: response.ms
			};
		},
		async close() {
			agent.destroy();
		}
	};
}

function header(value: string | string[] | undefined): string | null {
	return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** Returns a client that calls `place_order` on `db`; its `close` destroys `db`. */
export function library_checkout(db: Kysely<Database>): CheckoutClient {
	return {
		via: 'place_order',
		async place(user_id, key, lines) {
			const started = performance.now();
			try {
				const result = await place_order(
					db,
					{ user_id, region: 'us', idempotency_key: key, lines },
					{ provider: TEST_PAYMENT_PROVIDER, card_number: APPROVED_CARD }
				);
				return {
					status: result.status,
					retry_after: result.headers?.['retry-after'] ?? null,
					replayed: result.headers?.['idempotent-replayed'] === 'true',
					body: JSON.stringify(result.body),
					ms: performance.now() - started
				};
			} catch (error) {
				// A route would turn an uncaught error into a 500, so the suites count it as one.
				return {
					status: 500,
					retry_after: null,
					replayed: false,
					body: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
					ms: performance.now() - started
				};
			}
		},
		close: () => db.destroy()
	};
}

export interface SettleOptions {
	/** Attempts before giving up. */
	max_attempts: number;
	/**
	 * Milliseconds to wait before a retry. Default: the `Retry-After` header, or 100 ms without
	 * one.
	 */
	retry_delay_ms?: (outcome: CheckoutOutcome | null) => number;
	/** Options of the first attempt only, such as an abort after sending. */
	first?: CheckoutOptions;
}

/**
 * Sends the same checkout until its status is final. It retries after an aborted attempt, a 409
 * for a key still in flight and a 503, as a well-behaved client does. Returns every outcome, the
 * last one final unless `max_attempts` ran out. A network error counts as an aborted attempt.
 */
export async function settle_checkout(
	client: CheckoutClient,
	user_id: number,
	key: string,
	lines: OrderLine[],
	options: SettleOptions
): Promise<(CheckoutOutcome | null)[]> {
	const outcomes: (CheckoutOutcome | null)[] = [];
	for (let attempt = 0; attempt < options.max_attempts; attempt++) {
		const outcome = await client
			.place(user_id, key, lines, attempt === 0 ? options.first : undefined)
			.catch(() => null);
		outcomes.push(outcome);
		if (outcome && !is_retryable(outcome)) break;

		const delay = options.retry_delay_ms?.(outcome) ?? retry_after_ms(outcome);
		await new Promise((wait) => setTimeout(wait, delay));
	}
	return outcomes;
}

/** Checks whether an outcome calls for a retry: a 503, or a 409 for a key still in flight. */
export function is_retryable(outcome: CheckoutOutcome): boolean {
	if (outcome.status === 503) return true;
	return outcome.status === 409 && error_code(outcome.body) === 'idempotency_key_in_use';
}

/** Returns `error.code` of a JSON error body, or null for any other body. */
export function error_code(body: string): string | null {
	try {
		const parsed = JSON.parse(body) as { error?: { code?: unknown } } | null;
		return typeof parsed?.error?.code === 'string' ? parsed.error.code : null;
	} catch {
		return null;
	}
}

function retry_after_ms(outcome: CheckoutOutcome | null): number {
	const seconds = Number(outcome?.retry_after);
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 100;
}

/** Spreads orders over the catalog: order `index` buys one of product `index` modulo the count. */
export function line_for(products: readonly { slug: string }[], index: number): OrderLine[] {
	return [{ slug: products[index % products.length]!.slug, quantity: 1 }];
}
