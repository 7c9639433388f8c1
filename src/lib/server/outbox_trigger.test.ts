import { describe, expect, test } from 'vitest';
import {
	is_trigger_authorized,
	OUTBOX_DRAIN_PATH,
	OUTBOX_TRIGGER_HEADER,
	trigger_outbox_drain
} from './outbox_trigger.ts';

const SECRET = 'a-trigger-secret-of-some-length';
const ENV = { URL: 'https://shop.example', OUTBOX_TRIGGER_SECRET: SECRET };

/** A `fetch` replacement that records each call and returns the response of `respond`. */
function fake_fetch(respond: () => Promise<Response>) {
	const calls: { url: string; init: RequestInit }[] = [];
	const fetch = ((url: URL, init: RequestInit) => {
		calls.push({ url: String(url), init });
		return respond();
	}) as typeof globalThis.fetch;
	return { calls, fetch };
}

describe('trigger_outbox_drain', () => {
	// First in the file: the missing-settings warning is written once per process.
	test('logs missing settings once', async () => {
		const messages: string[] = [];
		const { calls, fetch } = fake_fetch(() => Promise.resolve(new Response(null, { status: 202 })));

		await trigger_outbox_drain({
			env: { URL: ENV.URL },
			fetch,
			log: (line) => messages.push(line)
		});
		await trigger_outbox_drain({ env: {}, fetch, log: (line) => messages.push(line) });

		expect(calls).toEqual([]);
		expect(messages).toEqual([
			'[outbox] OUTBOX_TRIGGER_SECRET is not set, so checkouts do not start the outbox background function. ' +
				'Emails go out at the next scheduled sweep.'
		]);
	});

	test('posts the secret', async () => {
		const messages: string[] = [];
		const { calls, fetch } = fake_fetch(() => Promise.resolve(new Response(null, { status: 202 })));

		await trigger_outbox_drain({ env: ENV, fetch, log: (line) => messages.push(line) });

		expect(calls).toHaveLength(1);
		expect(calls[0]!.url).toBe(`https://shop.example${OUTBOX_DRAIN_PATH}`);
		expect(calls[0]!.init.method).toBe('POST');
		expect(calls[0]!.init.headers).toEqual({ [OUTBOX_TRIGGER_HEADER]: SECRET });
		expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
		expect(messages).toEqual([]);
	});

	test('returns before the response', async () => {
		let answer: (response: Response) => void = () => {};
		const { calls, fetch } = fake_fetch(
			() => new Promise<Response>((resolve) => (answer = resolve))
		);
		const waited: Promise<unknown>[] = [];

		const started = performance.now();
		const pending = trigger_outbox_drain({
			env: ENV,
			fetch,
			wait_until: (promise) => waited.push(promise)
		});
		const elapsed = performance.now() - started;

		expect(elapsed).toBeLessThan(50);
		expect(calls).toHaveLength(1);
		expect(waited).toEqual([pending]);
		answer(new Response(null, { status: 202 }));
		await expect(pending).resolves.toBeUndefined();
	});

	test('logs a failed request', async () => {
		const messages: string[] = [];
		const { fetch } = fake_fetch(() => Promise.reject(new TypeError('fetch failed')));

		await expect(
			trigger_outbox_drain({ env: ENV, fetch, log: (line) => messages.push(line) })
		).resolves.toBeUndefined();

		expect(messages).toEqual([
			`[outbox] request to ${OUTBOX_DRAIN_PATH} failed: TypeError: fetch failed`
		]);
	});

	test('logs an error status', async () => {
		const messages: string[] = [];
		const { fetch } = fake_fetch(() => Promise.resolve(new Response('nope', { status: 500 })));

		await trigger_outbox_drain({ env: ENV, fetch, log: (line) => messages.push(line) });

		expect(messages).toEqual([`[outbox] ${OUTBOX_DRAIN_PATH} returned HTTP 500`]);
	});

	test('never throws on a bad URL', async () => {
		const messages: string[] = [];
		const { calls, fetch } = fake_fetch(() => Promise.resolve(new Response(null)));

		await expect(
			trigger_outbox_drain({
				env: { ...ENV, URL: 'not a url' },
				fetch,
				log: (line) => messages.push(line)
			})
		).resolves.toBeUndefined();

		expect(calls).toEqual([]);
		expect(messages).toEqual([
			'[outbox] could not start the outbox background function: TypeError: Invalid URL'
		]);
	});
});

describe('is_trigger_authorized', () => {
	const headers = (value?: string) =>
		new Headers(value === undefined ? {} : { [OUTBOX_TRIGGER_HEADER]: value });

	test('accepts the secret', () => {
		expect(is_trigger_authorized(headers(SECRET), SECRET)).toBe(true);
	});

	test('rejects a wrong or missing header', () => {
		expect(is_trigger_authorized(headers(), SECRET)).toBe(false);
		expect(is_trigger_authorized(headers(''), SECRET)).toBe(false);
		expect(is_trigger_authorized(headers(`${SECRET}x`), SECRET)).toBe(false);
		expect(is_trigger_authorized(headers(SECRET.slice(0, -1)), SECRET)).toBe(false);
	});

	test('rejects everything without a secret', () => {
		expect(is_trigger_authorized(headers(''), undefined)).toBe(false);
		expect(is_trigger_authorized(headers(''), '')).toBe(false);
	});
});
