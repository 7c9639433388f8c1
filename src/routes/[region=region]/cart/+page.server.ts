import { fail, redirect, type Cookies } from '@sveltejs/kit';
import { ENHANCED_FIELD } from '$lib/components/forms.ts';
import {
	add_item,
	is_valid_slug,
	MAX_LINES,
	MAX_QUANTITY,
	parse_quantity,
	read_cart,
	write_cart
} from '$lib/server/cart.ts';
import { get_product, price_cart_lines } from '$lib/server/catalog.ts';
import { get_db } from '$lib/server/db/index.ts';
import { get_region, type RegionCode } from '$lib/shared/regions.ts';
import type { Actions, PageServerLoad } from './$types';

// The cart depends on the visitor's cookie, so it is rendered per request by the function.
export const prerender = false;

const INVALID_SLUG = { field: 'slug', message: 'Missing or invalid product slug.' } as const;
const INVALID_QUANTITY = {
	field: 'quantity',
	message: `Enter a whole number from 1 to ${MAX_QUANTITY}.`
} as const;

export const load = (async ({ cookies, params, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });

	const { currency } = get_region(params.region);
	const items = read_cart(cookies);
	const cart = await price_cart_lines(get_db(), items, currency);

	// Products that left the catalog (or the region) are dropped so the cookie stops carrying them.
	if (cart.unknown.length > 0) {
		const unknown = new Set(cart.unknown);
		write_cart(
			cookies,
			items.filter((item) => !unknown.has(item.slug))
		);
	}

	return {
		lines: cart.lines,
		total: cart.total,
		removed: cart.unknown.length,
		item_count: cart.lines.reduce((sum, line) => sum + line.quantity, 0)
	};
}) satisfies PageServerLoad;

/** Sends a visitor without JavaScript back to the cart (post/redirect/get); returns `data` otherwise. */
function respond<T extends Record<string, unknown>>(
	form: FormData,
	region: RegionCode,
	data: T
): T {
	if (form.get(ENHANCED_FIELD) !== '1') redirect(303, `/${region}/cart`);
	return data;
}

function stock_message(name: string, stock: number): string {
	return stock <= 0 ? `${name} is out of stock.` : `Only ${stock} of ${name} left in stock.`;
}

function find_quantity(cookies: Cookies, slug: string): number | undefined {
	return read_cart(cookies).find((item) => item.slug === slug)?.quantity;
}

export const actions = {
	/** Adds a product to the cart. The quantity is 1 when the form has no quantity field. */
	add: async ({ cookies, params, request }) => {
		const form = await request.formData();
		const slug = form.get('slug');
		if (!is_valid_slug(slug)) return fail(400, INVALID_SLUG);
		const raw_quantity = form.get('quantity');
		const quantity = raw_quantity === null ? 1 : parse_quantity(raw_quantity);
		if (quantity === undefined) return fail(400, { ...INVALID_QUANTITY, slug });

		const { currency } = get_region(params.region);
		const product = await get_product(get_db(), slug, currency);
		if (!product) return fail(404, { field: 'slug', message: `No product "${slug}".`, slug });

		const result = add_item(read_cart(cookies), slug, quantity);
		if (!result.ok) {
			const message =
				result.reason === 'line_limit'
					? `Your cart can hold ${MAX_LINES} different products.`
					: `You can have at most ${MAX_QUANTITY} of one product.`;
			return fail(400, {
				field: result.reason === 'line_limit' ? 'slug' : 'quantity',
				message,
				slug
			});
		}
		if (result.quantity > product.stock) {
			return fail(409, {
				field: 'quantity',
				message: stock_message(product.name, product.stock),
				slug
			});
		}

		write_cart(cookies, result.items);
		return respond(form, params.region, { slug, quantity, in_cart: result.quantity });
	},

	/** Sets the quantity of a product already in the cart. */
	update: async ({ cookies, params, request }) => {
		const form = await request.formData();
		const slug = form.get('slug');
		if (!is_valid_slug(slug)) return fail(400, INVALID_SLUG);
		const quantity = parse_quantity(form.get('quantity'));
		if (quantity === undefined) return fail(400, { ...INVALID_QUANTITY, slug });

		const { currency } = get_region(params.region);
		const product = await get_product(get_db(), slug, currency);
		if (!product) return fail(404, { field: 'slug', message: `No product "${slug}".`, slug });
		if (find_quantity(cookies, slug) === undefined) {
			return fail(404, { field: 'slug', message: `${product.name} is not in your cart.`, slug });
		}
		if (quantity > product.stock) {
			return fail(409, {
				field: 'quantity',
				message: stock_message(product.name, product.stock),
				slug
			});
		}

		const items = read_cart(cookies).map((item) =>
			item.slug === slug ? { slug, quantity } : item
		);
		write_cart(cookies, items);
		return respond(form, params.region, { slug, quantity });
	},

	/** Removes a product from the cart, also one that has left the catalog. */
	remove: async ({ cookies, params, request }) => {
		const form = await request.formData();
		const slug = form.get('slug');
		if (!is_valid_slug(slug)) return fail(400, INVALID_SLUG);
		if (find_quantity(cookies, slug) === undefined) {
			return fail(404, { field: 'slug', message: 'That product is not in your cart.', slug });
		}

		write_cart(
			cookies,
			read_cart(cookies).filter((item) => item.slug !== slug)
		);
		return respond(form, params.region, { slug, removed: true });
	}
} satisfies Actions;
