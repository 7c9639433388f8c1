/**
 * Reading a user's orders. Every query is scoped to the user, so another user's order reads as
 * not found rather than forbidden, and a route can return 404 without revealing that it exists.
 */
import { sql, type Kysely } from 'kysely';
import type { Currency, RegionCode } from '../../shared/regions.ts';
import type { Database, OrderStatus } from '../db/schema.ts';

/** One line of an order, with the name and unit price as they were at checkout. */
export interface OrderItemView {
	slug: string;
	name: string;
	unit_price: number;
	quantity: number;
	line_total: number;
}

export interface OrderSummary {
	id: number;
	status: OrderStatus;
	region: RegionCode;
	currency: Currency;
	/** Minor units of `currency`. */
	total: number;
	/** Units across all lines. */
	item_count: number;
	/** ISO 8601, so that the value survives JSON unchanged. */
	created_at: string;
}

/** An order with its lines; also the `order` of a successful checkout response. */
export interface OrderDetail {
	id: number;
	status: OrderStatus;
	region: RegionCode;
	currency: Currency;
	total: number;
	created_at: string;
	items: OrderItemView[];
}

export const ORDER_PAGE_SIZE = 50;

/** Lists the user's orders, newest first, at most `limit`. */
export async function list_orders(
	db: Kysely<Database>,
	user_id: number,
	limit: number = ORDER_PAGE_SIZE
): Promise<OrderSummary[]> {
	const rows = await db
		.selectFrom('customer_order as o')
		.select((eb) => [
			'o.id',
			'o.status',
			'o.region',
			'o.currency',
			'o.total',
			'o.created_at',
			eb
				.selectFrom('order_item as i')
				.select(sql<number>`coalesce(sum(i.quantity), 0)::int`.as('units'))
				.whereRef('i.order_id', '=', 'o.id')
				.as('item_count')
		])
		.where('o.user_id', '=', user_id)
		.orderBy('o.id', 'desc')
		.limit(limit)
		.execute();

	return rows.map((row) => ({
		id: row.id,
		status: row.status,
		region: row.region,
		currency: row.currency,
		total: row.total,
		item_count: row.item_count ?? 0,
		created_at: row.created_at.toISOString()
	}));
}

/**
 * Loads one order with its lines, or returns null when no order has this id for this user.
 * `order_id` may come straight from a URL: anything but a positive 32-bit integer is not found.
 */
export async function get_order(
	db: Kysely<Database>,
	user_id: number,
	order_id: number
): Promise<OrderDetail | null> {
	if (!Number.isInteger(order_id) || order_id < 1 || order_id > 2 ** 31 - 1) return null;

	const order = await db
		.selectFrom('customer_order')
		.select(['id', 'status', 'region', 'currency', 'total', 'created_at'])
		.where('id', '=', order_id)
		.where('user_id', '=', user_id)
		.executeTakeFirst();
	if (!order) return null;

	const items = await db
		.selectFrom('order_item')
		.select(['slug', 'name', 'unit_price', 'quantity', 'line_total'])
		.where('order_id', '=', order.id)
		.orderBy('id')
		.execute();

	return { ...order, created_at: order.created_at.toISOString(), items };
}
