import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';
import { place_order } from '../../src/lib/server/commerce/checkout.ts';
import { drain } from '../../src/lib/server/commerce/outbox.ts';
import { TEST_PAYMENT_PROVIDER } from '../../src/lib/server/commerce/payment.ts';
import { create_email_deliverer } from '../../src/lib/server/email/deliver.ts';
import { parse_email } from '../../src/lib/server/email/eml.ts';
import { list_mailbox } from '../../src/lib/server/email/mailbox.ts';
import { read_mail_settings } from '../../src/lib/server/email/settings.ts';
import { create_mail_sender, type MailSender } from '../../src/lib/server/email/transport.ts';
import {
	handle_drain_request,
	IDEMPOTENCY_KEY_RETENTION_MS,
	run_outbox,
	sweep
} from '../../src/lib/server/outbox_runner.ts';
import { OUTBOX_TRIGGER_HEADER } from '../../src/lib/server/outbox_trigger.ts';
import { describe_each_database } from '../support/databases.ts';
import { count_rows, fail_first_mark, insert_user, new_key } from './commerce_fixtures.ts';

const PAY = { provider: TEST_PAYMENT_PROVIDER, card_number: '4242424242424242' };
const SMTP_USER = 'shop';
const SMTP_PASSWORD = 'smtp-test-password';
const MAIL_FROM = 'Splitshop Orders <orders@shop.example>';

interface ReceivedMessage {
	envelope_from: string;
	envelope_to: string[];
	raw: string;
	message_id: string;
	subject: string;
}

/** Starts an SMTP server on a free loopback port that accepts one user and records every message. */
async function start_smtp_server() {
	const received: ReceivedMessage[] = [];
	const server = new SMTPServer({
		logger: false,
		disabledCommands: ['STARTTLS'],
		// Loopback only, so plain-text AUTH is acceptable here.
		allowInsecureAuth: true,
		onAuth(auth, _session, callback) {
			if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) {
				callback(null, { user: SMTP_USER });
			} else {
				callback(new Error('Invalid username or password'));
			}
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('latin1');
				const { headers } = parse_email(raw);
				received.push({
					envelope_from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					envelope_to: session.envelope.rcptTo.map((recipient) => recipient.address),
					raw,
					message_id: headers.get('message-id') ?? '',
					subject: headers.get('subject') ?? ''
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.server.address() as AddressInfo;
	return {
		received,
		url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

type SmtpServer = Awaited<ReturnType<typeof start_smtp_server>>;

describe_each_database('email outbox', {}, (suite) => {
	let smtp: SmtpServer;
	let mailbox_dir: string;
	const buyers: { id: number; email: string }[] = [];

	beforeAll(async () => {
		smtp = await start_smtp_server();
		for (let index = 0; index < 10; index++) {
			const email = `buyer-${index}@example.com`;
			buyers.push({ id: await insert_user(suite.db, { email, name: `Buyer ${index}` }), email });
		}
	});

	afterAll(async () => {
		await smtp.close();
	});

	beforeEach(async () => {
		smtp.received.length = 0;
		mailbox_dir = await mkdtemp(join(tmpdir(), 'splitshop-mailbox-'));
		await sql`truncate outbox_event, email_delivery restart identity`.execute(suite.db);
	});

	afterEach(async () => {
		await rm(mailbox_dir, { recursive: true, force: true });
	});

	/** Places one order per buyer; each writes one `order.placed` event. */
	async function place_orders(count: number): Promise<number[]> {
		const ids: number[] = [];
		for (const buyer of buyers.slice(0, count)) {
			const result = await place_order(
				suite.db,
				{
					user_id: buyer.id,
					region: 'uk',
					idempotency_key: new_key(),
					lines: [{ slug: 'enamel-camp-mug', quantity: 1 }]
				},
				PAY
			);
			expect(result.status).toBe(201);
			ids.push((result.body as { order: { id: number } }).order.id);
		}
		return ids;
	}

	function smtp_env() {
		return { SMTP_URL: smtp.url, MAIL_FROM };
	}

	test('two drains email each order once', async () => {
		const order_ids = await place_orders(10);
		const settings = read_mail_settings(smtp_env());
		const sender: MailSender = create_mail_sender(settings);
		const deliver = create_email_deliverer(sender, settings);

		const remove_failure = await fail_first_mark(suite.db);

		try {
			const [first, second] = await Promise.all([
				drain(suite.db, { batch_size: 5, deliver }),
				drain(suite.db, { batch_size: 5, deliver })
			]);

			const claimed = [...first.claimed, ...second.claimed].sort((a, b) => a - b);
			expect(claimed).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
			const failed = [...first.failed, ...second.failed];
			expect(failed).toHaveLength(1);
			expect(failed[0]!.error).toContain('injected failure while marking event');
			expect(smtp.received).toHaveLength(10);

			// Skip the backoff wait, as if the scheduled sweep ran later.
			await suite.db
				.updateTable('outbox_event')
				.set({ available_at: sql`now()` })
				.where('id', '=', failed[0]!.id)
				.execute();
			const retry = await drain(suite.db, { batch_size: 10, deliver });
			expect(retry.already_delivered).toEqual([failed[0]!.id]);
			expect(retry.sent).toEqual([]);
		} finally {
			sender.close();
			await remove_failure();
		}

		// Exactly one email per order, as the mail server saw them.
		expect(smtp.received).toHaveLength(10);
		const subjects = smtp.received.map((message) => message.subject).sort();
		expect(subjects).toEqual(order_ids.map((id) => `Splitshop order ${id} confirmed`).sort());
		const recipients = smtp.received.flatMap((message) => message.envelope_to).sort();
		expect(recipients).toEqual(buyers.map((buyer) => buyer.email).sort());
		const message_ids = new Set(smtp.received.map((message) => message.message_id));
		expect(message_ids).toEqual(
			new Set(Array.from({ length: 10 }, (_, index) => `<outbox-${index + 1}@shop.example>`))
		);
		for (const message of smtp.received) {
			expect(message.envelope_from).toBe('orders@shop.example');
		}

		const unprocessed = await suite.db
			.selectFrom('outbox_event')
			.select('id')
			.where('processed_at', 'is', null)
			.execute();
		expect(unprocessed).toEqual([]);
	});

	test('email shows order lines', async () => {
		const [order_id] = await place_orders(1);
		const lines: string[] = [];

		await run_outbox(suite.db, {
			source: 'test',
			env: smtp_env(),
			time_budget_ms: 10_000,
			log: (line) => lines.push(line)
		});

		expect(smtp.received).toHaveLength(1);
		const { headers, text } = parse_email(smtp.received[0]!.raw);
		expect(headers.get('to')).toBe('Buyer 0 <buyer-0@example.com>');
		expect(headers.get('from')).toBe(MAIL_FROM);
		expect(text).toContain(`We have received order ${order_id}`);
		expect(text).toContain('- Enamel Camp Mug: 1 x £15.00 = £15.00');
		expect(text).toContain('Total: £15.00 (GBP, including tax)');
		expect(smtp.received[0]!.raw).toMatch(/Content-Type: text\/html/i);
	});

	test('run logs one JSON line', async () => {
		await place_orders(3);
		const lines: string[] = [];

		const summary = await run_outbox(suite.db, {
			source: 'test',
			env: smtp_env(),
			batch_size: 2,
			time_budget_ms: 10_000,
			log: (line) => lines.push(line)
		});

		expect(lines).toHaveLength(1);
		const logged = JSON.parse(lines[0]!) as Record<string, unknown>;
		expect(logged).toMatchObject({
			level: 'info',
			event: 'outbox.drain',
			source: 'test',
			batches: 2,
			claimed: 3,
			sent: 3,
			already_delivered: 0,
			failed: 0,
			failures: []
		});
		expect(typeof logged.duration_ms).toBe('number');
		expect(summary.sent).toBe(3);
		expect(smtp.received).toHaveLength(3);
	});

	test('run stops when a batch fails', async () => {
		await place_orders(3);
		const lines: string[] = [];
		await smtp.close();

		try {
			const summary = await run_outbox(suite.db, {
				source: 'test',
				env: smtp_env(),
				batch_size: 2,
				time_budget_ms: 10_000,
				log: (line) => lines.push(line)
			});

			expect(summary.batches).toBe(1);
			expect(summary.failed).toBe(2);
			expect(summary.failures.map((failure) => failure.id)).toEqual([1, 2]);
			expect(summary.failures[0]!.error).toMatch(/ECONNREFUSED|connect/i);
			expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', failed: 2 });
		} finally {
			smtp = await start_smtp_server();
		}
	});

	test('run logs a settings error', async () => {
		const lines: string[] = [];

		await expect(
			run_outbox(suite.db, {
				source: 'test',
				env: { SMTP_URL: smtp.url },
				time_budget_ms: 10_000,
				log: (line) => lines.push(line)
			})
		).rejects.toThrow('MAIL_FROM is not set');

		expect(lines).toHaveLength(1);
		expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', claimed: 0 });
	});

	test('mailbox mode writes one file per order', async () => {
		const order_ids = await place_orders(3);
		const env = { MAILBOX_DIR: mailbox_dir };

		await run_outbox(suite.db, { source: 'test', env, time_budget_ms: 10_000, log: () => {} });

		const files = (await readdir(mailbox_dir)).sort();
		expect(files).toEqual([
			'outbox-1@splitshop.test.eml',
			'outbox-2@splitshop.test.eml',
			'outbox-3@splitshop.test.eml'
		]);
		const messages = await list_mailbox(mailbox_dir);
		expect(messages.map((message) => message.subject).sort()).toEqual(
			order_ids.map((id) => `Splitshop order ${id} confirmed`).sort()
		);
		expect(messages[0]!.text).toContain('Enamel Camp Mug');
		expect(smtp.received).toEqual([]);
	});

	test('mailbox resend overwrites the file', async () => {
		const [order_id] = await place_orders(1);
		const settings = read_mail_settings({ MAILBOX_DIR: mailbox_dir });
		const sender = create_mail_sender(settings);
		const deliver = create_email_deliverer(sender, settings);
		const event = await suite.db.selectFrom('outbox_event').selectAll().executeTakeFirstOrThrow();
		const context = {
			idempotency_key: `outbox-${event.id}`,
			attempt: 1,
			signal: new AbortController().signal
		};

		// A send repeated after a crash, before the delivery was recorded.
		await deliver(event, context);
		await deliver(event, { ...context, attempt: 2 });
		sender.close();

		const files = await readdir(mailbox_dir);
		expect(files).toEqual([`outbox-${event.id}@splitshop.test.eml`]);
		const raw = await readFile(join(mailbox_dir, files[0]!), 'latin1');
		expect(parse_email(raw).headers.get('subject')).toBe(`Splitshop order ${order_id} confirmed`);
	});

	test('drain request needs the secret', async () => {
		await place_orders(1);
		const env = { MAILBOX_DIR: mailbox_dir, OUTBOX_TRIGGER_SECRET: 'trigger-secret-for-tests' };
		const options = { source: 'background', env, time_budget_ms: 10_000, log: () => {} };
		const request = (headers: Record<string, string>) =>
			new Request('http://localhost/.netlify/functions/outbox-drain-background', {
				method: 'POST',
				headers
			});

		const get = await handle_drain_request(
			new Request('http://localhost/.netlify/functions/outbox-drain-background', {
				headers: { [OUTBOX_TRIGGER_HEADER]: 'trigger-secret-for-tests' }
			}),
			suite.db,
			options
		);
		expect(get.status).toBe(405);
		expect(get.headers.get('allow')).toBe('POST');

		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const missing = await handle_drain_request(request({}), suite.db, options);
		const wrong = await handle_drain_request(
			request({ [OUTBOX_TRIGGER_HEADER]: 'trigger-secret-for-tests!' }),
			suite.db,
			options
		);
		const unset = await handle_drain_request(request({ [OUTBOX_TRIGGER_HEADER]: '' }), suite.db, {
			...options,
			env: { MAILBOX_DIR: mailbox_dir }
		});

		const warnings = warn.mock.calls.map((call) => call[0] as string);
		warn.mockRestore();

		expect(missing.status).toBe(401);
		expect(wrong.status).toBe(401);
		expect(unset.status).toBe(401);
		expect(warnings).toEqual([
			'[outbox] rejected a drain request without a valid trigger secret',
			'[outbox] rejected a drain request without a valid trigger secret',
			'[outbox] rejected a drain request: OUTBOX_TRIGGER_SECRET is not set on this function'
		]);
		expect(await readdir(mailbox_dir)).toEqual([]);

		const accepted = await handle_drain_request(
			request({ [OUTBOX_TRIGGER_HEADER]: 'trigger-secret-for-tests' }),
			suite.db,
			options
		);

		expect(accepted.status).toBe(204);
		expect(await readdir(mailbox_dir)).toEqual(['outbox-1@splitshop.test.eml']);
	});

	test('sweep drains and prunes', async () => {
		await place_orders(2);
		const now = new Date();
		const old = new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_MS - 60_000);
		await sql`update idempotency_key set created_at = ${old}`.execute(suite.db);
		const keys = await count_rows(suite.db, 'idempotency_key');
		await suite.db
			.insertInto('rate_limit_counter')
			.values([
				{
					key: 'sweep-test:expired',
					window_start: new Date(now.getTime() - 120_000),
					count: 3,
					expires_at: new Date(now.getTime() - 60_000)
				},
				{
					key: 'sweep-test:live',
					window_start: now,
					count: 1,
					expires_at: new Date(now.getTime() + 60_000)
				}
			])
			.execute();
		const lines: string[] = [];

		const summary = await sweep(
			suite.db,
			{
				source: 'schedule',
				env: { MAILBOX_DIR: mailbox_dir },
				time_budget_ms: 10_000,
				log: (line) => lines.push(line)
			},
			now
		);

		expect(summary.outbox?.sent).toBe(2);
		expect(summary.rate_limit_counters_pruned).toBe(1);
		expect(keys).toBeGreaterThanOrEqual(2);
		expect(summary.idempotency_keys_pruned).toBe(keys);
		const counters = await suite.db
			.selectFrom('rate_limit_counter')
			.select('key')
			.where('key', 'like', 'sweep-test:%')
			.execute();
		expect(counters).toEqual([{ key: 'sweep-test:live' }]);
		expect(await suite.db.selectFrom('idempotency_key').select('key').execute()).toEqual([]);
		expect(lines.map((line) => (JSON.parse(line) as { event: string }).event)).toEqual([
			'outbox.drain',
			'maintenance.prune'
		]);
	});
});
