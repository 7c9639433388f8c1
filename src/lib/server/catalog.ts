/**
 * Catalog queries for the storefront pages and the cart. Each takes the Kysely instance first and
 * returns plain objects; money is integer minor units in the requested currency. A product with
 * no price in that currency is treated as not sold in the region: listings leave it out, and
 * `get_product` and `price_cart_lines` report it as unknown.
 */
import type { Kysely } from 'kysely';
import type { Currency } from '../shared/regions.ts';
import type { Database } from './db/schema.ts';

export interface CategorySummary {
	slug: string;
	name: string;
	description: string;
	/** Artwork of the category's first product, used as its cover; null for an empty category. */
	image: string | null;
}

/** A product as shown on a card in a grid. */
export interface ProductCard {
	slug: string;
	name: string;
	summary: string;
	/** Path of the artwork under `static/`. */
	image: string;
	price: number;
	stock: number;
}

export interface ProductDetail extends ProductCard {
	description: string;
	category: { slug: string; name: string };
}

/** An entry of the cart cookie: the cookie stores slugs and quantities, never prices. */
export interface CartItem {
	slug: string;
	quantity: number;
}

export interface PricedCartLine {
	slug: string;
	name: string;
	image: string;
	quantity: number;
	unit_price: number;
	line_total: number;
	stock: number;
}

export interface PricedCart {
	lines: PricedCartLine[];
	total: number;
	/** Slugs of cart items that match no product sold in the currency, in cart order. */
	unknown: string[];
}

/** Default number of products on the home page: two rows of four at the widest layout. */
const FEATURED_COUNT = 8;

function select_categories(db: Kysely<Database>) {
	return db
		.selectFrom('category')
		.select((eb) => [
			'category.slug',
			'category.name',
			'category.description',
			eb
				.selectFrom('product')
				.select('product.image')
				.whereRef('product.category_id', '=', 'category.id')
				.orderBy('product.id')
				.limit(1)
				.as('image')
		]);
}

/** Lists every category in merchandising order. */
export async function list_categories(db: Kysely<Database>): Promise<CategorySummary[]> {
	return select_categories(db).orderBy('category.position').orderBy('category.id').execute();
}

/** Finds one category by slug, or returns undefined. */
export async function get_category(
	db: Kysely<Database>,
	slug: string
): Promise<CategorySummary | undefined> {
	return select_categories(db).where('category.slug', '=', slug).executeTakeFirst();
}

/** Selects the columns of a `ProductCard` from product joined with its price and stock. */
function select_cards(db: Kysely<Database>, currency: Currency) {
	return db
		.selectFrom('product')
		.innerJoin('price', (join) =>
			join.onRef('price.product_id', '=', 'product.id').on('price.currency', '=', currency)
		)
		.leftJoin('stock', 'stock.product_id', 'product.id')
		.select((eb) => [
			'product.slug',
			'product.name',
			'product.summary',
			'product.image',
			'price.amount as price',
			eb.fn.coalesce('stock.quantity', eb.lit(0)).as('stock')
		]);
}

/** Lists the products of a category, in catalog order, priced in one currency. */
export async function list_category_products(
	db: Kysely<Database>,
	category_slug: string,
	currency: Currency
): Promise<ProductCard[]> {
	return select_cards(db, currency)
		.innerJoin('category', 'category.id', 'product.category_id')
		.where('category.slug', '=', category_slug)
		.orderBy('product.id')
		.execute();
}

/**
 * Lists products for the home page: the first product of every category in category order,
 * then the second of every category, and so on, so that each category is represented.
 */
export async function list_featured_products(
	db: Kysely<Database>,
	currency: Currency,
	limit = FEATURED_COUNT
): Promise<ProductCard[]> {
	const rows = await select_cards(db, currency)
		.innerJoin('category', 'category.id', 'product.category_id')
		.select((eb) =>
			eb.fn
				.agg<number>('row_number')
				.over((over) => over.partitionBy('product.category_id').orderBy('product.id'))
				.as('rank')
		)
		.orderBy('rank')
		.orderBy('category.position')
		.orderBy('product.id')
		.limit(limit)
		.execute();
	return rows.map(({ rank: _rank, ...card }) => card);
}

/** Finds one product by slug with its category, price and stock, or returns undefined. */
export async function get_product(
	db: Kysely<Database>,
	slug: string,
	currency: Currency
): Promise<ProductDetail | undefined> {
	const row = await select_cards(db, currency)
		.innerJoin('category', 'category.id', 'product.category_id')
		.select([
			'product.description',
			'category.slug as category_slug',
			'category.name as category_name'
		])
		.where('product.slug', '=', slug)
		.executeTakeFirst();
	if (!row) return undefined;

	const { category_slug, category_name, ...product } = row;
	return { ...product, category: { slug: category_slug, name: category_name } };
}

/** Lists every product slug, for the prerender entries. */
export async function list_product_slugs(db: Kysely<Database>): Promise<string[]> {
	const rows = await db.selectFrom('product').select('slug').orderBy('id').execute();
	return rows.map((row) => row.slug);
}

/** Lists every category slug, for the prerender entries. */
export async function list_category_slugs(db: Kysely<Database>): Promise<string[]> {
	const rows = await db.selectFrom('category').select('slug').orderBy('position').execute();
	return rows.map((row) => row.slug);
}

/**
 * Prices cart items from the database in one currency. Whatever price a client may have sent is
 * never an input here. Items whose slug matches no product sold in the currency are listed in
 * `unknown` rather than thrown, so a cart outlives a product leaving the catalog.
 */
export async function price_cart_lines(
	db: Kysely<Database>,
	items: readonly CartItem[],
	currency: Currency
): Promise<PricedCart> {
	if (items.length === 0) return { lines: [], total: 0, unknown: [] };

	const slugs = items.map((item) => item.slug);
	const rows = await select_cards(db, currency).where('product.slug', 'in', slugs).execute();
	const by_slug = new Map(rows.map((row) => [row.slug, row]));

	const lines: PricedCartLine[] = [];
	const unknown: string[] = [];
	for (const item of items) {
		const product = by_slug.get(item.slug);
		if (!product) {
			unknown.push(item.slug);
			continue;
		}
		lines.push({
			slug: product.slug,
			name: product.name,
			image: product.image,
			quantity: item.quantity,
			unit_price: product.price,
			line_total: product.price * item.quantity,
			stock: product.stock
		});
	}

	const total = lines.reduce((sum, line) => sum + line.line_total, 0);
	return { lines, total, unknown };
}
