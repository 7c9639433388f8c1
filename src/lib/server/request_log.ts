/**
 * Structured logs of the function: one JSON line per request and one per unexpected error.
 * Lines carry ids, never paths with query strings, cookies, tokens or email addresses. The user
 * id is replaced by a keyed hash, so logs can be correlated per user without naming the user.
 */
import { createHmac } from 'node:crypto';

export interface RequestLogEntry {
	request_id: string;
	method: string;
	/** SvelteKit route id, such as `/account/orders/[id]`, or null when no route matched. */
	route: string | null;
	status: number;
	duration_ms: number;
	db_ms: number;
	db_queries: number;
	/** `hash_user_id` of the signed-in user, or null. */
	user: string | null;
}

export interface ErrorLogEntry {
	request_id: string;
	method: string;
	route: string | null;
	status: number;
	error: unknown;
}

/**
 * Returns a 16-character HMAC-SHA256 of the user id. A plain hash of a small integer id would be
 * reversed by hashing every id, so the hash is keyed with a server secret.
 */
export function hash_user_id(user_id: string, secret: string): string {
	return createHmac('sha256', secret)
		.update(`log-user:${user_id}`)
		.digest('base64url')
		.slice(0, 16);
}

export function log_request(entry: RequestLogEntry, write = console.log): void {
	write(
		JSON.stringify({
			level: 'info',
			msg: 'request',
			...entry,
			duration_ms: round(entry.duration_ms),
			db_ms: round(entry.db_ms)
		})
	);
}

export function log_error(entry: ErrorLogEntry, write = console.error): void {
	const { error, ...rest } = entry;
	write(JSON.stringify({ level: 'error', msg: 'unexpected error', ...rest, ...describe(error) }));
}

function describe(error: unknown): { error: string; stack?: string; cause?: string } {
	if (!(error instanceof Error)) return { error: String(error) };
	const described: { error: string; stack?: string; cause?: string } = {
		error: `${error.name}: ${error.message}`,
		stack: error.stack
	};
	if (error.cause !== undefined) {
		described.cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
	}
	return described;
}

function round(ms: number): number {
	return Math.round(ms * 1000) / 1000;
}
