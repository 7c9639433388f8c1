import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { CATALOG } from './catalog.ts';
import type { SeedCategory } from './types.ts';

export interface SeedReport {
	categories: { total: number; inserted: number };
	products: { total: number; inserted: number };
	prices: number;
	stock: { total: number; inserted: number };
}

/** Path under `static/` of a product's artwork. */
export function image_path(slug: string): string {
	return `/art/${slug}.svg`;
}

/**
 * Inserts the sample catalog, or brings existing rows back to it. Names, descriptions and prices
 * are overwritten; stock is only set for products that have none, so re-seeding never undoes sales.
 */
export async function seed(
	db: Kysely<Database>,
	catalog: readonly SeedCategory[] = CATALOG
): Promise<SeedReport> {
	const report: SeedReport = {
		categories: { total: 0, inserted: 0 },
		products: { total: 0, inserted: 0 },
		prices: 0,
		stock: { total: 0, inserted: 0 }
	};

	await db.transaction().execute(async (trx) => {
		for (const [position, category] of catalog.entries()) {
			// `xmax = 0` is true only for a row this statement inserted rather than updated.
			const saved = await trx
				.insertInto('category')
				.values({
					slug: category.slug,
					name: category.name,
					description: category.description,
					position
				})
				.onConflict((conflict) =>
					conflict.column('slug').doUpdateSet((excluded) => ({
						name: excluded.ref('excluded.name'),
						description: excluded.ref('excluded.description'),
						position: excluded.ref('excluded.position')
					}))
				)
				.returning(['id', sql<boolean>`xmax = 0`.as('inserted')])
				.executeTakeFirstOrThrow();
			report.categories.total++;
			if (saved.inserted) report.categories.inserted++;

			for (const product of category.products) {
				const row = await trx
					.insertInto('product')
					.values({
						slug: product.slug,
						category_id: saved.id,
						name: product.name,
						summary: product.summary,
						description: product.description,
						image: image_path(product.slug)
					})
					.onConflict((conflict) =>
						conflict.column('slug').doUpdateSet((excluded) => ({
							category_id: excluded.ref('excluded.category_id'),
							name: excluded.ref('excluded.name'),
							summary: excluded.ref('excluded.summary'),
							description: excluded.ref('excluded.description'),
							image: excluded.ref('excluded.image')
						}))
					)
					.returning(['id', sql<boolean>`xmax = 0`.as('inserted')])
					.executeTakeFirstOrThrow();
				report.products.total++;
				if (row.inserted) report.products.inserted++;

				const prices = Object.entries(product.prices).map(([currency, amount]) => ({
					product_id: row.id,
					currency: currency as keyof typeof product.prices,
					amount
				}));
				await trx
					.insertInto('price')
					.values(prices)
					.onConflict((conflict) =>
						conflict
							.columns(['product_id', 'currency'])
							.doUpdateSet((excluded) => ({ amount: excluded.ref('excluded.amount') }))
					)
					.execute();
				report.prices += prices.length;

				const stock = await trx
					.insertInto('stock')
					.values({ product_id: row.id, quantity: product.stock })
					.onConflict((conflict) => conflict.column('product_id').doNothing())
					.executeTakeFirst();
				report.stock.total++;
				report.stock.inserted += Number(stock.numInsertedOrUpdatedRows ?? 0);
			}
		}
	});

	return report;
}

/** Formats the report as one line per table, for the seed command's output. */
export function describe_seed(report: SeedReport): string {
	return [
		`categories: ${report.categories.total} (${report.categories.inserted} new)`,
		`products: ${report.products.total} (${report.products.inserted} new)`,
		`prices: ${report.prices} written`,
		`stock: ${report.stock.total} (${report.stock.inserted} new, existing levels kept)`
	].join('\n');
}
