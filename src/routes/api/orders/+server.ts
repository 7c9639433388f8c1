import { json } from '@sveltejs/kit';
import { session_user_id } from '$lib/server/account.ts';
import { list_orders } from '$lib/server/commerce/orders.ts';
import { get_db } from '$lib/server/db/index.ts';
import type { RequestHandler } from './$types';

/** Lists the signed-in user's orders, newest first: `{ orders: OrderSummary[] }`. */
export const GET: RequestHandler = async ({ locals }) => {
	const headers = { 'cache-control': 'private, no-store' };
	const user_id = session_user_id(locals.user);
	if (user_id === null) {
		return json(
			{ code: 'unauthenticated', message: 'Sign in to use this endpoint.' },
			{ status: 401, headers }
		);
	}
	return json({ orders: await list_orders(get_db(), user_id) }, { headers });
};
