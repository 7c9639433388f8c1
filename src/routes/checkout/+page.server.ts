import { randomUUID } from 'node:crypto';
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { require_user_id } from '$lib/server/account.ts';
import { fail_with_result } from '$lib/server/action_failure.ts';
import { read_cart, write_cart } from '$lib/server/cart.ts';
import { price_cart_lines } from '$lib/server/catalog.ts';
import { checkout, placed_order_id } from '$lib/server/checkout_flow.ts';
import { TEST_CARDS } from '$lib/server/commerce/payment.ts';
import { get_db } from '$lib/server/db/index.ts';
import { get_region, is_region_code, type Region } from '$lib/shared/regions.ts';
import type { Actions, PageServerLoad } from './$types';

/** The card number the form starts with, which the built-in test provider approves. */
const DEFAULT_TEST_CARD = '4242 4242 4242 4242';

export const load = (async (event) => {
	event.setHeaders({ 'cache-control': 'private, no-store' });
	require_user_id(event);

	const region = checkout_region(event);
	const cart = await price_cart_lines(get_db(), read_cart(event.cookies), region.currency);

	return {
		signed_in: true,
		region,
		lines: cart.lines,
		total: cart.total,
		unavailable: cart.unknown.length,
		// A new key for every rendering of the form: resubmitting this form replays its result,
		// and a fresh page starts a new attempt.
		idempotency_key: randomUUID(),
		card_number: DEFAULT_TEST_CARD,
		test_cards: Object.entries(TEST_CARDS).map(([number, card]) => ({
			number: number.replace(/(\d{4})(?=\d)/g, '$1 '),
			result: card.outcome === 'approved' ? 'approved' : `declined (${card.decline_code})`
		}))
	};
}) satisfies PageServerLoad;

export const actions = {
	/**
	 * Places the order for the cart in the cart cookie. The server prices every line. The form
	 * sends only the region, the idempotency key and the card number.
	 */
	default: async (event) => {
		const user_id = require_user_id(event);
		const form = await event.request.formData();
		const idempotency_key = form.get('idempotency_key');
		const card_number = form.get('card_number');

		const result = await checkout(
			get_db(),
			{ user_id, region: form.get('region'), idempotency_key, lines: read_cart(event.cookies) },
			card_number,
			{ env, wait_until: (promise) => event.platform?.context?.waitUntil(promise) }
		);

		if (result.status === 201) {
			write_cart(event.cookies, []);
			const order_id = placed_order_id(result.body);
			redirect(303, order_id === undefined ? '/account' : `/account/orders/${order_id}?placed=1`);
		}
		return fail_with_result(result, event.setHeaders, {
			// A key that belongs to another cart can never succeed, so the next attempt gets a new
			// one. Every other failure wrote nothing under the key, and a retry may reuse it.
			idempotency_key:
				result.status === 422 || typeof idempotency_key !== 'string'
					? randomUUID()
					: idempotency_key
		});
	}
} satisfies Actions;

/** Returns the region in `?region=`, as linked from a region's cart, else the visitor's region. */
function checkout_region(event: Pick<RequestEvent, 'url' | 'locals'>): Region {
	const requested = event.url.searchParams.get('region');
	return get_region(is_region_code(requested) ? requested : event.locals.region);
}
