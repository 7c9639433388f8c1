import { sql } from 'kysely';
import { beforeEach, expect, test } from 'vitest';
import { drain, enqueue_event, type Deliver } from '../../src/lib/server/commerce/outbox.ts';
import type { OutboxEvent } from '../../src/lib/server/db/schema.ts';
import { describe_each_database } from '../support/databases.ts';
import { fail_first_mark } from './commerce_fixtures.ts';

/** Records each send in place of a mail server. */
function create_mailbox() {
	const sent: { event_id: number; idempotency_key: string }[] = [];
	const deliver: Deliver = async (event, context) => {
		sent.push({ event_id: event.id, idempotency_key: context.idempotency_key });
		return { message_id: `<${context.idempotency_key}@splitshop.test>` };
	};
	return { sent, deliver };
}

const NO_DELAY = () => 0;

describe_each_database('outbox', { seed: false }, (suite) => {
	beforeEach(async () => {
		await sql`truncate outbox_event, email_delivery restart identity`.execute(suite.db);
	});

	async function enqueue(count: number): Promise<number[]> {
		const ids: number[] = [];
		for (let index = 0; index < count; index++) {
			ids.push(await enqueue_event(suite.db, 'order.placed', { order: { id: index + 1 } }));
		}
		return ids;
	}

	async function event(id: number): Promise<OutboxEvent> {
		return suite.db
			.selectFrom('outbox_event')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
	}

	test('delivers and marks events', async () => {
		const ids = await enqueue(3);
		const mailbox = create_mailbox();

		const report = await drain(suite.db, { batch_size: 10, deliver: mailbox.deliver });

		expect(report).toEqual({ claimed: ids, sent: ids, already_delivered: [], failed: [] });
		expect(mailbox.sent.map((send) => send.idempotency_key)).toEqual(
			ids.map((id) => `outbox-${id}`)
		);
		for (const id of ids) expect((await event(id)).processed_at).toBeInstanceOf(Date);
		const deliveries = await suite.db
			.selectFrom('email_delivery')
			.select(['event_id', 'message_id'])
			.orderBy('event_id')
			.execute();
		expect(deliveries).toEqual(
			ids.map((id) => ({ event_id: id, message_id: `<outbox-${id}@splitshop.test>` }))
		);

		const again = await drain(suite.db, { batch_size: 10, deliver: mailbox.deliver });
		expect(again.claimed).toEqual([]);
		expect(mailbox.sent).toHaveLength(3);
	});

	test('batch size bounds claim', async () => {
		const ids = await enqueue(5);
		const report = await drain(suite.db, { batch_size: 2, deliver: create_mailbox().deliver });
		expect(report.claimed).toEqual(ids.slice(0, 2));
	});

	test('two drains send each event once', async () => {
		const ids = await enqueue(10);
		const mailbox = create_mailbox();
		const remove_failure = await fail_first_mark(suite.db);

		try {
			const [first, second] = await Promise.all([
				drain(suite.db, { batch_size: 5, deliver: mailbox.deliver }),
				drain(suite.db, { batch_size: 5, deliver: mailbox.deliver })
			]);

			// Each event was claimed by exactly one of the two drains.
			expect([...first.claimed, ...second.claimed].sort((a, b) => a - b)).toEqual(ids);
			const failed = [...first.failed, ...second.failed];
			expect(failed).toHaveLength(1);
			expect(failed[0]!.error).toContain('injected failure while marking event');
			expect(mailbox.sent).toHaveLength(10);

			const failed_event = await event(failed[0]!.id);
			expect(failed_event.processed_at).toBeNull();
			expect(failed_event.attempts).toBe(1);
			expect(failed_event.last_error).toContain('injected failure');

			// Skip the backoff wait, as if the scheduled sweep ran later.
			await suite.db
				.updateTable('outbox_event')
				.set({ available_at: sql`now()` })
				.where('id', '=', failed[0]!.id)
				.execute();
			const retry = await drain(suite.db, { batch_size: 10, deliver: mailbox.deliver });
			expect(retry).toEqual({
				claimed: [failed[0]!.id],
				sent: [],
				already_delivered: [failed[0]!.id],
				failed: []
			});
		} finally {
			await remove_failure();
		}

		expect(mailbox.sent.map((send) => send.event_id).sort((a, b) => a - b)).toEqual(ids);
		const unprocessed = await suite.db
			.selectFrom('outbox_event')
			.select('id')
			.where('processed_at', 'is', null)
			.execute();
		expect(unprocessed).toEqual([]);
		const deliveries = await suite.db.selectFrom('email_delivery').select('event_id').execute();
		expect(deliveries).toHaveLength(10);
	});

	test('failed send backs off', async () => {
		const [id] = await enqueue(1);
		const failing: Deliver = () => Promise.reject(new Error('SMTP 451 try again later'));

		const report = await drain(suite.db, {
			batch_size: 10,
			deliver: failing,
			retry_delay_s: (attempts) => 300 * attempts
		});

		expect(report.failed).toEqual([{ id, error: 'Error: SMTP 451 try again later' }]);
		const row = await event(id!);
		expect(row.attempts).toBe(1);
		expect(row.last_error).toBe('Error: SMTP 451 try again later');
		expect(row.processed_at).toBeNull();
		const { rows } = await sql<{ delay_s: number }>`
			select extract(epoch from available_at - now())::int as delay_s
			from outbox_event where id = ${id}
		`.execute(suite.db);
		expect(rows[0]!.delay_s).toBeGreaterThan(290);
		expect(rows[0]!.delay_s).toBeLessThanOrEqual(300);

		const mailbox = create_mailbox();
		expect((await drain(suite.db, { batch_size: 10, deliver: mailbox.deliver })).claimed).toEqual(
			[]
		);
		expect(await suite.db.selectFrom('email_delivery').selectAll().execute()).toEqual([]);
	});

	test('slow send times out', async () => {
		const [id] = await enqueue(1);
		const hanging: Deliver = () => new Promise(() => undefined);

		const report = await drain(suite.db, {
			batch_size: 1,
			deliver: hanging,
			delivery_timeout_ms: 50
		});

		expect(report.failed).toEqual([
			{ id, error: `Error: Delivery of outbox event ${id} timed out after 50 ms` }
		]);
		expect((await event(id!)).attempts).toBe(1);
	});

	test('gives up after max attempts', async () => {
		const [id] = await enqueue(1);
		await suite.db.updateTable('outbox_event').set({ attempts: 3 }).where('id', '=', id!).execute();

		const mailbox = create_mailbox();
		const capped = await drain(suite.db, {
			batch_size: 10,
			deliver: mailbox.deliver,
			max_attempts: 3
		});
		const raised = await drain(suite.db, {
			batch_size: 10,
			deliver: mailbox.deliver,
			max_attempts: 4
		});

		expect(capped.claimed).toEqual([]);
		expect(raised.sent).toEqual([id]);
	});

	test('delivery context counts attempts', async () => {
		const [id] = await enqueue(1);
		const attempts: number[] = [];
		const flaky: Deliver = async (_event, context) => {
			attempts.push(context.attempt);
			if (context.attempt === 1) throw new Error('first attempt fails');
		};

		await drain(suite.db, { batch_size: 1, deliver: flaky, retry_delay_s: NO_DELAY });
		await drain(suite.db, { batch_size: 1, deliver: flaky, retry_delay_s: NO_DELAY });

		expect(attempts).toEqual([1, 2]);
		expect((await event(id!)).processed_at).toBeInstanceOf(Date);
	});

	test('rejects invalid batch size', async () => {
		await expect(
			drain(suite.db, { batch_size: 0, deliver: create_mailbox().deliver })
		).rejects.toThrow('Invalid batch_size 0: expected a positive integer');
	});
});
