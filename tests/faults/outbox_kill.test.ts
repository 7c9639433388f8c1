/**
 * Outbox drain killed mid-batch: a child process drains order emails to a real SMTP server and
 * is killed with SIGKILL several times, at points chosen by a seeded random generator, before a
 * last drain runs to the end.
 *
 * The guarantee from `outbox.ts`: a delivery is recorded (`email_delivery`) right after the send,
 * and a claimed event with a record is marked without a second send. So an email goes out again
 * only when the process dies after the server accepted it and before the record was committed.
 * The suite checks exactly that: each order's email arrives once, plus once more for every kill
 * that left its accepted send unrecorded. So there are never more duplicates than kills.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PgBouncer } from '../../scripts/pgbouncer.ts';
import { parse_email } from '../../src/lib/server/email/eml.ts';
import { line_for, open_checkout } from './support/checkout_client.ts';
import {
	count_connections,
	open_fault_database,
	start_pooler,
	type FaultDatabase
} from './support/fault_database.ts';

const ORDERS = 25;
const KILLS = 6;
const MAIL_FROM = 'Splitshop Orders <orders@shop.example>';
const DRAIN_SCRIPT = new URL('./support/outbox_drain_child.ts', import.meta.url).pathname;
const CHILD_TIMEOUT_MS = 20_000;
/** Set `FAULTS_SEED` to replay a run; the seed is printed in the summary. */
const SEED = Number(process.env.FAULTS_SEED ?? Date.now() % 2 ** 31);

/** Where a drain gets killed: while the server reads a message, after it accepts one, or on a timer. */
type KillPoint = 'before_accept' | 'after_accept' | 'timer';

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
function seeded_random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

interface Plan {
	point: KillPoint;
	/** For `before_accept` and `after_accept`: the message of this run, from 1, to kill at. */
	message: number;
	/** For `timer`: milliseconds after the run's first accepted message. */
	delay_ms: number;
}

let database: FaultDatabase;
let pooler: PgBouncer;
let smtp: SMTPServer;
let smtp_url: string;
/** Message-IDs in the order the server accepted them. */
const accepted: string[] = [];
let current: { child: ChildProcess; plan: Plan | null; messages: number } | null = null;

function kill_current(): void {
	current?.child.kill('SIGKILL');
}

/** Kills the drain that is running now after `delay_ms`, but not a later one. */
function kill_current_after(delay_ms: number): void {
	const child = current?.child;
	setTimeout(() => child?.kill('SIGKILL'), delay_ms);
}

beforeAll(async () => {
	database = await open_fault_database('outbox_kill');
	await database.set_stock(10_000);
	const users = await database.create_users(ORDERS);
	pooler = await start_pooler(database.app_url, { pool_size: 5 });

	const checkout = open_checkout(null, { database_url: pooler.url });
	try {
		for (const [index, user_id] of users.entries()) {
			const outcome = await checkout.place(
				user_id,
				randomUUID(),
				line_for(database.products, index)
			);
			expect(outcome?.status).toBe(201);
		}
	} finally {
		await checkout.close();
	}

	smtp = new SMTPServer({
		logger: false,
		authOptional: true,
		disableReverseLookup: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, _session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const { headers } = parse_email(Buffer.concat(chunks).toString('latin1'));
				const message_id = headers.get('message-id') ?? '';
				const run = current;
				const number = run ? ++run.messages : 0;
				const plan = run?.plan;

				if (plan?.point === 'before_accept' && number === plan.message) {
					// The sender dies before the server's reply: the message was never accepted.
					kill_current();
					callback(new Error('The sending process was killed before the reply'));
					return;
				}
				accepted.push(message_id);
				callback();
				if (plan?.point === 'after_accept' && number === plan.message) kill_current();
				if (plan?.point === 'timer' && number === 1) kill_current_after(plan.delay_ms);
			});
		}
	});
	// A killed client resets its connection; the server reports that as an error event.
	smtp.on('error', () => undefined);
	await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done));
	smtp_url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	kill_current();
	await new Promise<void>((done) => (smtp ? smtp.close(() => done()) : done()));
	await pooler?.stop();
	await database?.destroy();
});

/** Runs one drain child with `plan` and returns how it ended. */
async function run_drain(
	plan: Plan | null
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
	const child = spawn(process.execPath, [DRAIN_SCRIPT], {
		env: { ...process.env, DATABASE_URL: pooler.url, SMTP_URL: smtp_url, MAIL_FROM },
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	current = { child, plan, messages: 0 };
	const timeout = setTimeout(kill_current, CHILD_TIMEOUT_MS);
	const [code, signal] = await new Promise<[number | null, string | null]>((done) =>
		child.once('exit', (exit_code, exit_signal) => done([exit_code, exit_signal]))
	);
	clearTimeout(timeout);
	current = null;
	return { code, signal, stderr };
}

/**
 * Waits until Postgres has finished the statements of the killed drain. A statement that reached
 * the server before the kill still runs and commits, so the delivery records are read after it.
 */
async function wait_for_idle_server(): Promise<void> {
	let idle_samples = 0;
	for (let tries = 0; idle_samples < 2 && tries < 100; tries++) {
		const { busy } = await count_connections(database.admin, database.name);
		idle_samples = busy === 0 ? idle_samples + 1 : 0;
		await new Promise((wait) => setTimeout(wait, 50));
	}
	expect(idle_samples).toBe(2);
}

/** Returns the event ids whose email the server accepted but whose delivery is not recorded. */
async function accepted_but_unrecorded(): Promise<number[]> {
	await wait_for_idle_server();
	const { rows } = await database.admin.query<{ event_id: number }>(
		'select event_id from email_delivery'
	);
	const recorded = new Set(rows.map((row) => row.event_id));
	return [...new Set(accepted.map(event_id_of))].filter((id) => !recorded.has(id));
}

function event_id_of(message_id: string): number {
	return Number(/^<outbox-(\d+)@shop\.example>$/.exec(message_id)?.[1] ?? NaN);
}

test('killed drains deliver each email within the window', async () => {
	const random = seeded_random(SEED);
	const points: KillPoint[] = ['before_accept', 'after_accept', 'timer'];
	const started = performance.now();

	// Extra copies expected per event, and the events whose resend a later drain still owes.
	const expected_extra = new Map<number, number>();
	const owed = new Set<number>();
	const kills: KillPoint[] = [];

	for (let run = 0; run < KILLS; run++) {
		const plan: Plan = {
			point: points[Math.floor(random() * points.length)]!,
			message: 1 + Math.floor(random() * 6),
			delay_ms: Math.floor(random() * 40)
		};
		const before = accepted.length;
		const ended = await run_drain(plan);
		expect({ run, plan, signal: ended.signal, stderr: ended.signal ? '' : ended.stderr }).toEqual({
			run,
			plan,
			signal: 'SIGKILL',
			stderr: ''
		});
		kills.push(plan.point);

		// A resend that went out in this run settles what an earlier kill owed.
		for (const message_id of accepted.slice(before)) owed.delete(event_id_of(message_id));
		for (const event_id of await accepted_but_unrecorded()) {
			if (owed.has(event_id)) continue;
			owed.add(event_id);
			expected_extra.set(event_id, (expected_extra.get(event_id) ?? 0) + 1);
		}
		// The killed drain's lease would run out later; the next drain must not wait for it.
		await database.admin.query(
			'update outbox_event set available_at = now() where processed_at is null'
		);
	}

	const last = await run_drain(null);
	expect({ code: last.code, stderr: last.stderr }).toEqual({ code: 0, stderr: '' });
	const elapsed_s = (performance.now() - started) / 1000;

	const { rows: events } = await database.admin.query<{ id: number; processed: boolean }>(
		'select id, processed_at is not null as processed from outbox_event order by id'
	);
	expect(events).toHaveLength(ORDERS);
	expect(events.filter((event) => !event.processed)).toEqual([]);
	const { rows: recorded } = await database.admin.query('select event_id from email_delivery');
	expect(recorded).toHaveLength(ORDERS);

	const received = new Map<number, number>();
	for (const message_id of accepted) {
		const event_id = event_id_of(message_id);
		received.set(event_id, (received.get(event_id) ?? 0) + 1);
	}
	expect([...received.keys()].sort((a, b) => a - b)).toEqual(events.map((event) => event.id));
	for (const event of events) {
		const expected = 1 + (expected_extra.get(event.id) ?? 0);
		expect({ event: event.id, received: received.get(event.id) }).toEqual({
			event: event.id,
			received: expected
		});
	}
	const duplicates = accepted.length - ORDERS;
	expect(duplicates).toBeLessThanOrEqual(kills.length);

	const by_point = points.map(
		(point) => `${kills.filter((kill) => kill === point).length} ${point}`
	);
	console.log(
		`[faults] outbox drain killed (seed ${SEED}): ${kills.length} SIGKILLs (${by_point.join(', ')}), ` +
			`${ORDERS} orders, ${accepted.length} emails accepted, ${duplicates} duplicates, each ` +
			`inside the send-to-record window; every email delivered, ${elapsed_s.toFixed(1)} s`
	);
});
