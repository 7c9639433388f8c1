/**
 * Invoice PDFs, drawn with pdf-lib in the standard Helvetica fonts so that no font file ships
 * with the function. Standard fonts encode text as WinAnsi (Windows-1252): characters outside it
 * are drawn as `?` instead of failing the whole document.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { format_price, get_region, type Region } from '../shared/regions.ts';
import type { OrderDetail } from './commerce/orders.ts';

export interface InvoiceCustomer {
	name: string;
	email: string;
}

export interface InvoiceOptions {
	/** Seller name printed at the top. Default `Splitshop`. */
	shop_name?: string;
}

/** Invoice number of an order: the order id with a fixed prefix, so each order has exactly one. */
export function invoice_number(order_id: number): string {
	return `INV-${String(order_id).padStart(6, '0')}`;
}

/** A4 in PDF points (1/72 inch). */
const PAGE_SIZE: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const BODY_SIZE = 10;
const ROW_HEIGHT = 18;
const MUTED = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.75, 0.75, 0.75);

/** Right edges of the number columns and the width left for the product name. */
const COLUMNS = { quantity: 370, unit_price: 460, amount: PAGE_SIZE[0] - MARGIN, name_width: 270 };

interface Fonts {
	regular: PDFFont;
	bold: PDFFont;
	/** Code points both fonts can encode. */
	encodable: Set<number>;
}

/**
 * Draws the invoice of one order: shop name, invoice number, order number, date, customer, one
 * row per line and the total, in the order's currency. Rows continue on new pages as needed.
 */
export async function render_invoice(
	order: OrderDetail,
	customer: InvoiceCustomer,
	options: InvoiceOptions = {}
): Promise<Uint8Array> {
	const shop_name = options.shop_name ?? 'Splitshop';
	// Checkout charges in the region's currency, so the region's format shows `order.currency`.
	const region = get_region(order.region);
	const placed_at = new Date(order.created_at);

	const pdf = await PDFDocument.create();
	const regular = await pdf.embedFont(StandardFonts.Helvetica);
	const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
	const fonts: Fonts = { regular, bold, encodable: new Set(regular.getCharacterSet()) };

	const number = invoice_number(order.id);
	pdf.setTitle(`${shop_name} invoice ${number}`);
	pdf.setAuthor(shop_name);
	pdf.setCreator(shop_name);
	// Dated by the order rather than the clock, so the same order always gives the same file.
	pdf.setCreationDate(placed_at);
	pdf.setModificationDate(placed_at);

	let page = pdf.addPage(PAGE_SIZE);
	let y = draw_heading(page, fonts, shop_name, number, order, customer, region, placed_at);
	y = draw_table_header(page, fonts, y);

	for (const item of order.items) {
		if (y < MARGIN + 3 * ROW_HEIGHT) {
			page = pdf.addPage(PAGE_SIZE);
			y = draw_table_header(page, fonts, PAGE_SIZE[1] - MARGIN);
		}
		const name = fit_text(fonts, fonts.regular, item.name, COLUMNS.name_width);
		draw(page, fonts, name, MARGIN, y, { font: fonts.regular });
		draw_right(page, fonts, String(item.quantity), COLUMNS.quantity, y);
		draw_right(page, fonts, format_price(item.unit_price, region), COLUMNS.unit_price, y);
		draw_right(page, fonts, format_price(item.line_total, region), COLUMNS.amount, y);
		y -= ROW_HEIGHT;
	}

	if (y < MARGIN + 2 * ROW_HEIGHT) {
		page = pdf.addPage(PAGE_SIZE);
		y = PAGE_SIZE[1] - MARGIN;
	}
	draw_rule(page, y + ROW_HEIGHT / 2);
	draw(page, fonts, `Total (${order.currency}, including tax)`, MARGIN, y - 4, {
		font: fonts.bold
	});
	draw_right(page, fonts, format_price(order.total, region), COLUMNS.amount, y - 4, fonts.bold);

	return pdf.save();
}

/** Draws the seller, the invoice facts and the customer, and returns the y of the next row. */
function draw_heading(
	page: PDFPage,
	fonts: Fonts,
	shop_name: string,
	number: string,
	order: OrderDetail,
	customer: InvoiceCustomer,
	region: Region,
	placed_at: Date
): number {
	let y = PAGE_SIZE[1] - MARGIN - 20;
	draw(page, fonts, shop_name, MARGIN, y, { font: fonts.bold, size: 20 });
	draw_right(page, fonts, 'INVOICE', COLUMNS.amount, y, fonts.bold, 16);
	y -= 40;

	const date = new Intl.DateTimeFormat(region.locale, {
		dateStyle: 'long',
		timeZone: 'UTC'
	}).format(placed_at);
	const facts: [string, string][] = [
		['Invoice number', number],
		['Order number', String(order.id)],
		['Invoice date', date],
		['Currency', order.currency]
	];
	for (const [label, value] of facts) {
		draw(page, fonts, label, MARGIN, y, { color: MUTED });
		draw(page, fonts, value, MARGIN + 110, y, { font: fonts.regular });
		y -= ROW_HEIGHT - 4;
	}
	y -= 16;

	draw(page, fonts, 'Bill to', MARGIN, y, { color: MUTED });
	draw(page, fonts, customer.name, MARGIN + 110, y, { font: fonts.bold });
	y -= ROW_HEIGHT - 4;
	draw(page, fonts, customer.email, MARGIN + 110, y, { font: fonts.regular });
	return y - 36;
}

function draw_table_header(page: PDFPage, fonts: Fonts, y: number): number {
	draw(page, fonts, 'Product', MARGIN, y, { font: fonts.bold });
	draw_right(page, fonts, 'Qty', COLUMNS.quantity, y, fonts.bold);
	draw_right(page, fonts, 'Unit price', COLUMNS.unit_price, y, fonts.bold);
	draw_right(page, fonts, 'Amount', COLUMNS.amount, y, fonts.bold);
	draw_rule(page, y - 6);
	return y - ROW_HEIGHT - 4;
}

function draw(
	page: PDFPage,
	fonts: Fonts,
	text: string,
	x: number,
	y: number,
	style: { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb> } = {}
): void {
	page.drawText(to_encodable(fonts, text), {
		x,
		y,
		font: style.font ?? fonts.regular,
		size: style.size ?? BODY_SIZE,
		color: style.color ?? rgb(0, 0, 0)
	});
}

function draw_right(
	page: PDFPage,
	fonts: Fonts,
	text: string,
	right: number,
	y: number,
	font: PDFFont = fonts.regular,
	size: number = BODY_SIZE
): void {
	const safe = to_encodable(fonts, text);
	draw(page, fonts, safe, right - font.widthOfTextAtSize(safe, size), y, { font, size });
}

function draw_rule(page: PDFPage, y: number): void {
	page.drawLine({
		start: { x: MARGIN, y },
		end: { x: COLUMNS.amount, y },
		thickness: 0.5,
		color: RULE
	});
}

/**
 * Replaces what the font cannot encode with `?` and line breaks with spaces, because pdf-lib
 * throws on the first unencodable character and breaks lines at `\n`.
 */
function to_encodable(fonts: Fonts, text: string): string {
	let result = '';
	for (const char of text) {
		const code = char.codePointAt(0)!;
		if (code < 0x20 || code === 0x7f) result += ' ';
		else result += fonts.encodable.has(code) ? char : '?';
	}
	return result;
}

/** Shortens `text` with an ellipsis until it fits `width` points. */
function fit_text(fonts: Fonts, font: PDFFont, text: string, width: number): string {
	const safe = to_encodable(fonts, text);
	if (font.widthOfTextAtSize(safe, BODY_SIZE) <= width) return safe;

	const chars = [...safe];
	while (chars.length > 0 && font.widthOfTextAtSize(`${chars.join('')}…`, BODY_SIZE) > width) {
		chars.pop();
	}
	return `${chars.join('').trimEnd()}…`;
}
