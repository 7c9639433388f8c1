import { describe, expect, test } from 'vitest';
import type { OrderPlacedPayload } from '../commerce/checkout.ts';
import {
	compose_order_confirmation,
	InvalidPayloadError,
	parse_order_placed_payload
} from './order_confirmation.ts';

function make_payload(): OrderPlacedPayload {
	return {
		order: {
			id: 31,
			status: 'paid',
			region: 'us',
			currency: 'USD',
			total: 2 * 1800 + 4900,
			created_at: '2026-05-04T18:00:00.000Z',
			items: [
				{
					slug: 'enamel-camp-mug',
					name: 'Enamel Camp Mug',
					unit_price: 1800,
					quantity: 2,
					line_total: 3600
				},
				{
					slug: 'linen-apron',
					name: 'Linen <Apron> & "Co"',
					unit_price: 4900,
					quantity: 1,
					line_total: 4900
				}
			]
		},
		customer: { id: 5, email: 'ada@example.com', name: 'Ada <b>Lovelace</b>' }
	};
}

describe('compose_order_confirmation', () => {
	test('addresses the customer', () => {
		const email = compose_order_confirmation(make_payload(), 'Splitshop');

		expect(email.to).toEqual({ name: 'Ada <b>Lovelace</b>', address: 'ada@example.com' });
		expect(email.subject).toBe('Splitshop order 31 confirmed');
	});

	test('lists lines in text', () => {
		const { text } = compose_order_confirmation(make_payload(), 'Splitshop');

		expect(text).toContain('We have received order 31, placed on May 4, 2026.');
		expect(text).toContain('- Enamel Camp Mug: 2 x $18.00 = $36.00');
		expect(text).toContain('- Linen <Apron> & "Co": 1 x $49.00 = $49.00');
		expect(text).toContain('Total: $85.00 (USD, including tax)');
	});

	test('escapes names in HTML', () => {
		const { html } = compose_order_confirmation(make_payload(), 'Splitshop');

		expect(html).toContain('<p>Hello Ada &lt;b&gt;Lovelace&lt;/b&gt;,</p>');
		expect(html).toContain('<td>Linen &lt;Apron&gt; &amp; &quot;Co&quot;</td>');
		expect(html).not.toContain('<b>Lovelace</b>');
		expect(html).toContain('<th align="right">$85.00</th>');
	});

	test('formats the region currency', () => {
		const payload = make_payload();
		payload.order = { ...payload.order, region: 'eu', currency: 'EUR', total: 1700 };

		const { text } = compose_order_confirmation(payload, 'Splitshop');

		expect(text).toContain('Total: €17.00 (EUR, including tax)');
		expect(text).toContain('placed on 4 May 2026');
	});
});

describe('parse_order_placed_payload', () => {
	test('accepts a checkout payload', () => {
		const payload = make_payload();

		expect(parse_order_placed_payload(JSON.parse(JSON.stringify(payload)))).toEqual(payload);
	});

	test('names the invalid field', () => {
		const cases: [unknown, string][] = [
			[null, '"payload" must be an object'],
			[{ ...make_payload(), customer: undefined }, '"customer" must be an object'],
			[
				{ ...make_payload(), order: { ...make_payload().order, region: 'mars' } },
				'"order.region" must be a region code'
			],
			[
				{ ...make_payload(), order: { ...make_payload().order, items: [] } },
				'"order.items" must be a non-empty array'
			],
			[
				{
					...make_payload(),
					order: { ...make_payload().order, items: [{ name: 'Mug', quantity: 1.5 }] }
				},
				'"order.items[0].unit_price" must be an integer'
			],
			[
				{ ...make_payload(), customer: { id: 1, email: '', name: 'A' } },
				'"customer.email" must be a non-empty string'
			]
		];

		for (const [payload, message] of cases) {
			expect(() => parse_order_placed_payload(payload)).toThrow(InvalidPayloadError);
			expect(() => parse_order_placed_payload(payload)).toThrow(
				`Invalid order.placed payload: ${message}`
			);
		}
	});
});
