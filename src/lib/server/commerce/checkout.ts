/**
 * Checkout: turns a validated cart into a paid order in one transaction, or writes nothing.
 * Every result is a `{ status, body, headers? }` that a route sends as it is.
 *
 * | Status | When |
 * |---|---|
 * | 201 | Order placed; a replay of the same key returns the stored 201 unchanged |
 * | 400 | Invalid field, unknown product or card number failing the Luhn check (names the field) |
 * | 402 | Payment declined; only a `payment_audit` row is written |
 * | 409 | Out of stock (names the product), or a request with this key is still in flight |
 * | 422 | The key was used before with a different cart |
 * | 502 | The payment provider did not respond; only an audit row is written |
 * | 503 | Database unavailable, or a lock or serialization conflict; retry with the same key |
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { get_region, type Currency, type RegionCode } from '../../shared/regions.ts';
import type { Database, Json } from '../db/schema.ts';
import {
	parse_checkout_request,
	type CheckoutInput,
	type CheckoutRequest
} from './checkout_request.ts';
import {
	classify_database_error,
	CommerceError,
	database_failure_result,
	to_result,
	type CommerceResult
} from './errors.ts';
import { hash_checkout_request, lock_idempotency_key } from './idempotency.ts';
import type { OrderDetail, OrderItemView } from './orders.ts';
import {
	parse_card_number,
	record_payment_attempt,
	type PaymentAuditEntry,
	type PaymentRequest
} from './payment.ts';
import { reserve_stock } from './stock.ts';

/** Outbox topic of the event written with every order; the order confirmation email reads it. */
export const ORDER_PLACED_TOPIC = 'order.placed';

/** Milliseconds a checkout waits for a locked stock row before it gives up with 503. */
export const CHECKOUT_LOCK_TIMEOUT_MS = 2_000;

/** Payload of an `order.placed` event: everything the confirmation email shows. */
export interface OrderPlacedPayload {
	order: OrderDetail;
	customer: { id: number; email: string; name: string };
}

interface PricedLine extends OrderItemView {
	product_id: number;
	/** Index of the line in the request, for error fields. */
	index: number;
}

/**
 * Places an order. Validation runs before any database work. One transaction then claims the
 * idempotency key, and either replays a stored response, rejects a reused key, or does the work.
 * The work is to price the lines from the database in the region's currency, take the stock and
 * authorise the payment. Last, it inserts the order, its items, an audit row, an `order.placed`
 * event and the stored response.
 */
export async function place_order(
	db: Kysely<Database>,
	input: CheckoutInput,
	payment: PaymentRequest
): Promise<CommerceResult> {
	let request: CheckoutRequest;
	let card_number: string;
	try {
		request = parse_checkout_request(input);
		card_number = parse_card_number(payment.card_number);
	} catch (error) {
		if (error instanceof CommerceError) return to_result(error);
		throw error;
	}

	const request_hash = hash_checkout_request(request);
	try {
		return await db
			.transaction()
			.execute((trx) => run_checkout(trx, request, request_hash, card_number, payment));
	} catch (error) {
		if (!(error instanceof CommerceError)) return database_failure_to_result(error);
		if (error instanceof PaymentNotApproved) {
			// The order transaction is rolled back, but the attempt itself goes on record.
			try {
				await record_payment_attempt(db, error.audit);
			} catch (audit_error) {
				return database_failure_to_result(audit_error);
			}
		}
		return to_result(error);
	}
}

async function run_checkout(
	trx: Transaction<Database>,
	request: CheckoutRequest,
	request_hash: string,
	card_number: string,
	payment: PaymentRequest
): Promise<CommerceResult> {
	const { user_id, idempotency_key } = request;
	if (!(await lock_idempotency_key(trx, user_id, idempotency_key, CHECKOUT_LOCK_TIMEOUT_MS))) {
		throw new CommerceError(
			'idempotency_key_in_use',
			409,
			'A checkout with this idempotency key is still in progress. Retry once it has finished.',
			{ field: 'idempotency_key', headers: { 'retry-after': '1' } }
		);
	}

	const currency = get_region(request.region).currency;
	const state = await read_checkout_state(trx, request, currency);
	const stored = state.stored;
	if (stored) {
		if (stored.request_hash !== request_hash) {
			throw new CommerceError(
				'idempotency_key_reused',
				422,
				'This idempotency key was already used for a different cart. Use a new key for a new checkout.',
				{ field: 'idempotency_key' }
			);
		}
		return {
			status: stored.response_status,
			body: stored.response_body,
			headers: { 'idempotent-replayed': 'true' }
		};
	}

	const customer = state.customer;
	if (!customer) {
		throw new CommerceError(
			'unknown_user',
			401,
			'The signed-in account no longer exists. Sign in again.'
		);
	}

	const lines = price_lines(request, state.products, currency);
	await reserve_stock(trx, lines);
	const total = lines.reduce((sum, line) => sum + line.line_total, 0);

	const audit: PaymentAuditEntry = {
		user_id,
		order_id: null,
		idempotency_key,
		provider: payment.provider.name,
		outcome: 'approved',
		reason: null,
		amount: total,
		currency,
		card_number,
		reference: null
	};
	// NOTE: the stock rows stay locked while the provider decides. The built-in provider responds at
	// once, but a remote one delays other buyers of the same products, up to the lock timeout.
	const reference = await authorize(payment, audit, `${user_id}:${idempotency_key}`);

	const body = await insert_order(trx, {
		order: { user_id, region: request.region, currency, total, reference },
		lines,
		audit: { ...audit, reference },
		customer,
		placed_at: state.placed_at,
		response: { key: idempotency_key, request_hash }
	});
	return { status: 201, body };
}

/**
 * Reads, in one statement after the key is locked, the stored response for the key, the
 * customer, each requested product with its price in `currency` (null when unpriced), and the
 * transaction's start time, which becomes the order's `created_at`.
 */
async function read_checkout_state(
	trx: Transaction<Database>,
	request: CheckoutRequest,
	currency: Currency
) {
	const slugs = request.lines.map((line) => line.slug);
	return trx
		.selectNoFrom((eb) => [
			jsonObjectFrom(
				eb
					.selectFrom('idempotency_key')
					.select(['request_hash', 'response_status', 'response_body'])
					.where('user_id', '=', request.user_id)
					.where('key', '=', request.idempotency_key)
			).as('stored'),
			jsonObjectFrom(
				eb.selectFrom('app_user').select(['id', 'email', 'name']).where('id', '=', request.user_id)
			).as('customer'),
			jsonArrayFrom(
				eb
					.selectFrom('product')
					.leftJoin('price', (join) =>
						join.onRef('price.product_id', '=', 'product.id').on('price.currency', '=', currency)
					)
					.select(['product.id', 'product.slug', 'product.name', 'price.amount'])
					.where('product.slug', 'in', slugs)
			).as('products'),
			sql<Date>`now()`.as('placed_at')
		])
		.executeTakeFirstOrThrow();
}

type PricedProduct = Awaited<ReturnType<typeof read_checkout_state>>['products'][number];

/** Prices each line from `products` in `currency`. An unknown or unpriced slug is a 400. */
function price_lines(
	request: CheckoutRequest,
	products: readonly PricedProduct[],
	currency: Currency
): PricedLine[] {
	const by_slug = new Map(products.map((product) => [product.slug, product]));

	return request.lines.map((line, index) => {
		const product = by_slug.get(line.slug);
		if (!product) {
			throw new CommerceError('unknown_product', 400, `No product has the slug "${line.slug}".`, {
				field: `lines[${index}].slug`
			});
		}
		if (product.amount === null) {
			throw new CommerceError(
				'unknown_product',
				400,
				`"${product.name}" is not sold in ${currency}.`,
				{ field: `lines[${index}].slug` }
			);
		}
		return {
			index,
			product_id: product.id,
			slug: product.slug,
			name: product.name,
			unit_price: product.amount,
			quantity: line.quantity,
			line_total: product.amount * line.quantity
		};
	});
}

/** Thrown inside the transaction to roll it back; `place_order` then writes `audit` on its own. */
class PaymentNotApproved extends CommerceError {
	readonly audit: PaymentAuditEntry;

	constructor(
		status: number,
		code: 'payment_declined' | 'payment_failed',
		message: string,
		audit: PaymentAuditEntry,
		details?: Record<string, string>
	) {
		super(code, status, message, { field: 'card_number', details });
		this.audit = audit;
	}
}

/** Returns the provider's reference for an approved payment, or throws `PaymentNotApproved`. */
async function authorize(
	payment: PaymentRequest,
	audit: PaymentAuditEntry,
	idempotency_key: string
): Promise<string> {
	let decision;
	try {
		decision = await payment.provider.authorize({
			amount: audit.amount,
			currency: audit.currency,
			card_number: audit.card_number,
			idempotency_key
		});
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new PaymentNotApproved(
			502,
			'payment_failed',
			'The payment provider did not complete the authorisation, so no order was placed. Retry the checkout.',
			{ ...audit, outcome: 'failed', reason: reason.slice(0, 500) }
		);
	}

	if (!decision.approved) {
		throw new PaymentNotApproved(
			402,
			'payment_declined',
			`${decision.reason} No order was placed. Try another card.`,
			{ ...audit, outcome: 'declined', reason: decision.decline_code },
			{ decline_code: decision.decline_code }
		);
	}
	return decision.reference;
}

/**
 * Inserts the order, its items, the approved payment's audit row, the `order.placed` event and
 * the stored 201 response in one statement, and returns the response body as the database stores
 * it. Replays read that same value back, so the first response and every replay are identical,
 * even though `jsonb` reorders object keys.
 */
async function insert_order(
	trx: Transaction<Database>,
	placed: {
		order: {
			user_id: number;
			region: RegionCode;
			currency: Currency;
			total: number;
			reference: string;
		};
		lines: PricedLine[];
		audit: PaymentAuditEntry;
		customer: OrderPlacedPayload['customer'];
		/** `now()` of this transaction, which is also the stored `created_at`. */
		placed_at: Date;
		response: { key: string; request_hash: string };
	}
): Promise<Json> {
	const { order, lines, customer } = placed;
	const { card_number, ...audit_row } = placed.audit;
	const order_id = sql<number>`(select id from new_order)`;

	// The id and status exist only inside the statement, so `with_order_row` sets them there.
	const detail: Omit<OrderDetail, 'id' | 'status'> = {
		region: order.region,
		currency: order.currency,
		total: order.total,
		created_at: placed.placed_at.toISOString(),
		items: lines.map(({ slug, name, unit_price, quantity, line_total }) => ({
			slug,
			name,
			unit_price,
			quantity,
			line_total
		}))
	};
	const event = { order: detail, customer };
	const with_order_row = (value: object) =>
		sql<string>`jsonb_set(
			jsonb_set(${JSON.stringify(value)}::jsonb, '{order,id}', to_jsonb(new_order.id)),
			'{order,status}', to_jsonb(new_order.status)
		)`;

	const row = await trx
		.with('new_order', (db) =>
			db
				.insertInto('customer_order')
				.values({
					user_id: order.user_id,
					region: order.region,
					currency: order.currency,
					total: order.total,
					payment_reference: order.reference,
					created_at: sql<Date>`now()`
				})
				.returning(['id', 'status'])
		)
		.with('new_items', (db) =>
			db.insertInto('order_item').values(
				lines.map((line) => ({
					order_id,
					product_id: line.product_id,
					slug: line.slug,
					name: line.name,
					unit_price: line.unit_price,
					quantity: line.quantity,
					line_total: line.line_total
				}))
			)
		)
		.with('new_audit', (db) =>
			db
				.insertInto('payment_audit')
				.values({ ...audit_row, order_id, card_last4: card_number.slice(-4) })
		)
		.with('new_event', (db) =>
			db
				.insertInto('outbox_event')
				.columns(['topic', 'payload'])
				.expression((eb) =>
					eb
						.selectFrom('new_order')
						.select([
							sql<string>`${ORDER_PLACED_TOPIC}::text`.as('topic'),
							with_order_row(event).as('payload')
						])
				)
		)
		.insertInto('idempotency_key')
		.columns(['user_id', 'key', 'request_hash', 'response_status', 'response_body'])
		.expression((eb) =>
			eb
				.selectFrom('new_order')
				.select([
					sql<number>`${order.user_id}::integer`.as('user_id'),
					sql<string>`${placed.response.key}::text`.as('key'),
					sql<string>`${placed.response.request_hash}::text`.as('request_hash'),
					sql<number>`201`.as('response_status'),
					with_order_row({ order: detail }).as('response_body')
				])
		)
		.returning('response_body')
		.executeTakeFirstOrThrow();
	return row.response_body;
}

/** Turns a database failure into a result; rethrows anything it does not recognise. */
function database_failure_to_result(error: unknown): CommerceResult {
	const mapped = database_failure_result(error);
	if (mapped) return mapped;

	const failure = classify_database_error(error);
	if (failure === 'unique_violation') {
		// Duplicate lines are rejected up front, so the one unique key checkout can hit is the
		// idempotency key: a concurrent request with that key committed first. A retry replays it.
		return to_result(
			new CommerceError(
				'idempotency_key_in_use',
				409,
				'A checkout with this idempotency key finished at the same time. Retry to get its result.',
				{ field: 'idempotency_key', headers: { 'retry-after': '1' }, cause: error }
			)
		);
	}
	throw error;
}
