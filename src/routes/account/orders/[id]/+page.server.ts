import { error } from '@sveltejs/kit';
import { require_user_id } from '$lib/server/account.ts';
import { get_order } from '$lib/server/commerce/orders.ts';
import { get_db } from '$lib/server/db/index.ts';
import { parse_order_id } from './order_id.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const user_id = require_user_id(event);

	// Another user's order is a 404, like a missing one, so order ids reveal nothing.
	const order_id = parse_order_id(event.params.id);
	const order = order_id === null ? null : await get_order(get_db(), user_id, order_id);
	if (!order) error(404, 'Order not found');

	return {
		signed_in: true,
		order,
		/** Set by the checkout redirect, to show the confirmation. */
		placed: event.url.searchParams.get('placed') === '1'
	};
}) satisfies PageServerLoad;
