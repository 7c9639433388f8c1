/**
 * Reading JSON request bodies for API routes with a size limit. A body over the limit is
 * rejected before it is parsed, whether or not the client sent `Content-Length`.
 */
import {
	to_result,
	CommerceError,
	type CommerceResult,
	type ErrorBody
} from './commerce/errors.ts';

/** Largest JSON body accepted by the API routes, in bytes. A 50-line checkout is about 3 KB. */
export const JSON_BODY_LIMIT = 16 * 1024;

export type JsonBody =
	{ ok: true; value: unknown } | { ok: false; result: CommerceResult<ErrorBody> };

/**
 * Reads and parses the body of `request`. Returns a 415 naming `content-type` unless the type is
 * `application/json`, a 413 naming `body` when the body passes `limit` bytes, and a 400 naming
 * `body` when it is not valid UTF-8 JSON.
 */
export async function read_json_body(
	request: Request,
	limit: number = JSON_BODY_LIMIT
): Promise<JsonBody> {
	const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
	if (type !== 'application/json') {
		return reject(
			415,
			'content-type',
			'Send the body as JSON with Content-Type: application/json.'
		);
	}

	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > limit) return too_large(limit);

	const bytes = await read_limited(request, limit);
	if (!bytes) return too_large(limit);

	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return reject(400, 'body', 'The body is not valid UTF-8.');
	}
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		const detail = error instanceof SyntaxError ? ` ${error.message}` : '';
		return reject(400, 'body', `The body is not valid JSON.${detail}`);
	}
}

/** Returns the body's bytes, or null as soon as they pass `limit`. The rest is not read. */
async function read_limited(request: Request, limit: number): Promise<Uint8Array | null> {
	if (!request.body) return new Uint8Array();

	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel();
			return null;
		}
		chunks.push(value);
	}

	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

function too_large(limit: number): JsonBody {
	return reject(413, 'body', `The body is larger than ${limit} bytes.`);
}

function reject(status: number, field: string, message: string): JsonBody {
	return {
		ok: false,
		result: to_result(new CommerceError('invalid_input', status, message, { field }))
	};
}
