/**
 * The cart cookie. It stores only slugs and quantities, as `slug*quantity` items joined by `.`,
 * for example `linen-apron*2.enamel-camp-mug*1`. These characters are valid in a cookie value
 * and pass `encodeURIComponent` unchanged. Prices are read from the database, never the cookie.
 */
import type { Cookies } from '@sveltejs/kit';
import type { CartItem } from './catalog.ts';

export const CART_COOKIE = 'cart';
export const MAX_QUANTITY = 99;
export const MAX_LINES = 50;
const MAX_AGE_SECONDS = 60 * 60 * 24 * 30;

const SLUG_PATTERN = /^[a-z0-9-]{1,64}$/;
const ITEM_PATTERN = /^([a-z0-9-]{1,64})\*([1-9][0-9]?)$/;

/** Checks a product slug: 1–64 lowercase letters, digits and hyphens. */
export function is_valid_slug(value: unknown): value is string {
	return typeof value === 'string' && SLUG_PATTERN.test(value);
}

/** Checks a line quantity: an integer from 1 to `MAX_QUANTITY`. */
export function is_valid_quantity(value: unknown): value is number {
	return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_QUANTITY;
}

/**
 * Parses a cart cookie value. Anything malformed (an unknown character, a quantity outside 1–99,
 * more than `MAX_LINES` items) yields an empty cart rather than an error, because the value
 * comes from the client. Repeated slugs are merged, with the summed quantity capped at 99.
 */
export function parse_cart(value: string | undefined): CartItem[] {
	if (!value) return [];
	const parts = value.split('.');
	if (parts.length > MAX_LINES) return [];

	const quantities = new Map<string, number>();
	for (const part of parts) {
		const match = ITEM_PATTERN.exec(part);
		if (!match) return [];
		const [, slug, quantity] = match as unknown as [string, string, string];
		const merged = (quantities.get(slug) ?? 0) + Number(quantity);
		quantities.set(slug, Math.min(merged, MAX_QUANTITY));
	}
	return [...quantities].map(([slug, quantity]) => ({ slug, quantity }));
}

/** Serializes cart items for the cookie; throws on an invalid item, which would be a bug. */
export function serialize_cart(items: readonly CartItem[]): string {
	if (items.length > MAX_LINES) {
		throw new Error(`Cart has ${items.length} lines; the maximum is ${MAX_LINES}`);
	}
	return items
		.map((item) => {
			if (!is_valid_slug(item.slug) || !is_valid_quantity(item.quantity)) {
				throw new Error(`Invalid cart item "${item.slug}" x ${item.quantity}`);
			}
			return `${item.slug}*${item.quantity}`;
		})
		.join('.');
}

/** Reads the cart from the request cookies; a missing or malformed cookie is an empty cart. */
export function read_cart(cookies: Cookies): CartItem[] {
	return parse_cart(cookies.get(CART_COOKIE));
}

/**
 * Stores the cart, or deletes the cookie when it is empty. `secure` is left to SvelteKit, which
 * sets it everywhere except on http://localhost.
 */
export function write_cart(cookies: Cookies, items: readonly CartItem[]): void {
	if (items.length === 0) {
		cookies.delete(CART_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
		return;
	}
	cookies.set(CART_COOKIE, serialize_cart(items), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		maxAge: MAX_AGE_SECONDS
	});
}

export type AddResult =
	| { ok: true; items: CartItem[]; quantity: number }
	| { ok: false; reason: 'quantity_limit' | 'line_limit' };

/**
 * Adds a quantity of a product to the cart. Returns the new items and the product's new quantity,
 * or the reason it cannot: the line would pass 99, or the cart already has 50 lines.
 */
export function add_item(items: readonly CartItem[], slug: string, quantity: number): AddResult {
	const existing = items.find((item) => item.slug === slug);
	if (!existing) {
		if (items.length >= MAX_LINES) return { ok: false, reason: 'line_limit' };
		return { ok: true, items: [...items, { slug, quantity }], quantity };
	}

	const total = existing.quantity + quantity;
	if (total > MAX_QUANTITY) return { ok: false, reason: 'quantity_limit' };
	const updated = items.map((item) => (item.slug === slug ? { slug, quantity: total } : item));
	return { ok: true, items: updated, quantity: total };
}

/**
 * Reads a quantity form field: whole numbers 1–99 written as plain digits. Returns undefined for
 * anything else, including "1.5", "1e1", "-1", "0" and an empty field.
 */
export function parse_quantity(value: FormDataEntryValue | null): number | undefined {
	if (typeof value !== 'string' || !/^[0-9]{1,3}$/.test(value.trim())) return undefined;
	const quantity = Number(value.trim());
	return is_valid_quantity(quantity) ? quantity : undefined;
}
