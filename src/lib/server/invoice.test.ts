import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, test } from 'vitest';
import type { OrderDetail } from './commerce/orders.ts';
import { invoice_number, render_invoice } from './invoice.ts';

const WIN_ANSI = new TextDecoder('windows-1252');

/**
 * Returns the strings that the PDF's content streams draw, in order. pdf-lib compresses streams
 * with FlateDecode and writes standard-font text as hex strings (`<48656C6C6F> Tj`).
 */
function extract_text(pdf: Uint8Array): string[] {
	const raw = Buffer.from(pdf).toString('latin1');
	const texts: string[] = [];
	const stream = /\/Filter\s*\/FlateDecode[^]*?>>\s*stream\r?\n/g;
	for (let match = stream.exec(raw); match; match = stream.exec(raw)) {
		const start = match.index + match[0].length;
		const end = raw.indexOf('endstream', start);
		const content = inflateSync(Buffer.from(raw.slice(start, end), 'latin1')).toString('latin1');
		for (const operand of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
			texts.push(WIN_ANSI.decode(Buffer.from(operand[1]!, 'hex')));
		}
	}
	return texts;
}

function make_order(fields: Partial<OrderDetail> = {}): OrderDetail {
	return {
		id: 4211,
		status: 'paid',
		region: 'eu',
		currency: 'EUR',
		total: 2 * 1700 + 4900,
		created_at: '2026-03-14T09:30:00.000Z',
		items: [
			{
				slug: 'enamel-camp-mug',
				name: 'Enamel Camp Mug',
				unit_price: 1700,
				quantity: 2,
				line_total: 3400
			},
			{ slug: 'linen-apron', name: 'Linen Apron', unit_price: 4900, quantity: 1, line_total: 4900 }
		],
		...fields
	};
}

const CUSTOMER = { name: 'Ada Example', email: 'ada@example.com' };

describe('render_invoice', () => {
	test('starts with a PDF header', async () => {
		const pdf = await render_invoice(make_order(), CUSTOMER);

		expect(pdf).toBeInstanceOf(Uint8Array);
		expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
	});

	test('draws order facts and lines', async () => {
		const texts = extract_text(await render_invoice(make_order(), CUSTOMER));

		expect(texts).toContain('Splitshop');
		expect(texts).toContain('INV-004211');
		expect(texts).toContain('4211');
		expect(texts).toContain('14 March 2026');
		expect(texts).toContain('Ada Example');
		expect(texts).toContain('ada@example.com');
		expect(texts).toContain('Enamel Camp Mug');
		expect(texts).toContain('Linen Apron');
		expect(texts).toContain('€17.00');
		expect(texts).toContain('€34.00');
		expect(texts).toContain('€83.00');
		expect(texts).toContain('Total (EUR, including tax)');
	});

	test('formats totals per currency', async () => {
		const order = make_order({
			region: 'us',
			currency: 'USD',
			total: 1800,
			items: [
				{
					slug: 'enamel-camp-mug',
					name: 'Enamel Camp Mug',
					unit_price: 1800,
					quantity: 1,
					line_total: 1800
				}
			]
		});

		const texts = extract_text(await render_invoice(order, CUSTOMER, { shop_name: 'Test Shop' }));

		expect(texts).toContain('Test Shop');
		expect(texts).toContain('$18.00');
		expect(texts).toContain('March 14, 2026');
		expect(texts.some((text) => text.includes('€'))).toBe(false);
	});

	test('replaces unencodable characters', async () => {
		const texts = extract_text(
			await render_invoice(make_order(), { name: 'Zoë 李 →', email: 'zoe@example.com' })
		);

		expect(texts).toContain('Zoë ? ?');
	});

	test('shortens long product names', async () => {
		const long_name = 'Very Long Product Name '.repeat(8).trim();
		const order = make_order({
			items: [{ slug: 'x', name: long_name, unit_price: 100, quantity: 1, line_total: 100 }],
			total: 100
		});

		const texts = extract_text(await render_invoice(order, CUSTOMER));
		const drawn = texts.find((text) => text.startsWith('Very Long Product Name'));

		expect(drawn).toBeDefined();
		expect(drawn!.endsWith('…')).toBe(true);
		expect(drawn!.length).toBeLessThan(long_name.length);
	});

	test('continues rows on new pages', async () => {
		const items = Array.from({ length: 60 }, (_, index) => ({
			slug: `item-${index}`,
			name: `Item ${index}`,
			unit_price: 100,
			quantity: 1,
			line_total: 100
		}));
		const pdf = await render_invoice(make_order({ items, total: 6000 }), CUSTOMER);

		const texts = extract_text(pdf);
		const pages = (await PDFDocument.load(pdf)).getPageCount();

		expect(pages).toBeGreaterThan(1);
		for (let index = 0; index < 60; index++) expect(texts).toContain(`Item ${index}`);
		expect(texts).toContain('€60.00');
		expect(texts.filter((text) => text === 'Product').length).toBe(pages);
	});

	test('gives the same bytes twice', async () => {
		const first = await render_invoice(make_order(), CUSTOMER);
		const second = await render_invoice(make_order(), CUSTOMER);

		expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
	});
});

describe('invoice_number', () => {
	test('pads the order id', () => {
		expect(invoice_number(7)).toBe('INV-000007');
		expect(invoice_number(12345678)).toBe('INV-12345678');
	});
});
