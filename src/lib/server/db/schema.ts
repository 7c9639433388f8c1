/**
 * Table types for Kysely. Money is stored as integer minor units (cents, pence) in `int4`, so
 * values arrive as numbers; counters that can pass 2^31 use `int8` and arrive as strings.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Currency } from '../../shared/regions.ts';

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
}

export type Category = Selectable<CategoryTable>;
export type Product = Selectable<ProductTable>;
export type NewProduct = Insertable<ProductTable>;
