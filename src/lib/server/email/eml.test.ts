import { createTransport } from 'nodemailer';
import { describe, expect, test } from 'vitest';
import { decode_words, parse_email } from './eml.ts';

/** Builds a message the way the mailbox transport does and returns it as `latin1` text. */
async function build_message(fields: { subject: string; text: string; html?: string }) {
	const transporter = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
	const info = await transporter.sendMail({
		from: 'Shop <orders@shop.example>',
		to: { name: 'Zoë Åberg', address: 'zoe@example.com' },
		messageId: '<outbox-7@shop.example>',
		...fields
	});
	return (info.message as Buffer).toString('latin1');
}

describe('parse_email', () => {
	test('reads headers and text part', async () => {
		const raw = await build_message({
			subject: 'Order 7 confirmed',
			text: 'Hello,\n\nTotal: €12.00\n',
			html: '<p>Hello</p>'
		});

		const { headers, text } = parse_email(raw);

		expect(headers.get('subject')).toBe('Order 7 confirmed');
		expect(headers.get('message-id')).toBe('<outbox-7@shop.example>');
		expect(headers.get('to')).toBe('Zoë Åberg <zoe@example.com>');
		expect(text).toBe('Hello,\n\nTotal: €12.00');
	});

	test('decodes long non-ASCII text', async () => {
		const line = 'Größe – 李 – '.repeat(20);
		const raw = await build_message({ subject: `Über ${'ä'.repeat(60)}`, text: line });

		const { headers, text } = parse_email(raw);

		expect(headers.get('subject')).toBe(`Über ${'ä'.repeat(60)}`);
		expect(text).toBe(line);
	});

	test('reads a single-part message', () => {
		const raw = 'Subject: Plain\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nJust text\r\n';

		expect(parse_email(raw).text).toBe('Just text');
	});

	test('returns empty text without a text part', () => {
		const raw = 'Subject: Html only\r\nContent-Type: text/html\r\n\r\n<p>Hi</p>\r\n';

		expect(parse_email(raw).text).toBe('');
	});

	test('unfolds continued headers', () => {
		const raw = 'Subject: first\r\n second\r\n\r\nbody';

		expect(parse_email(raw).headers.get('subject')).toBe('first second');
	});
});

describe('decode_words', () => {
	test('joins adjacent encoded words', () => {
		expect(decode_words('=?UTF-8?Q?Zo=C3=AB?= =?UTF-8?B?w4ViZXJn?=')).toBe('ZoëÅberg');
	});

	test('keeps spaces around plain text', () => {
		expect(decode_words('Order =?UTF-8?Q?f=C3=BCr?= Ada')).toBe('Order für Ada');
	});

	test('reads underscores as spaces', () => {
		expect(decode_words('=?utf-8?q?two_words?=')).toBe('two words');
	});
});
