/**
 * Drains the outbox with the email deliverer, batch after batch, and logs one JSON line per run.
 * The background function runs it after each checkout, and the scheduled function every few
 * minutes. Both share this code, so they differ only in their time budget.
 */
import type { Kysely } from 'kysely';
import { prune_idempotency_keys } from './commerce/idempotency.ts';
import { drain } from './commerce/outbox.ts';
import { prune_rate_limit_counters } from './commerce/rate_limit.ts';
import type { Database } from './db/schema.ts';
import { create_email_deliverer } from './email/deliver.ts';
import { read_mail_settings } from './email/settings.ts';
import { create_mail_sender, type MailSender } from './email/transport.ts';
import { is_trigger_authorized } from './outbox_trigger.ts';

export interface OutboxRunOptions {
	/** Name of the trigger, such as `background` or `schedule`, logged as `source`. */
	source: string;
	/** Environment with the email settings (see `email/settings.ts`). */
	env: Record<string, string | undefined>;
	/** Events claimed per batch. Default 25. */
	batch_size?: number;
	/** Milliseconds after which no new batch starts. A batch already running finishes. */
	time_budget_ms: number;
	/** Milliseconds one email may take before it counts as failed. Default 20 s. */
	delivery_timeout_ms?: number;
	/** Receives the JSON log line. Default `console.log`, or `console.error` for a failed run. */
	log?: (line: string) => void;
}

export interface OutboxRunSummary {
	source: string;
	batches: number;
	claimed: number;
	sent: number;
	already_delivered: number;
	failed: number;
	/** The first `MAX_LOGGED_FAILURES` failures, with the event id. */
	failures: { id: number; error: string }[];
	duration_ms: number;
}

const DEFAULT_BATCH_SIZE = 25;
const DEFAULT_DELIVERY_TIMEOUT_MS = 20_000;
const MAX_LOGGED_FAILURES = 10;
const MAX_LOGGED_ERROR_LENGTH = 300;

/**
 * Claims and emails due outbox events until none are left, the time budget is spent, or a whole
 * batch failed. In the last case the mail server is likely down, and the scheduled sweep retries.
 * Throws on invalid email settings and when the database fails outside a delivery; the log line
 * is written either way.
 */
export async function run_outbox(
	db: Kysely<Database>,
	options: OutboxRunOptions
): Promise<OutboxRunSummary> {
	const started = performance.now();
	const batch_size = options.batch_size ?? DEFAULT_BATCH_SIZE;
	const summary: OutboxRunSummary = {
		source: options.source,
		batches: 0,
		claimed: 0,
		sent: 0,
		already_delivered: 0,
		failed: 0,
		failures: [],
		duration_ms: 0
	};

	let sender: MailSender | undefined;
	try {
		const settings = read_mail_settings(options.env);
		sender = create_mail_sender(settings);
		const deliver = create_email_deliverer(sender, settings);
		for (;;) {
			const report = await drain(db, {
				batch_size,
				deliver,
				delivery_timeout_ms: options.delivery_timeout_ms ?? DEFAULT_DELIVERY_TIMEOUT_MS
			});
			summary.batches += 1;
			summary.claimed += report.claimed.length;
			summary.sent += report.sent.length;
			summary.already_delivered += report.already_delivered.length;
			summary.failed += report.failed.length;
			for (const failure of report.failed) {
				if (summary.failures.length < MAX_LOGGED_FAILURES) {
					summary.failures.push({
						id: failure.id,
						error: failure.error.slice(0, MAX_LOGGED_ERROR_LENGTH)
					});
				}
			}

			const all_failed =
				report.claimed.length > 0 && report.failed.length === report.claimed.length;
			const elapsed = performance.now() - started;
			if (report.claimed.length < batch_size || all_failed || elapsed >= options.time_budget_ms) {
				break;
			}
		}
	} catch (error) {
		summary.duration_ms = Math.round(performance.now() - started);
		const message = error instanceof Error ? error.message : String(error);
		(options.log ?? console.error)(log_line('error', summary, message));
		throw error;
	} finally {
		sender?.close();
	}

	summary.duration_ms = Math.round(performance.now() - started);
	(options.log ?? console.log)(log_line(summary.failed > 0 ? 'warn' : 'info', summary));
	return summary;
}

function log_line(level: string, summary: OutboxRunSummary, error?: string): string {
	return JSON.stringify({
		level,
		event: 'outbox.drain',
		...summary,
		...(error === undefined ? {} : { error: error.slice(0, MAX_LOGGED_ERROR_LENGTH) })
	});
}

/**
 * Handles a request to the background function: 405 unless it is a POST, 401 unless it carries
 * `OUTBOX_TRIGGER_SECRET`, else a drain run and 204. On Netlify the caller has already received
 * 202 by then, so these statuses show only in logs and tests.
 */
export async function handle_drain_request(
	request: Request,
	db: Kysely<Database>,
	options: OutboxRunOptions
): Promise<Response> {
	if (request.method !== 'POST') {
		return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } });
	}
	const secret = options.env.OUTBOX_TRIGGER_SECRET;
	if (!is_trigger_authorized(request.headers, secret)) {
		console.warn(
			secret
				? '[outbox] rejected a drain request without a valid trigger secret'
				: '[outbox] rejected a drain request: OUTBOX_TRIGGER_SECRET is not set on this function'
		);
		return new Response('Unauthorized', { status: 401 });
	}
	await run_outbox(db, options);
	return new Response(null, { status: 204 });
}

export interface SweepSummary {
	outbox: OutboxRunSummary | null;
	rate_limit_counters_pruned: number;
	idempotency_keys_pruned: number;
}

/**
 * Age after which an idempotency key is deleted. A checkout retried with a deleted key places a
 * second order, so this must outlast any client's retries by far.
 */
export const IDEMPOTENCY_KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Runs the scheduled maintenance: drains what the background runs left, then deletes expired
 * rate limit windows and old idempotency keys. The pruning runs even when the drain failed, and
 * the drain's error is thrown afterwards.
 */
export async function sweep(
	db: Kysely<Database>,
	options: OutboxRunOptions,
	now: Date = new Date()
): Promise<SweepSummary> {
	let outbox: OutboxRunSummary | null = null;
	let drain_error: unknown;
	try {
		outbox = await run_outbox(db, options);
	} catch (error) {
		drain_error = error;
	}

	const rate_limit_counters_pruned = await prune_rate_limit_counters(db, now);
	const idempotency_keys_pruned = await prune_idempotency_keys(
		db,
		new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_MS)
	);
	(options.log ?? console.log)(
		JSON.stringify({
			level: 'info',
			event: 'maintenance.prune',
			source: options.source,
			rate_limit_counters_pruned,
			idempotency_keys_pruned
		})
	);

	if (drain_error !== undefined) throw drain_error;
	return { outbox, rate_limit_counters_pruned, idempotency_keys_pruned };
}
