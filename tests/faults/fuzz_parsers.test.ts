/**
 * Property-based fuzzing of the code that reads client input: checkout requests and JSON bodies,
 * the cart cookie and form fields, the edge's cookie reader, guard and pipeline, and session
 * tokens. Each property holds for every generated input: a valid result or a 4xx naming the
 * field, never an unexpected exception or a 5xx. fast-check prints the seed of a failing run.
 */
import fc from 'fast-check';
import { decode as decode_base64url } from 'jose/base64url';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { read_cookie } from '../../src/lib/edge/cookies.ts';
import { DEFAULT_FLAGS } from '../../src/lib/edge/flags.ts';
import { check_request } from '../../src/lib/edge/guard.ts';
import { handle_request, type EdgeDeps } from '../../src/lib/edge/pipeline.ts';
import { ClientRateLimits } from '../../src/lib/edge/rate_limiter.ts';
import { SessionVerifier } from '../../src/lib/edge/session.ts';
import {
	add_item,
	MAX_LINES,
	MAX_QUANTITY,
	parse_cart,
	parse_quantity,
	serialize_cart
} from '../../src/lib/server/cart.ts';
import { place_order } from '../../src/lib/server/commerce/checkout.ts';
import {
	IDEMPOTENCY_KEY_PATTERN,
	MAX_LINES as MAX_CHECKOUT_LINES,
	MAX_QUANTITY as MAX_CHECKOUT_QUANTITY,
	parse_checkout_request,
	SLUG_PATTERN
} from '../../src/lib/server/commerce/checkout_request.ts';
import { ValidationError, type ErrorBody } from '../../src/lib/server/commerce/errors.ts';
import { TEST_PAYMENT_PROVIDER } from '../../src/lib/server/commerce/payment.ts';
import { create_db, read_database_settings } from '../../src/lib/server/db/connect.ts';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { read_json_body } from '../../src/lib/server/json_body.ts';
import { load_session_keyring, type SessionKeyring } from '../../src/lib/shared/session/keys.ts';
import { SESSION_COOKIE } from '../../src/lib/shared/session/policy.ts';
import { sign_session_token } from '../../src/lib/shared/session/sign.ts';
import { verify_session_token } from '../../src/lib/shared/session/verify.ts';
import {
	any_text,
	as_field_text,
	checkout_fields,
	quantity_value,
	tricky_text
} from './support/arbitraries.ts';
import { open_fault_database, type FaultDatabase } from './support/fault_database.ts';

const FIELD_PATH = /^(region|idempotency_key|card_number|lines(\[\d+\](\.(slug|quantity))?)?)$/;
const SESSION_SECRETS = { current: 'fuzz-session-secret-0123456789abcdef0123' };
const runs: string[] = [];

/** Runs a property and records its run count for the summary line. */
async function check<T>(
	name: string,
	property: fc.IAsyncProperty<T> | fc.IProperty<T>,
	num_runs: number
) {
	await fc.assert(property, { numRuns: num_runs });
	runs.push(`${name} ${num_runs}`);
}

afterAll(() => {
	console.log(`[faults] fuzzing, runs per property: ${runs.join(', ')}`);
});

describe('checkout input', () => {
	let database: FaultDatabase;
	let db: Kysely<Database>;
	let user_id: number;
	let slugs: string[];

	beforeAll(async () => {
		database = await open_fault_database('fuzz');
		await database.set_stock(100_000);
		[user_id] = (await database.create_users(1)) as [number];
		slugs = database.products.map((product) => product.slug);
		db = create_db(
			read_database_settings({ DATABASE_URL: database.app_url, DATABASE_POOL_MAX: '2' })
		);
	});

	afterAll(async () => {
		await db?.destroy();
		await database?.destroy();
	});

	test('checkout request parser', async () => {
		await check(
			'parse_checkout_request',
			fc.property(checkout_fields(slugs), (fields) => {
				let request;
				try {
					request = parse_checkout_request({ user_id, ...fields });
				} catch (error) {
					expect(error).toBeInstanceOf(ValidationError);
					expect((error as ValidationError).status).toBe(400);
					expect((error as ValidationError).field).toMatch(FIELD_PATH);
					return;
				}
				expect(['us', 'uk', 'eu']).toContain(request.region);
				expect(request.idempotency_key).toMatch(IDEMPOTENCY_KEY_PATTERN);
				expect(request.lines.length).toBeGreaterThan(0);
				expect(request.lines.length).toBeLessThanOrEqual(MAX_CHECKOUT_LINES);
				expect(new Set(request.lines.map((line) => line.slug)).size).toBe(request.lines.length);
				for (const line of request.lines) {
					expect(line.slug).toMatch(SLUG_PATTERN);
					expect(Number.isInteger(line.quantity)).toBe(true);
					expect(line.quantity).toBeGreaterThanOrEqual(1);
					expect(line.quantity).toBeLessThanOrEqual(MAX_CHECKOUT_QUANTITY);
				}
			}),
			2000
		);
	});

	test('place_order with fuzzed input', async () => {
		let created = 0;
		await check(
			'place_order',
			fc.asyncProperty(checkout_fields(slugs), async ({ card, ...fields }) => {
				const result = await place_order(
					db,
					{ user_id, ...fields },
					{ provider: TEST_PAYMENT_PROVIDER, card_number: card }
				);
				if (result.status === 201) {
					created++;
					return;
				}
				expect([400, 402, 409, 422]).toContain(result.status);
				const { error } = result.body as ErrorBody;
				expect(error.code).toMatch(/^[a-z_]+$/);
				if (result.status === 400) expect(error.field).toMatch(FIELD_PATH);
			}),
			300
		);
		// The generators are meant to reach the success path too, not only the rejections.
		expect(created).toBeGreaterThan(0);
		runs.push(`(${created} of the place_order runs placed an order)`);
	});

	test('JSON body reader', async () => {
		const content_type = fc.oneof(
			fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'),
			fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'),
			tricky_text
		);
		const body = fc.oneof(
			checkout_fields(['linen-apron']).map((fields) =>
				new TextEncoder().encode(JSON.stringify(fields))
			),
			any_text.map((text) => new TextEncoder().encode(text)),
			fc.uint8Array({ maxLength: 64 }),
			fc
				.integer({ min: 16 * 1024 - 2, max: 16 * 1024 + 2 })
				.map((size) => new Uint8Array(size).fill(32))
		);
		await check(
			'read_json_body',
			fc.asyncProperty(content_type, body, async (type, bytes) => {
				const headers: Record<string, string> = {};
				if (!/[\0\r\n]/.test(type)) headers['content-type'] = type;
				let request: Request;
				try {
					request = new Request('https://shop.example/api/checkout', {
						method: 'POST',
						headers,
						body: bytes
					});
				} catch {
					return fc.pre(false);
				}
				const result = await read_json_body(request);
				if (result.ok) return;
				expect([400, 413, 415]).toContain(result.result.status);
				expect(result.result.body.error.field).toMatch(/^(body|content-type)$/);
			}),
			400
		);
	});
});

describe('cart cookie and form fields', () => {
	const slug = fc.stringMatching(/^[a-z0-9-]{1,66}$/);
	const item_text = fc.oneof(
		fc
			.tuple(slug, fc.integer({ min: -2, max: 150 }))
			.map(([name, quantity]) => `${name}*${quantity}`),
		tricky_text
	);
	const cookie_value = fc.oneof(
		fc.array(item_text, { maxLength: 55 }).map((items) => items.join('.')),
		any_text,
		tricky_text
	);

	test('cart cookie parser', async () => {
		await check(
			'parse_cart',
			fc.property(cookie_value, (value) => {
				const items = parse_cart(value);
				expect(items.length).toBeLessThanOrEqual(MAX_LINES);
				expect(new Set(items.map((item) => item.slug)).size).toBe(items.length);
				for (const item of items) {
					expect(item.slug).toMatch(/^[a-z0-9-]{1,64}$/);
					expect(Number.isInteger(item.quantity)).toBe(true);
					expect(item.quantity).toBeGreaterThanOrEqual(1);
					expect(item.quantity).toBeLessThanOrEqual(MAX_QUANTITY);
				}
				// What the parser accepts, the writer writes back to the same cart.
				expect(parse_cart(serialize_cart(items))).toEqual(items);
			}),
			2000
		);
	});

	test('quantity field and add_item', async () => {
		const field = fc.oneof(quantity_value.map(as_field_text), tricky_text, any_text);
		await check(
			'parse_quantity',
			fc.property(
				field,
				fc.array(fc.tuple(slug, fc.integer({ min: 1, max: 99 })), { maxLength: 52 }),
				(raw, pairs) => {
					const quantity = parse_quantity(raw);
					if (quantity === undefined) return;
					expect(Number.isInteger(quantity)).toBe(true);
					expect(quantity).toBeGreaterThanOrEqual(1);
					expect(quantity).toBeLessThanOrEqual(MAX_QUANTITY);
					expect(quantity).toBe(Number(raw.trim()));

					const items = parse_cart(
						pairs.map(([name, count]) => `${name.slice(0, 64)}*${count}`).join('.')
					);
					const result = add_item(items, 'linen-apron', quantity);
					if (!result.ok) return;
					expect(result.items.length).toBeLessThanOrEqual(MAX_LINES);
					expect(result.quantity).toBeLessThanOrEqual(MAX_QUANTITY);
					expect(() => serialize_cart(result.items)).not.toThrow();
				}
			),
			2000
		);
	});
});

describe('edge input', () => {
	const SITE = 'https://shop.example';
	let keyring: SessionKeyring;
	let valid_token: string;

	beforeAll(async () => {
		keyring = await load_session_keyring(SESSION_SECRETS);
		({ token: valid_token } = await sign_session_token(
			{ user_id: '42', role: 'customer' },
			keyring
		));
	});

	test('cookie reader', async () => {
		const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
		const value = fc.string({
			unit: fc.constantFrom('a', '0', '=', ' ', '"', ',', '*', '.', 'é'),
			maxLength: 12
		});
		await check(
			'read_cookie',
			fc.property(
				fc.array(fc.tuple(name, value), { maxLength: 8 }),
				name,
				any_text,
				(pairs, wanted, noise) => {
					// Model: the first pair whose name matches, value trimmed, in a well-formed header.
					const header = pairs.map(([key, text]) => `${key}=${text}`).join('; ');
					const first = pairs.find(([key]) => key === wanted);
					expect(read_cookie(header, wanted)).toBe(first ? first[1].trim() : null);

					// Any header at all: a string without `;`, or null, and no exception.
					const found = read_cookie(`${noise}; ${header}`, wanted);
					expect(found === null || !found.includes(';')).toBe(true);
				}
			),
			2000
		);
	});

	test('session token verifier', async () => {
		const now = Date.now();
		const verifier = new SessionVerifier(0);
		const mutated = fc.oneof(
			any_text,
			tricky_text,
			fc.nat({ max: valid_token.length - 1 }).map((length) => valid_token.slice(0, length)),
			fc
				.tuple(fc.nat({ max: valid_token.length - 1 }), fc.integer({ min: 0, max: 6 }))
				.map(
					([at, bit]) =>
						valid_token.slice(0, at) +
						String.fromCharCode(valid_token.charCodeAt(at) ^ (1 << bit)) +
						valid_token.slice(at + 1)
				)
		);
		await check(
			'verify_session_token',
			fc.asyncProperty(mutated, async (token) => {
				const result = await verify_session_token(token, keyring, now);
				if (result.ok) {
					// Only a change that decodes to the same bytes may still verify, such as a flip in
					// the unused low bits of a segment's last base64url character.
					expect(decoded_segments(token)).toEqual(decoded_segments(valid_token));
				} else {
					expect(['malformed', 'claims', 'expired']).toContain(result.failure);
				}

				const state = await verifier.read(
					`theme=dark; ${SESSION_COOKIE}=${token}`,
					keyring,
					new Set(),
					now
				);
				expect(state.session === null).toBe(!result.ok);
			}),
			1500
		);
	});

	test('edge guard and pipeline', async () => {
		const segment = fc.oneof(
			fc.constantFrom(
				'us',
				'p',
				'c',
				'cart',
				'api',
				'checkout',
				'account',
				'..',
				'.',
				'%2e%2e',
				'%252e',
				'%2f',
				'%00',
				'%c0%ae',
				'wp-admin',
				'x.php',
				'__data.json',
				''
			),
			tricky_text.map(encodeURIComponent),
			tricky_text
		);
		const path = fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`);
		const method = fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'PROPFIND', 'TRACE');
		const headers = fc.record(
			{
				origin: fc.constantFrom(SITE, 'https://evil.example', 'null'),
				'content-type': fc.constantFrom('application/json', 'text/plain', 'multipart/form-data'),
				cookie: tricky_text
			},
			{ requiredKeys: [] }
		);
		const deps: EdgeDeps = {
			secrets: { session: SESSION_SECRETS, identity: 'fuzz-identity-secret-0123456789abcdef0123' },
			flags: { get: () => DEFAULT_FLAGS },
			revoked_sessions: { get: () => new Set<string>() },
			limits: new ClientRateLimits(
				{ limit: 1e9, window_ms: 60_000 },
				{ limit: 1e9, window_ms: 60_000 }
			),
			sessions: new SessionVerifier(),
			now: Date.now
		};
		const context = { ip: '203.0.113.9', country: 'DE', next: async () => new Response('origin') };

		await check(
			'check_request and handle_request',
			fc.asyncProperty(method, path, headers, async (verb, target, fields) => {
				let request: Request;
				try {
					request = new Request(SITE + target, { method: verb, headers: fields });
				} catch {
					return fc.pre(false);
				}
				const rejection = check_request(verb, request.url, request.headers);
				if (rejection) expect([400, 403, 404, 405, 414, 431]).toContain(rejection.status);

				const response = await handle_request(request, context, deps);
				expect(response.status).toBeLessThan(500);
				if (rejection) expect(response.status).toBe(rejection.status);
			}),
			1500
		);
	});
});

/** Decodes the three base64url segments of a token, or returns null when one does not decode. */
function decoded_segments(token: string): number[][] | null {
	try {
		return token.split('.').map((segment) => [...decode_base64url(segment)]);
	} catch {
		return null;
	}
}
