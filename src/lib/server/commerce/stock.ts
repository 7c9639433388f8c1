/** Taking stock for an order inside the order's transaction. */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { CommerceError } from './errors.ts';

export interface StockRequest {
	product_id: number;
	slug: string;
	name: string;
	quantity: number;
	/** Index of the line in the request, for the error field. */
	index: number;
}

/**
 * Decrements the stock of every line, or throws `out_of_stock` (409) naming the first product
 * that has too few. The caller's transaction then rolls back every decrement before it.
 *
 * Each update is guarded by `quantity >= n`. Under READ COMMITTED, Postgres re-checks that guard
 * against the newest row version after waiting for a concurrent buyer's row lock, so concurrent
 * checkouts cannot take more than there is. Rows are updated in product id order, so two
 * checkouts lock shared products in the same order and never wait on each other in a cycle.
 */
export async function reserve_stock(
	trx: Transaction<Database>,
	lines: readonly StockRequest[]
): Promise<void> {
	const by_product = [...lines].sort((a, b) => a.product_id - b.product_id);
	for (const line of by_product) {
		const updated = await trx
			.updateTable('stock')
			.set({
				quantity: sql<number>`quantity - ${line.quantity}`,
				updated_at: sql<Date>`now()`
			})
			.where('product_id', '=', line.product_id)
			.where('quantity', '>=', line.quantity)
			.returning('quantity')
			.executeTakeFirst();
		if (!updated) throw await out_of_stock(trx, line);
	}
}

async function out_of_stock(
	trx: Transaction<Database>,
	line: StockRequest
): Promise<CommerceError> {
	const row = await trx
		.selectFrom('stock')
		.select('quantity')
		.where('product_id', '=', line.product_id)
		.executeTakeFirst();
	const available = row?.quantity ?? 0;

	const message =
		available === 0
			? `"${line.name}" is out of stock.`
			: `Only ${available} of "${line.name}" left in stock, but the cart asks for ${line.quantity}.`;
	return new CommerceError('out_of_stock', 409, `${message} Nothing was ordered.`, {
		field: `lines[${line.index}].quantity`,
		details: { slug: line.slug, name: line.name, available, requested: line.quantity }
	});
}
