/**
 * Idempotency keys for checkout, scoped to a user. A key is claimed with a transaction-scoped
 * advisory lock, which works behind a transaction-mode pooler because it ends with the
 * transaction. The response is stored in the same transaction as the order, so a key row exists
 * only for a committed order.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { CheckoutRequest } from './checkout_request.ts';

/**
 * SHA-256 over the parts of a request that decide its result: region and lines, sorted by slug
 * so that the same cart in another order counts as the same request. The payment card is left
 * out, so no card number is hashed into the database.
 */
export function hash_checkout_request(request: Pick<CheckoutRequest, 'region' | 'lines'>): string {
	const lines = [...request.lines].sort(compare_by_slug).map((line) => [line.slug, line.quantity]);
	const canonical = JSON.stringify({ region: request.region, lines });
	return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Derives the signed 64-bit advisory lock id of a user's key, as a decimal string for a `bigint`
 * parameter.
 */
export function idempotency_lock_id(user_id: number, key: string): string {
	const digest = createHash('sha256').update(`checkout:${user_id}:${key}`).digest();
	return digest.readBigInt64BE(0).toString();
}

/**
 * Tries to take the key's lock for the rest of the transaction and returns false when another
 * transaction holds it, that is, while a request with this key is in flight. The same statement
 * sets `lock_timeout` for the transaction, so a blocked stock row fails fast instead of
 * holding a pooled connection.
 */
export async function lock_idempotency_key(
	trx: Transaction<Database>,
	user_id: number,
	key: string,
	lock_timeout_ms: number
): Promise<boolean> {
	const lock_id = idempotency_lock_id(user_id, key);
	const { rows } = await sql<{ locked: boolean }>`
		select pg_try_advisory_xact_lock(${lock_id}::bigint) as locked,
			set_config('lock_timeout', ${`${lock_timeout_ms}ms`}, true) as lock_timeout
	`.execute(trx);
	return rows[0]?.locked === true;
}

/**
 * Deletes keys older than `before` and returns how many went. A retry with a deleted key places
 * a new order.
 */
export async function prune_idempotency_keys(db: Kysely<Database>, before: Date): Promise<number> {
	const result = await db
		.deleteFrom('idempotency_key')
		.where('created_at', '<', before)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Orders by UTF-16 code units, which, unlike `localeCompare`, does not depend on locale data. */
function compare_by_slug(a: { slug: string }, b: { slug: string }): number {
	if (a.slug < b.slug) return -1;
	if (a.slug > b.slug) return 1;
	return 0;
}
