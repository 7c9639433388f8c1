/**
 * The order confirmation email, composed from the payload of an `order.placed` outbox event as
 * plain text and HTML. The payload was written at checkout, so the email shows the order as it
 * was placed even when the catalog has changed since.
 */
import type { OrderPlacedPayload } from '../commerce/checkout.ts';
import type { OrderItemView } from '../commerce/orders.ts';
import { format_price, get_region, is_region_code, type Region } from '../../shared/regions.ts';

/** An email ready for a transport, without the sender and the Message-ID. */
export interface ComposedEmail {
	to: { name: string; address: string };
	subject: string;
	text: string;
	html: string;
}

/** Thrown when an event payload does not have the shape of an `order.placed` payload. */
export class InvalidPayloadError extends Error {
	constructor(field: string, expected: string) {
		super(`Invalid order.placed payload: "${field}" must be ${expected}`);
		this.name = 'InvalidPayloadError';
	}
}

/** Narrows a stored event payload to `OrderPlacedPayload`, naming the first field that is wrong. */
export function parse_order_placed_payload(payload: unknown): OrderPlacedPayload {
	const root = expect_object(payload, 'payload');
	const order = expect_object(root.order, 'order');
	const customer = expect_object(root.customer, 'customer');

	expect_integer(order.id, 'order.id');
	if (!is_region_code(order.region)) throw new InvalidPayloadError('order.region', 'a region code');
	expect_string(order.currency, 'order.currency');
	expect_integer(order.total, 'order.total');
	expect_string(order.created_at, 'order.created_at');
	if (!Array.isArray(order.items) || order.items.length === 0) {
		throw new InvalidPayloadError('order.items', 'a non-empty array');
	}
	order.items.forEach((value: unknown, index) => {
		const item = expect_object(value, `order.items[${index}]`);
		expect_string(item.name, `order.items[${index}].name`);
		expect_integer(item.unit_price, `order.items[${index}].unit_price`);
		expect_integer(item.quantity, `order.items[${index}].quantity`);
		expect_integer(item.line_total, `order.items[${index}].line_total`);
	});
	expect_integer(customer.id, 'customer.id');
	expect_string(customer.email, 'customer.email');
	expect_string(customer.name, 'customer.name');

	return payload as OrderPlacedPayload;
}

/** Composes the confirmation of one order for its customer. */
export function compose_order_confirmation(
	payload: OrderPlacedPayload,
	shop_name: string
): ComposedEmail {
	const { order, customer } = payload;
	// Checkout charges in the region's currency, so the region's format shows `order.currency`.
	const region = get_region(order.region);
	const total = format_price(order.total, region);
	const placed = new Intl.DateTimeFormat(region.locale, {
		dateStyle: 'long',
		timeZone: 'UTC'
	}).format(new Date(order.created_at));

	const text = [
		`Hello ${customer.name},`,
		'',
		`Thank you for your order. We have received order ${order.id}, placed on ${placed}.`,
		'',
		...order.items.map((item) => text_line(item, region)),
		'',
		`Total: ${total} (${order.currency}, including tax)`,
		'',
		`You can see the order and download its invoice in your ${shop_name} account.`,
		'',
		`${shop_name}`
	].join('\n');

	const rows = order.items.map((item) => html_row(item, region)).join('');
	const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escape_html(`Order ${order.id} confirmed`)}</title></head>
<body style="font-family: sans-serif; color: #1d2a24; line-height: 1.5">
<p>Hello ${escape_html(customer.name)},</p>
<p>Thank you for your order. We have received order <strong>${order.id}</strong>, placed on ${escape_html(placed)}.</p>
<table style="border-collapse: collapse" cellpadding="6">
<thead><tr><th align="left">Product</th><th align="right">Qty</th><th align="right">Price</th><th align="right">Amount</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th align="left" colspan="3">Total (${escape_html(order.currency)}, including tax)</th><th align="right">${escape_html(total)}</th></tr></tfoot>
</table>
<p>You can see the order and download its invoice in your ${escape_html(shop_name)} account.</p>
<p>${escape_html(shop_name)}</p>
</body>
</html>
`;

	return {
		to: { name: customer.name, address: customer.email },
		subject: `${shop_name} order ${order.id} confirmed`,
		text,
		html
	};
}

function text_line(item: OrderItemView, region: Region): string {
	const unit = format_price(item.unit_price, region);
	return `- ${item.name}: ${item.quantity} x ${unit} = ${format_price(item.line_total, region)}`;
}

function html_row(item: OrderItemView, region: Region): string {
	const cells = [
		`<td>${escape_html(item.name)}</td>`,
		`<td align="right">${item.quantity}</td>`,
		`<td align="right">${escape_html(format_price(item.unit_price, region))}</td>`,
		`<td align="right">${escape_html(format_price(item.line_total, region))}</td>`
	];
	return `<tr>${cells.join('')}</tr>`;
}

export function escape_html(value: string): string {
	return value
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

function expect_object(value: unknown, field: string): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new InvalidPayloadError(field, 'an object');
	}
	return value as Record<string, unknown>;
}

function expect_string(value: unknown, field: string): void {
	if (typeof value !== 'string' || value === '') {
		throw new InvalidPayloadError(field, 'a non-empty string');
	}
}

function expect_integer(value: unknown, field: string): void {
	if (!Number.isInteger(value)) throw new InvalidPayloadError(field, 'an integer');
}
