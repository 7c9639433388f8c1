/**
 * Starts the outbox background function after a checkout has committed, so the confirmation
 * email goes out within seconds instead of at the next scheduled sweep. The request carries the
 * shared secret `OUTBOX_TRIGGER_SECRET` in `OUTBOX_TRIGGER_HEADER`, and the function checks it
 * with `is_trigger_authorized`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const OUTBOX_TRIGGER_HEADER = 'x-outbox-trigger-secret';
export const OUTBOX_DRAIN_PATH = '/.netlify/functions/outbox-drain-background';

/** Milliseconds before the trigger request is aborted. Netlify returns 202 for a background function at once. */
const TRIGGER_TIMEOUT_MS = 5_000;

export interface TriggerOptions {
	/** Environment with `URL` (set by Netlify) and `OUTBOX_TRIGGER_SECRET`. Default `process.env`. */
	env?: Record<string, string | undefined>;
	/**
	 * Keeps the function alive until the request is sent, such as Netlify's
	 * `context.waitUntil`: a function instance may be frozen once its response is returned.
	 */
	wait_until?: (promise: Promise<unknown>) => void;
	fetch?: typeof fetch;
	/** Receives warnings. Default `console.warn`. */
	log?: (message: string) => void;
}

let reported_missing_settings = false;

/**
 * Sends the trigger request without waiting for it. Never throws, and the returned promise never
 * rejects, so a caller can ignore it: failures are logged, and the scheduled sweep sends the
 * email later. Without `URL` or `OUTBOX_TRIGGER_SECRET` it does nothing and logs that once.
 */
export function trigger_outbox_drain(options: TriggerOptions = {}): Promise<void> {
	const log = options.log ?? console.warn;
	try {
		const env = options.env ?? process.env;
		const base = env.URL?.trim();
		const secret = env.OUTBOX_TRIGGER_SECRET;
		if (!base || !secret) {
			if (!reported_missing_settings) {
				reported_missing_settings = true;
				const missing = !base ? 'URL' : 'OUTBOX_TRIGGER_SECRET';
				log(
					`[outbox] ${missing} is not set, so checkouts do not start the outbox background function. ` +
						'Emails go out at the next scheduled sweep.'
				);
			}
			return Promise.resolve();
		}

		const url = new URL(OUTBOX_DRAIN_PATH, base);
		const request = (options.fetch ?? fetch)(url, {
			method: 'POST',
			headers: { [OUTBOX_TRIGGER_HEADER]: secret },
			signal: AbortSignal.timeout(TRIGGER_TIMEOUT_MS)
		})
			.then(async (response) => {
				await response.body?.cancel();
				if (!response.ok) log(`[outbox] ${url.pathname} returned HTTP ${response.status}`);
			})
			.catch((error: unknown) => {
				log(`[outbox] request to ${url.pathname} failed: ${describe(error)}`);
			});
		options.wait_until?.(request);
		return request;
	} catch (error) {
		log(`[outbox] could not start the outbox background function: ${describe(error)}`);
		return Promise.resolve();
	}
}

/**
 * Checks the trigger header against `secret` in constant time. Hashing both sides first gives
 * equal lengths, which `timingSafeEqual` requires, without revealing the secret's length.
 * Rejects every request when no secret is configured.
 */
export function is_trigger_authorized(headers: Headers, secret: string | undefined): boolean {
	const received = headers.get(OUTBOX_TRIGGER_HEADER);
	if (!secret || received === null) return false;
	return timingSafeEqual(sha256(received), sha256(secret));
}

function sha256(value: string): Buffer {
	return createHash('sha256').update(value).digest();
}

function describe(error: unknown): string {
	return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
