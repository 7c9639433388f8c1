import { describe, expect, test } from 'vitest';
import type { ErrorBody } from './commerce/errors.ts';
import { JSON_BODY_LIMIT, read_json_body } from './json_body.ts';

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
	return new Request('https://shop.example/api/checkout', {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', ...headers },
		// Node's fetch needs this for a streamed body.
		...(body instanceof ReadableStream ? { duplex: 'half' } : {})
	} as RequestInit);
}

function stream_of(size: number): ReadableStream<Uint8Array> {
	let sent = 0;
	return new ReadableStream({
		pull(controller) {
			if (sent >= size) return controller.close();
			const chunk = new Uint8Array(Math.min(1024, size - sent)).fill(32);
			sent += chunk.byteLength;
			controller.enqueue(chunk);
		}
	});
}

async function error_of(request: Request) {
	const body = await read_json_body(request);
	if (body.ok) throw new Error('expected a rejected body');
	return { status: body.result.status, ...body.result.body.error } as ErrorBody['error'] & {
		status: number;
	};
}

describe('read_json_body', () => {
	test('parses a JSON object', async () => {
		const body = await read_json_body(post('{"region":"uk","lines":[]}'));
		expect(body).toEqual({ ok: true, value: { region: 'uk', lines: [] } });
	});

	test('accepts type in any case', async () => {
		const request = post('[1]', { 'content-type': 'Application/JSON; charset=UTF-8' });
		expect(await read_json_body(request)).toEqual({ ok: true, value: [1] });
	});

	test('rejects other content types', async () => {
		const error = await error_of(post('{}', { 'content-type': 'text/plain' }));
		expect(error.status).toBe(415);
		expect(error.field).toBe('content-type');
	});

	test('rejects malformed JSON', async () => {
		const error = await error_of(post('{"region":'));
		expect(error.status).toBe(400);
		expect(error.field).toBe('body');
		expect(error.message).toMatch(/^The body is not valid JSON\./);
	});

	test('rejects an empty body', async () => {
		const error = await error_of(post(''));
		expect(error.status).toBe(400);
		expect(error.field).toBe('body');
	});

	test('rejects invalid UTF-8', async () => {
		const error = await error_of(post(new Uint8Array([0x7b, 0xff, 0x7d])));
		expect(error.status).toBe(400);
		expect(error.message).toBe('The body is not valid UTF-8.');
	});

	test('rejects a declared oversized body', async () => {
		const request = post('{}', { 'content-length': String(JSON_BODY_LIMIT + 1) });
		const error = await error_of(request);
		expect(error.status).toBe(413);
		expect(error.field).toBe('body');
	});

	test('rejects a streamed oversized body', async () => {
		const error = await error_of(post(stream_of(JSON_BODY_LIMIT + 1)));
		expect(error.status).toBe(413);
		expect(error.message).toBe(`The body is larger than ${JSON_BODY_LIMIT} bytes.`);
	});

	test('accepts a body at the limit', async () => {
		const padding = ' '.repeat(JSON_BODY_LIMIT - 2);
		expect(await read_json_body(post(`${padding}{}`))).toEqual({ ok: true, value: {} });
	});
});
