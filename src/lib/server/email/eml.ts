/**
 * A small reader for the RFC 5322 messages that nodemailer writes into the local mailbox: the
 * headers, with RFC 2047 encoded words decoded, and the first `text/plain` part. It covers the
 * MIME that nodemailer produces (multipart, base64, quoted-printable, 7bit and 8bit), not every
 * message found in the wild.
 */

export interface ParsedEmail {
	/** Header values by lower-case name. When a header repeats, the first value is kept. */
	headers: Map<string, string>;
	/** The first `text/plain` part, decoded, or an empty string when there is none. */
	text: string;
}

interface Entity {
	headers: Map<string, string>;
	body: string;
}

/** Parses a raw message, given as the file content read as `latin1` (one character per byte). */
export function parse_email(raw: string): ParsedEmail {
	const entity = split_entity(raw);
	const headers = new Map<string, string>();
	for (const [name, value] of entity.headers) headers.set(name, decode_words(value));
	return { headers, text: find_text(entity, 0) ?? '' };
}

/** Splits headers from body at the first empty line and unfolds continued header lines. */
function split_entity(raw: string): Entity {
	const match = /\r?\n\r?\n/.exec(raw);
	const head = match ? raw.slice(0, match.index) : raw;
	const body = match ? raw.slice(match.index + match[0].length) : '';

	const headers = new Map<string, string>();
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const name = line.slice(0, colon).trim().toLowerCase();
		if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
	}
	return { headers, body };
}

/** Nesting depth beyond which parts are ignored, so a crafted message cannot recurse without bound. */
const MAX_DEPTH = 8;

function find_text(entity: Entity, depth: number): string | undefined {
	const content_type = entity.headers.get('content-type') ?? 'text/plain';
	const type = content_type.split(';')[0]!.trim().toLowerCase();

	if (type.startsWith('multipart/')) {
		const boundary = parameter(content_type, 'boundary');
		if (!boundary || depth >= MAX_DEPTH) return undefined;
		for (const part of split_parts(entity.body, boundary)) {
			const text = find_text(split_entity(part), depth + 1);
			if (text !== undefined) return text;
		}
		return undefined;
	}
	if (type !== 'text/plain') return undefined;

	const bytes = decode_transfer(entity.body, entity.headers.get('content-transfer-encoding'));
	return decode_charset(bytes, parameter(content_type, 'charset'));
}

function split_parts(body: string, boundary: string): string[] {
	const delimiter = `--${boundary}`;
	const parts: string[] = [];
	const lines = body.split(/\r?\n/);
	let current: string[] | undefined;
	for (const line of lines) {
		if (line.startsWith(delimiter)) {
			if (current) parts.push(current.join('\n'));
			if (line.startsWith(`${delimiter}--`)) return parts;
			current = [];
		} else {
			current?.push(line);
		}
	}
	if (current) parts.push(current.join('\n'));
	return parts;
}

function parameter(header: string, name: string): string | undefined {
	const pattern = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i');
	const match = pattern.exec(header);
	return match ? (match[1] ?? match[2]) : undefined;
}

function decode_transfer(body: string, encoding: string | undefined): Uint8Array {
	switch (encoding?.trim().toLowerCase()) {
		case 'base64':
			return Buffer.from(body.replace(/\s+/g, ''), 'base64');
		case 'quoted-printable':
			return decode_quoted_printable(body);
		default:
			return Buffer.from(body.replace(/\r\n/g, '\n').replace(/\n$/, ''), 'latin1');
	}
}

/** RFC 2045 section 6.7: `=XX` is a byte and `=` at the end of a line is a soft break. */
function decode_quoted_printable(body: string, underscore_is_space = false): Uint8Array {
	const text = body.replace(/\r\n/g, '\n').replace(/=\n/g, '');
	const bytes: number[] = [];
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		const hex = text.slice(index + 1, index + 3);
		if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
			bytes.push(parseInt(hex, 16));
			index += 2;
		} else if (char === '_' && underscore_is_space) {
			bytes.push(0x20);
		} else {
			bytes.push(text.charCodeAt(index) & 0xff);
		}
	}
	return Uint8Array.from(bytes);
}

function decode_charset(bytes: Uint8Array, charset: string | undefined): string {
	try {
		return new TextDecoder(charset ?? 'us-ascii').decode(bytes).replace(/\n$/, '');
	} catch {
		// The charset label is unknown. Latin-1 at least keeps every byte visible.
		return new TextDecoder('latin1').decode(bytes);
	}
}

const ENCODED_WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;

/** Decodes RFC 2047 encoded words such as `=?UTF-8?Q?Zo=C3=AB?=` in a header value. */
export function decode_words(value: string): string {
	// Whitespace between two adjacent encoded words is not part of the text (section 6.2).
	const joined = value.replace(/(\?=)\s+(?==\?[^?]+\?[BbQq]\?)/g, '$1');
	return joined.replace(ENCODED_WORD, (_word, charset: string, encoding: string, text: string) => {
		const bytes =
			encoding.toUpperCase() === 'B'
				? Buffer.from(text, 'base64')
				: decode_quoted_printable(text, true);
		return decode_charset(bytes, charset);
	});
}
