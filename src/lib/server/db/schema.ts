/**
 * Table types for Kysely. Money is stored as integer minor units (cents, pence) in `int4`, so
 * values arrive as numbers. Counters that can pass 2^31 use `int8` and arrive as strings.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Currency, RegionCode } from '../../shared/regions.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface CategoryTable {
	id: Generated<number>;
	slug: string;
	name: string;
	description: string;
	position: number;
}

export interface ProductTable {
	id: Generated<number>;
	slug: string;
	category_id: number;
	name: string;
	summary: string;
	description: string;
	/** Path of the product's artwork under `static/`, for example `/art/linen-apron.svg`. */
	image: string;
	created_at: CreatedAt;
}

export interface PriceTable {
	product_id: number;
	currency: Currency;
	amount: number;
}

export interface StockTable {
	product_id: number;
	quantity: number;
	updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface Database {
	category: CategoryTable;
	product: ProductTable;
	price: PriceTable;
	stock: StockTable;
	app_user: UserTable;
	customer_order: OrderTable;
	order_item: OrderItemTable;
	idempotency_key: IdempotencyKeyTable;
	outbox_event: OutboxEventTable;
	email_delivery: EmailDeliveryTable;
	rate_limit_counter: RateLimitCounterTable;
	payment_audit: PaymentAuditTable;
}

export type Category = Selectable<CategoryTable>;
export type Product = Selectable<ProductTable>;
export type NewProduct = Insertable<ProductTable>;

/** A value that Postgres stores as `jsonb`; drivers return it parsed. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Inserted as a JSON string, which Postgres parses into `jsonb`, and selected as the parsed value.
 * A string because pg would send a JavaScript array as a Postgres array literal, not as JSON.
 */
type JsonColumn = ColumnType<Json, string, string>;

export type UserRole = 'customer' | 'admin';

export interface UserTable {
	id: Generated<number>;
	/** Stored as entered; uniqueness and lookups use `lower(email)`. */
	email: string;
	/** Self-describing scrypt hash, `scrypt$N$r$p$salt$hash` (see `commerce/passwords.ts`). */
	password_hash: string;
	name: string;
	role: ColumnType<UserRole, UserRole | undefined, UserRole>;
	created_at: CreatedAt;
}

export type OrderStatus = 'paid' | 'shipped' | 'cancelled';

export interface OrderTable {
	id: Generated<number>;
	user_id: number;
	region: RegionCode;
	currency: Currency;
	/** Sum of the line totals, in minor units of `currency`. */
	total: number;
	status: ColumnType<OrderStatus, OrderStatus | undefined, OrderStatus>;
	payment_reference: string;
	created_at: CreatedAt;
}

export interface OrderItemTable {
	id: Generated<number>;
	order_id: number;
	product_id: number;
	/** Slug, name and unit price as they were when the order was placed. */
	slug: string;
	name: string;
	unit_price: number;
	quantity: number;
	line_total: number;
}

export interface IdempotencyKeyTable {
	user_id: number;
	key: string;
	/** SHA-256 of the canonical request, hex. */
	request_hash: string;
	response_status: number;
	response_body: JsonColumn;
	created_at: CreatedAt;
}

export interface OutboxEventTable {
	id: Generated<number>;
	topic: string;
	payload: JsonColumn;
	created_at: CreatedAt;
	/** The earliest time a drain may claim the event: set forward by a claim lease and by backoff. */
	available_at: ColumnType<Date, Date | string | undefined, Date | string>;
	attempts: ColumnType<number, number | undefined, number>;
	last_error: string | null;
	processed_at: Date | null;
}

export interface EmailDeliveryTable {
	event_id: number;
	message_id: string | null;
	delivered_at: CreatedAt;
}

export interface RateLimitCounterTable {
	key: string;
	window_start: Date;
	count: number;
	expires_at: Date;
}

export type PaymentOutcome = 'approved' | 'declined' | 'failed';

export interface PaymentAuditTable {
	id: Generated<number>;
	user_id: number;
	/** Set only when the payment was approved and the order committed. */
	order_id: number | null;
	idempotency_key: string;
	provider: string;
	outcome: PaymentOutcome;
	reason: string | null;
	amount: number;
	currency: Currency;
	card_last4: string;
	reference: string | null;
	created_at: CreatedAt;
}

export type User = Selectable<UserTable>;
export type OutboxEvent = Selectable<OutboxEventTable>;
