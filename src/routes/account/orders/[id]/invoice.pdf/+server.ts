import { error } from '@sveltejs/kit';
import { find_account, require_user_id } from '$lib/server/account.ts';
import { get_order } from '$lib/server/commerce/orders.ts';
import { get_db } from '$lib/server/db/index.ts';
import { invoice_number, render_invoice } from '$lib/server/invoice.ts';
import { parse_order_id } from '../order_id.ts';
import type { RequestHandler } from './$types';

/** Draws the order's invoice PDF in the function. It names the customer, so it is never shared. */
export const GET: RequestHandler = async (event) => {
	const user_id = require_user_id(event);
	const order_id = parse_order_id(event.params.id);

	const db = get_db();
	const order = order_id === null ? null : await get_order(db, user_id, order_id);
	const customer = order ? await find_account(db, user_id) : undefined;
	if (!order || !customer) error(404, 'Order not found');

	const pdf = await render_invoice(order, { name: customer.name, email: customer.email });
	return new Response(pdf as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': 'application/pdf',
			'content-length': String(pdf.byteLength),
			'content-disposition': `attachment; filename="splitshop-${invoice_number(order.id)}.pdf"`,
			'cache-control': 'private, no-store'
		}
	});
};
