/**
 * The local mailbox: a folder of `.eml` files that replaces the mail server in development.
 * Each file is named after the message's Message-ID, so writing the same message again replaces
 * it instead of adding a second copy.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse_email } from './eml.ts';

/** A stored message as the mailbox page shows it. */
export interface MailboxMessage {
	file: string;
	message_id: string;
	from: string;
	to: string;
	subject: string;
	/** From the `Date` header, else the file's modification time. */
	date: Date;
	text: string;
}

/** Maximum number of messages `list_mailbox` reads. It reads the newest files and skips older ones. */
export const MAILBOX_LIST_LIMIT = 100;

/** File name for a Message-ID: the angle brackets dropped, anything unusual replaced by `_`. */
export function mailbox_file_name(message_id: string): string {
	const bare = message_id.trim().replace(/^<|>$/g, '');
	if (!bare) throw new Error('Cannot store a message without a Message-ID in the mailbox');
	return `${bare.replace(/[^A-Za-z0-9._@+-]/g, '_').slice(0, 200)}.eml`;
}

/**
 * Writes a raw message into `dir` and returns the file path. The write goes to a temporary file
 * that is then renamed, so a reader never sees half a message and a rewrite replaces it whole.
 */
export async function write_mailbox_message(
	dir: string,
	message_id: string,
	raw: Uint8Array
): Promise<string> {
	await mkdir(dir, { recursive: true });
	const path = join(dir, mailbox_file_name(message_id));
	const temporary = `${path}.${randomUUID()}.tmp`;
	try {
		await writeFile(temporary, raw);
		await rename(temporary, path);
	} catch (error) {
		await rm(temporary, { force: true });
		throw error;
	}
	return path;
}

/** Reads at most `limit` messages, newest first. A missing folder reads as an empty mailbox. */
export async function list_mailbox(
	dir: string,
	limit: number = MAILBOX_LIST_LIMIT
): Promise<MailboxMessage[]> {
	let names: string[];
	try {
		names = (await readdir(dir)).filter((name) => name.endsWith('.eml'));
	} catch (error) {
		if (is_missing(error)) return [];
		throw error;
	}

	const files = (await Promise.all(names.map((name) => stat_file(dir, name)))).filter(
		(file) => file !== null
	);
	files.sort((a, b) => b.modified.getTime() - a.modified.getTime());

	const messages: MailboxMessage[] = [];
	for (const { name, modified } of files.slice(0, limit)) {
		const raw = await readFile(join(dir, name), 'latin1').catch((error: unknown) => {
			if (is_missing(error)) return null;
			throw error;
		});
		if (raw !== null) messages.push(to_message(name, raw, modified));
	}
	return messages.sort((a, b) => b.date.getTime() - a.date.getTime() || (a.file < b.file ? 1 : -1));
}

/** Returns null for a file removed since the folder was read. */
async function stat_file(
	dir: string,
	name: string
): Promise<{ name: string; modified: Date } | null> {
	try {
		return { name, modified: (await stat(join(dir, name))).mtime };
	} catch (error) {
		if (is_missing(error)) return null;
		throw error;
	}
}

function is_missing(error: unknown): boolean {
	return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function to_message(file: string, raw: string, modified: Date): MailboxMessage {
	const { headers, text } = parse_email(raw);
	const header_date = new Date(headers.get('date') ?? '');
	return {
		file,
		message_id: headers.get('message-id') ?? '',
		from: headers.get('from') ?? '',
		to: headers.get('to') ?? '',
		subject: headers.get('subject') ?? '(no subject)',
		date: Number.isNaN(header_date.getTime()) ? modified : header_date,
		text
	};
}
