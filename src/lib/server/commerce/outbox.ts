/**
 * The transactional outbox. Checkout writes an event in the same transaction as the order, and
 * `drain` delivers due events later, at least once. Each delivery is recorded by event id, so
 * an event that is claimed again is not sent again, except in the cases at the end.
 *
 * A drain claims events in one statement that locks them with `FOR UPDATE SKIP LOCKED` and
 * moves their `available_at` past a lease, so no other drain claims them while this one works.
 * It commits before sending, because a transaction must not stay open across network calls,
 * and on PGlite's single connection it could not write the delivery record while one is open.
 * For each event it then:
 *
 * 1. skips the send when an `email_delivery` row for the event exists;
 * 2. otherwise sends, then inserts the `email_delivery` row in its own committed statement;
 * 3. marks the event processed in a separate statement.
 *
 * When step 3 fails after a successful send, the delivery row is already committed, so the next
 * drain that claims the event skips the send and only marks it. A send can still repeat when the
 * process dies or the database fails between the send and step 2, and when a send that timed
 * out completes anyway. For those cases `deliver` gets an idempotency key that is the same for
 * every attempt, for use as the email's `Message-ID` or a provider's idempotency key.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, OutboxEvent } from '../db/schema.ts';

export interface DeliveryContext {
	/** `outbox-<event id>`: the same for every attempt at this event. */
	idempotency_key: string;
	/** 1 on the first attempt. */
	attempt: number;
	/** Aborted when the delivery timeout passes; the attempt then counts as failed. */
	signal: AbortSignal;
}

export interface DeliveryReceipt {
	/** The identifier the mail server or provider gave the message, stored with the delivery. */
	message_id?: string;
}

export type Deliver = (
	event: OutboxEvent,
	context: DeliveryContext
) => Promise<DeliveryReceipt | void>;

export interface DrainOptions {
	/** Events claimed by this drain, at most. */
	batch_size: number;
	deliver: Deliver;
	/** Milliseconds one delivery may take before it counts as failed; default 30 s. */
	delivery_timeout_ms?: number;
	/** Failed attempts after which an event is no longer claimed; default 10. */
	max_attempts?: number;
	/** Seconds to wait before retrying an event that has failed `attempts` times. */
	retry_delay_s?: (attempts: number) => number;
}

export interface DrainReport {
	/** Ids of the events this drain claimed. */
	claimed: number[];
	/** Ids sent by this drain. */
	sent: number[];
	/** Ids marked processed without a send, because an earlier attempt had delivered them. */
	already_delivered: number[];
	failed: { id: number; error: string }[];
}

const DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_ATTEMPTS = 10;
/** Extra lease time on top of the deliveries' own timeouts, for the database writes. */
const LEASE_MARGIN_S = 60;
const LAST_ERROR_MAX_LENGTH = 1000;

/** 30 s after the first failure, doubling up to one hour. */
export function default_retry_delay_s(attempts: number): number {
	return Math.min(30 * 2 ** Math.max(0, attempts - 1), 3600);
}

/**
 * Adds an event whose payload is any JSON-serialisable object. Pass the transaction that writes
 * the change the event describes.
 */
export async function enqueue_event(
	db: Kysely<Database>,
	topic: string,
	payload: object
): Promise<number> {
	const row = await db
		.insertInto('outbox_event')
		.values({ topic, payload: JSON.stringify(payload) })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Claims up to `batch_size` due events and delivers each one, as the module comment describes. */
export async function drain(db: Kysely<Database>, options: DrainOptions): Promise<DrainReport> {
	if (!Number.isInteger(options.batch_size) || options.batch_size < 1) {
		throw new Error(`Invalid batch_size ${options.batch_size}: expected a positive integer`);
	}
	const timeout_ms = options.delivery_timeout_ms ?? DEFAULT_DELIVERY_TIMEOUT_MS;
	// Deliveries run one after another, so the lease must outlast the whole batch.
	const lease_s = Math.ceil((options.batch_size * timeout_ms) / 1000) + LEASE_MARGIN_S;
	const events = await claim_events(
		db,
		options.batch_size,
		lease_s,
		options.max_attempts ?? DEFAULT_MAX_ATTEMPTS
	);

	const report: DrainReport = {
		claimed: events.map((event) => event.id),
		sent: [],
		already_delivered: [],
		failed: []
	};
	for (const event of events) {
		try {
			const sent = await process_event(db, event, options.deliver, timeout_ms);
			(sent ? report.sent : report.already_delivered).push(event.id);
		} catch (error) {
			const message = describe_error(error);
			report.failed.push({ id: event.id, error: message });
			const delay_s = (options.retry_delay_s ?? default_retry_delay_s)(event.attempts + 1);
			await record_failure(db, event.id, message, delay_s).catch(() => {
				// The database is failing too. The lease runs out and a later drain retries the event.
			});
		}
	}
	return report;
}

/**
 * Claims due events in one statement, and so in one transaction: it locks due rows that no
 * other drain has locked and pushes their `available_at` to the end of the lease.
 */
async function claim_events(
	db: Kysely<Database>,
	batch_size: number,
	lease_s: number,
	max_attempts: number
): Promise<OutboxEvent[]> {
	const rows = await db
		.with('due', (qb) =>
			qb
				.selectFrom('outbox_event')
				.select('id')
				.where('processed_at', 'is', null)
				.where('available_at', '<=', sql<Date>`now()`)
				.where('attempts', '<', max_attempts)
				.orderBy('id')
				.limit(batch_size)
				.forUpdate()
				.skipLocked()
		)
		.updateTable('outbox_event')
		.from('due')
		.set({ available_at: sql`now() + make_interval(secs => ${lease_s})` })
		.whereRef('outbox_event.id', '=', 'due.id')
		.returningAll('outbox_event')
		.execute();
	return rows.sort((a, b) => a.id - b.id);
}

/** Returns true when this call sent the event, false when it had been delivered before. */
async function process_event(
	db: Kysely<Database>,
	event: OutboxEvent,
	deliver: Deliver,
	timeout_ms: number
): Promise<boolean> {
	const delivered = await db
		.selectFrom('email_delivery')
		.select('event_id')
		.where('event_id', '=', event.id)
		.executeTakeFirst();

	if (!delivered) {
		const receipt = await deliver_with_timeout(event, deliver, timeout_ms);
		await db
			.insertInto('email_delivery')
			.values({ event_id: event.id, message_id: receipt?.message_id ?? null })
			.onConflict((conflict) => conflict.column('event_id').doNothing())
			.execute();
	}

	await db
		.updateTable('outbox_event')
		.set({ processed_at: sql<Date>`now()`, last_error: null })
		.where('id', '=', event.id)
		.execute();
	return !delivered;
}

async function deliver_with_timeout(
	event: OutboxEvent,
	deliver: Deliver,
	timeout_ms: number
): Promise<DeliveryReceipt | void> {
	const signal = AbortSignal.timeout(timeout_ms);
	let on_abort: (() => void) | undefined;
	const timed_out = new Promise<never>((_resolve, reject) => {
		on_abort = () =>
			reject(new Error(`Delivery of outbox event ${event.id} timed out after ${timeout_ms} ms`));
		signal.addEventListener('abort', on_abort, { once: true });
	});
	const context = { idempotency_key: `outbox-${event.id}`, attempt: event.attempts + 1, signal };
	try {
		return await Promise.race([deliver(event, context), timed_out]);
	} finally {
		signal.removeEventListener('abort', on_abort!);
	}
}

async function record_failure(
	db: Kysely<Database>,
	event_id: number,
	message: string,
	delay_s: number
): Promise<void> {
	await db
		.updateTable('outbox_event')
		.set({
			attempts: sql<number>`attempts + 1`,
			last_error: message,
			available_at: sql<Date>`now() + make_interval(secs => ${delay_s})`
		})
		.where('id', '=', event_id)
		.where('processed_at', 'is', null)
		.execute();
}

function describe_error(error: unknown): string {
	const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	return message.slice(0, LAST_ERROR_MAX_LENGTH);
}
