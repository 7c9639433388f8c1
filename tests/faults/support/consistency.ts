/**
 * Checks that every order in a fault suite's database was written whole: each count in
 * `OrderAnomalies` is zero when no checkout left half its rows behind or ran twice for one key.
 */
import type pg from 'pg';

export interface OrderAnomalies {
	orders_without_items: number;
	items_without_orders: number;
	/** Orders whose `total` differs from the sum of their line totals. */
	wrong_totals: number;
	/** `order.placed` events that name an order that does not exist. */
	events_without_orders: number;
	/** Orders with no `order.placed` event, or with more than one. */
	orders_without_one_event: number;
	/** Stored 201 responses that name an order that does not exist. */
	responses_without_orders: number;
	/** Orders that no stored idempotent response names. */
	orders_without_responses: number;
	/** Approved payments whose order does not exist. */
	payments_without_orders: number;
	/** Idempotency keys (per user) with more than one approved payment, so more than one order. */
	keys_with_several_orders: number;
	/** Products whose stock plus the quantities ordered differs from the starting stock. */
	stock_mismatches: number;
}

const CHECKS: Record<keyof OrderAnomalies, string> = {
	orders_without_items: `select count(*) from customer_order o
		where not exists (select 1 from order_item i where i.order_id = o.id)`,
	items_without_orders: `select count(*) from order_item i
		where not exists (select 1 from customer_order o where o.id = i.order_id)`,
	wrong_totals: `select count(*) from customer_order o
		where o.total <> (select coalesce(sum(i.line_total), 0) from order_item i where i.order_id = o.id)`,
	events_without_orders: `select count(*) from outbox_event e
		where e.topic = 'order.placed'
			and not exists (select 1 from customer_order o where o.id = (e.payload->'order'->>'id')::int)`,
	orders_without_one_event: `select count(*) from customer_order o
		where (select count(*) from outbox_event e
			where e.topic = 'order.placed' and (e.payload->'order'->>'id')::int = o.id) <> 1`,
	responses_without_orders: `select count(*) from idempotency_key k
		where k.response_status = 201
			and not exists (select 1 from customer_order o where o.id = (k.response_body->'order'->>'id')::int)`,
	orders_without_responses: `select count(*) from customer_order o
		where not exists (select 1 from idempotency_key k
			where k.response_status = 201 and (k.response_body->'order'->>'id')::int = o.id)`,
	payments_without_orders: `select count(*) from payment_audit p
		where p.outcome = 'approved'
			and not exists (select 1 from customer_order o where o.id = p.order_id)`,
	keys_with_several_orders: `select count(*) from (
		select 1 from payment_audit where outcome = 'approved'
		group by user_id, idempotency_key having count(*) > 1) as repeated`,
	stock_mismatches: `select count(*) from stock s
		where s.quantity + (select coalesce(sum(i.quantity), 0) from order_item i
			where i.product_id = s.product_id) <> $1`
};

/** Runs every check. `initial_stock` is the stock every product had before the suite ran. */
export async function find_order_anomalies(
	admin: pg.Client,
	initial_stock: number
): Promise<OrderAnomalies> {
	const anomalies = {} as OrderAnomalies;
	for (const [name, query] of Object.entries(CHECKS) as [keyof OrderAnomalies, string][]) {
		const parameters = query.includes('$1') ? [initial_stock] : [];
		const { rows } = await admin.query<{ count: string }>(query, parameters);
		anomalies[name] = Number(rows[0]!.count);
	}
	return anomalies;
}

/** Counts the rows of `table`. */
export async function count_rows(admin: pg.Client, table: string): Promise<number> {
	const { rows } = await admin.query<{ count: string }>(`select count(*) from ${table}`);
	return Number(rows[0]!.count);
}

/** Orders per user, for users with at least one order. */
export async function orders_per_user(admin: pg.Client): Promise<Map<number, number>> {
	const { rows } = await admin.query<{ user_id: number; orders: string }>(
		'select user_id, count(*) as orders from customer_order group by user_id'
	);
	return new Map(rows.map((row) => [row.user_id, Number(row.orders)]));
}
