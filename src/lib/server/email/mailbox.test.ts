import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { list_mailbox, mailbox_file_name, write_mailbox_message } from './mailbox.ts';

let dir: string;

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'mailbox-test-'));
});

afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

function message(fields: { id: string; subject: string; date: string; body?: string }): Uint8Array {
	const lines = [
		`Message-ID: ${fields.id}`,
		'From: Shop <orders@shop.example>',
		'To: ada@example.com',
		`Subject: ${fields.subject}`,
		`Date: ${fields.date}`,
		'Content-Type: text/plain; charset=utf-8',
		'',
		fields.body ?? 'Hello'
	];
	return Buffer.from(lines.join('\r\n'), 'utf8');
}

describe('mailbox_file_name', () => {
	test('drops brackets from the id', () => {
		expect(mailbox_file_name('<outbox-3@shop.example>')).toBe('outbox-3@shop.example.eml');
	});

	test('replaces path characters', () => {
		expect(mailbox_file_name('<../../etc/passwd@x>')).toBe('.._.._etc_passwd@x.eml');
	});

	test('rejects an empty id', () => {
		expect(() => mailbox_file_name('<>')).toThrow(
			'Cannot store a message without a Message-ID in the mailbox'
		);
	});
});

describe('write_mailbox_message', () => {
	test('overwrites the same Message-ID', async () => {
		const id = '<outbox-1@shop.example>';
		await write_mailbox_message(
			dir,
			id,
			message({ id, subject: 'First', date: 'Mon, 02 Mar 2026 10:00:00 +0000' })
		);
		await write_mailbox_message(
			dir,
			id,
			message({ id, subject: 'Again', date: 'Mon, 02 Mar 2026 10:05:00 +0000' })
		);

		expect(await readdir(dir)).toEqual(['outbox-1@shop.example.eml']);
		const [stored] = await list_mailbox(dir);
		expect(stored!.subject).toBe('Again');
	});

	test('creates a missing folder', async () => {
		const nested = join(dir, 'a', 'b');
		const id = '<outbox-2@shop.example>';

		const path = await write_mailbox_message(
			nested,
			id,
			message({ id, subject: 'S', date: 'Mon, 02 Mar 2026 10:00:00 +0000' })
		);

		expect(path).toBe(join(nested, 'outbox-2@shop.example.eml'));
	});
});

describe('list_mailbox', () => {
	test('lists newest first', async () => {
		const dates = [
			'Mon, 02 Mar 2026 10:00:00 +0000',
			'Mon, 02 Mar 2026 12:00:00 +0000',
			'Mon, 02 Mar 2026 11:00:00 +0000'
		];
		for (const [index, date] of dates.entries()) {
			const id = `<outbox-${index + 1}@shop.example>`;
			await write_mailbox_message(
				dir,
				id,
				message({ id, subject: `Order ${index + 1}`, date, body: `Body ${index + 1}` })
			);
		}

		const messages = await list_mailbox(dir);

		expect(messages.map((entry) => entry.subject)).toEqual(['Order 2', 'Order 3', 'Order 1']);
		expect(messages[0]).toMatchObject({
			file: 'outbox-2@shop.example.eml',
			message_id: '<outbox-2@shop.example>',
			from: 'Shop <orders@shop.example>',
			to: 'ada@example.com',
			text: 'Body 2'
		});
		expect(messages[0]!.date.toISOString()).toBe('2026-03-02T12:00:00.000Z');
	});

	test('returns nothing for a missing folder', async () => {
		expect(await list_mailbox(join(dir, 'missing'))).toEqual([]);
	});

	test('reads only the newest files', async () => {
		for (let index = 1; index <= 3; index++) {
			const id = `<outbox-${index}@shop.example>`;
			const path = await write_mailbox_message(
				dir,
				id,
				message({ id, subject: `Order ${index}`, date: 'not a date' })
			);
			const time = new Date(Date.UTC(2026, 0, index));
			await utimes(path, time, time);
		}

		const messages = await list_mailbox(dir, 2);

		// Without a valid Date header the file time orders the list.
		expect(messages.map((entry) => entry.subject)).toEqual(['Order 3', 'Order 2']);
	});

	test('ignores other files', async () => {
		const id = '<outbox-1@shop.example>';
		await write_mailbox_message(
			dir,
			id,
			message({ id, subject: 'Kept', date: 'Mon, 02 Mar 2026 10:00:00 +0000' })
		);
		// A write in progress and an unrelated file.
		await writeFile(join(dir, 'outbox-2@shop.example.eml.1234.tmp'), 'partial');
		await writeFile(join(dir, 'notes.txt'), 'not a message');

		expect((await list_mailbox(dir)).map((entry) => entry.subject)).toEqual(['Kept']);
	});
});
