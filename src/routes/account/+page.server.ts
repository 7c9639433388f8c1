import { redirect } from '@sveltejs/kit';
import { login_location } from '$lib/edge/protect.ts';
import { find_account, require_user_id } from '$lib/server/account.ts';
import { list_orders } from '$lib/server/commerce/orders.ts';
import { get_db } from '$lib/server/db/index.ts';
import { sign_out } from '$lib/server/sessions.ts';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const user_id = require_user_id(event);

	const db = get_db();
	const account = await find_account(db, user_id);
	if (!account) {
		// The account was deleted while the session lived on, so the session ends with it.
		await sign_out(event.cookies, event.locals.user);
		redirect(303, login_location(event.url));
	}

	return {
		signed_in: true,
		account: { name: account.name, email: account.email },
		orders: await list_orders(db, user_id)
	};
}) satisfies PageServerLoad;
