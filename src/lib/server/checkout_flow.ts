/**
 * The checkout that both the checkout form and `POST /api/checkout` run: `place_order` with the
 * payment provider, then the side effects of a new order once it has committed.
 */
import type { Kysely } from 'kysely';
import { place_order } from './commerce/checkout.ts';
import type { CheckoutInput } from './commerce/checkout_request.ts';
import type { CommerceResult } from './commerce/errors.ts';
import { TEST_PAYMENT_PROVIDER, type PaymentProvider } from './commerce/payment.ts';
import type { Database } from './db/schema.ts';
import { purge_live_stock } from './live_stock.ts';
import { trigger_outbox_drain } from './outbox_trigger.ts';

/** Request values that the side effects of a new order use. */
export interface CheckoutContext {
	/** Netlify's `context.waitUntil`, which keeps the function alive for work after the response. */
	wait_until?: (promise: Promise<unknown>) => void;
	/** Environment for the outbox trigger (`URL`, `OUTBOX_TRIGGER_SECRET`). */
	env: Record<string, string | undefined>;
	/** Defaults to the built-in test provider, the only one the shop has. */
	provider?: PaymentProvider;
}

/**
 * Places the order and returns `place_order`'s result unchanged. After a new order (a 201 that
 * is not a replay) it starts the outbox drain, which sends the confirmation email, and purges
 * the cached stock of the ordered products. Neither delays the response nor can fail it.
 */
export async function checkout(
	db: Kysely<Database>,
	input: CheckoutInput,
	card_number: unknown,
	context: CheckoutContext
): Promise<CommerceResult> {
	const result = await place_order(db, input, {
		provider: context.provider ?? TEST_PAYMENT_PROVIDER,
		card_number
	});
	if (result.status !== 201 || result.headers?.['idempotent-replayed'] === 'true') return result;

	trigger_outbox_drain({ env: context.env, wait_until: context.wait_until });
	const slugs = ordered_slugs(result.body);
	const purge = purge_live_stock(slugs);
	context.wait_until?.(purge);
	return result;
}

/** Returns the id of the order in a successful checkout body, or undefined. */
export function placed_order_id(body: unknown): number | undefined {
	const id = (body as { order?: { id?: unknown } } | null)?.order?.id;
	return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
}

function ordered_slugs(body: unknown): string[] {
	const items = (body as { order?: { items?: unknown } } | null)?.order?.items;
	if (!Array.isArray(items)) return [];
	return items
		.map((item) => (item as { slug?: unknown } | null)?.slug)
		.filter((slug): slug is string => typeof slug === 'string');
}
