/** Stock at or below this level shows as "only N left". */
export const LOW_STOCK_THRESHOLD = 5;

export type StockStatus =
	{ kind: 'in_stock' } | { kind: 'low'; left: number } | { kind: 'out_of_stock' };

export function stock_status(quantity: number): StockStatus {
	if (quantity <= 0) return { kind: 'out_of_stock' };
	if (quantity <= LOW_STOCK_THRESHOLD) return { kind: 'low', left: quantity };
	return { kind: 'in_stock' };
}

/** Short label for a stock level, as shown on product cards and pages. */
export function stock_label(quantity: number): string {
	const status = stock_status(quantity);
	if (status.kind === 'out_of_stock') return 'Out of stock';
	if (status.kind === 'low') return `Only ${status.left} left`;
	return 'In stock';
}
