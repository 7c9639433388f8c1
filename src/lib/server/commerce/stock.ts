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

interface StockRow {
	product_id: number;
	/** The quantity before this statement, read under the row lock. */
	quantity: number;
	taken: boolean;
}

/**
 * Decrements the stock of every line in one statement, or throws `out_of_stock` (409) naming the
 * first product, by id, that has too few. The caller's transaction then rolls back every
 * decrement the statement made.
 *
 * The `locked` step takes the row locks in product id order (Postgres locks the rows of a
 * `SELECT ... ORDER BY ... FOR NO KEY UPDATE` after sorting them), so two checkouts that share
 * products lock them in the same order and cannot deadlock. The update is guarded by `quantity >= n`. Under READ COMMITTED, Postgres re-checks that
 * guard against the newest row version when a concurrent buyer changed the row, so concurrent
 * checkouts cannot take more than there is.
 */
export async function reserve_stock(
	trx: Transaction<Database>,
	lines: readonly StockRequest[]
): Promise<void> {
	const by_product = [...lines].sort((a, b) => a.product_id - b.product_id);
	const wanted = sql.join(
		by_product.map((line) => sql`(${line.product_id}::integer, ${line.quantity}::integer)`)
	);
	const product_ids = sql.join(by_product.map((line) => line.product_id));

	const { rows } = await sql<StockRow>`
		with wanted (product_id, quantity) as (values ${wanted}),
		locked as materialized (
			select product_id, quantity from stock
			where product_id in (${product_ids})
			order by product_id
			for no key update
		),
		taken as (
			update stock
			set quantity = stock.quantity - wanted.quantity, updated_at = now()
			from wanted, locked
			where stock.product_id = wanted.product_id
				and locked.product_id = wanted.product_id
				and stock.quantity >= wanted.quantity
			returning stock.product_id
		)
		select locked.product_id, locked.quantity, taken.product_id is not null as taken
		from locked left join taken on taken.product_id = locked.product_id
	`.execute(trx);

	const by_id = new Map(rows.map((row) => [row.product_id, row]));
	const short = by_product.find((line) => by_id.get(line.product_id)?.taken !== true);
	if (short) throw out_of_stock(short, by_id.get(short.product_id)?.quantity ?? 0);
}

function out_of_stock(line: StockRequest, available: number): CommerceError {
	const message =
		available === 0
			? `"${line.name}" is out of stock.`
			: `Only ${available} of "${line.name}" left in stock, but the cart asks for ${line.quantity}.`;
	return new CommerceError('out_of_stock', 409, `${message} Nothing was ordered.`, {
		field: `lines[${line.index}].quantity`,
		details: { slug: line.slug, name: line.name, available, requested: line.quantity }
	});
}
