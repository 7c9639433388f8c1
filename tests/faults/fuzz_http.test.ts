/**
 * Property-based fuzzing of the built app over HTTP: `POST /api/checkout`, the cart form actions,
 * the checkout form action and arbitrary paths. Whatever the body, headers and cookies, the
 * status is below 500 and the app logs no unexpected error. Skipped without a build.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PgBouncer } from '../../scripts/pgbouncer.ts';
import { has_build, start_app_server, type AppServer } from './support/app_server.ts';
import {
	any_text,
	as_field_text,
	checkout_fields,
	quantity_value,
	slug_value,
	tricky_text
} from './support/arbitraries.ts';
import { CHECKOUT_ROUTE } from './support/checkout_client.ts';
import { open_fault_database, start_pooler, type FaultDatabase } from './support/fault_database.ts';
import { create_agent, send, type HttpResponse } from './support/http_client.ts';

/** Printable ASCII, which every HTTP client can put in a header value. */
const header_text = fc.string({
	unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
	maxLength: 60
});
const content_type = fc.oneof(
	fc.constantFrom(
		'application/json',
		'application/x-www-form-urlencoded',
		'multipart/form-data; boundary=x',
		'text/plain'
	),
	header_text
);

let database: FaultDatabase;
let pooler: PgBouncer;
let server: AppServer | null = null;
let agent: ReturnType<typeof create_agent>;
let session_cookie: string;
let slugs: string[];
const counts: string[] = [];

beforeAll(async () => {
	if (!has_build()) return;
	database = await open_fault_database('fuzz_http');
	await database.set_stock(100_000);
	const [user_id] = (await database.create_users(1)) as [number];
	slugs = database.products.map((product) => product.slug);
	pooler = await start_pooler(database.app_url, { pool_size: 5 });
	server = await start_app_server({ database_url: pooler.url, pool_max: 5 });
	session_cookie = await server.session_cookie(user_id);
	agent = create_agent();
});

afterAll(async () => {
	agent?.destroy();
	await server?.stop();
	await pooler?.stop();
	await database?.destroy();
	if (counts.length)
		console.log(`[faults] HTTP fuzzing, status < 500 for every request: ${counts.join(', ')}`);
});

/**
 * Sends one request and checks that its status is below 500. A request that Node refuses to send,
 * for an invalid character in a header or the path, is skipped.
 */
async function send_checked(
	path: string,
	options: Parameters<typeof send>[2]
): Promise<HttpResponse | null> {
	let response: HttpResponse | null;
	try {
		response = await send(server!.origin, path, { ...options, agent });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_')) return fc.pre(false) as never;
		throw error;
	}
	expect(
		response!.status,
		`${options?.method ?? 'GET'} ${path}: ${response!.body.slice(0, 300)}`
	).toBeLessThan(500);
	return response;
}

/** Runs a property, then checks that the app logged no unexpected error meanwhile. */
async function check<Values extends unknown[]>(
	name: string,
	property: fc.IAsyncProperty<Values>,
	runs: number
) {
	await fc.assert(property, { numRuns: runs });
	expect(server!.output.filter((line) => line.includes('"level":"error"'))).toEqual([]);
	counts.push(`${name} ${runs}`);
}

const cart_cookie = fc.oneof(
	fc.constant(''),
	fc
		.array(fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,20}$/), fc.integer({ min: 0, max: 120 })), {
			maxLength: 4
		})
		.map((items) => `cart=${items.map(([slug, quantity]) => `${slug}*${quantity}`).join('.')}`),
	tricky_text.map((text) => `cart=${encodeURIComponent(text)}`)
);

test('POST /api/checkout', async (context) => {
	if (!server) context.skip('needs a build: run npm run build');
	const body = fc.oneof(
		{ weight: 4, arbitrary: checkout_fields(slugs).map((fields) => JSON.stringify(fields)) },
		{ weight: 1, arbitrary: any_text },
		{ weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '{', '"x"', '{"lines":null}') }
	);
	const key = fc.oneof({ weight: 4, arbitrary: fc.uuid() }, { weight: 1, arbitrary: header_text });
	await check(
		'/api/checkout',
		fc.asyncProperty(
			body,
			key,
			content_type,
			fc.boolean(),
			fc.boolean(),
			async (text, idempotency_key, type, signed_in, same_origin) => {
				const headers: Record<string, string> = {
					'content-type': type,
					'idempotency-key': idempotency_key
				};
				if (signed_in) headers.cookie = session_cookie;
				if (same_origin) headers.origin = server!.origin;
				const response = await send_checked(CHECKOUT_ROUTE, {
					method: 'POST',
					headers,
					body: text
				});
				// SvelteKit's own cross-site form check responds in plain text, and the route in JSON.
				if (response!.status >= 400 && response!.headers['content-type'] === 'application/json') {
					const parsed = JSON.parse(response!.body) as { error?: { code?: string }; code?: string };
					expect(parsed.error?.code ?? parsed.code).toMatch(/^[a-z_]+$/);
				}
			}
		),
		300
	);
});

test('cart form actions', async (context) => {
	if (!server) context.skip('needs a build: run npm run build');
	const action = fc.constantFrom('add', 'update', 'remove', 'unknown');
	const field = (arbitrary: fc.Arbitrary<unknown>) =>
		fc.option(arbitrary.map(as_field_text), { nil: undefined });
	await check(
		'cart actions',
		fc.asyncProperty(
			action,
			field(slug_value(slugs)),
			field(quantity_value),
			cart_cookie,
			fc.boolean(),
			async (name, slug, quantity, cookie, enhanced) => {
				const form = new URLSearchParams();
				if (slug !== undefined) form.set('slug', slug);
				if (quantity !== undefined) form.set('quantity', quantity);
				if (enhanced) form.set('enhanced', '1');
				const headers: Record<string, string> = {
					origin: server!.origin,
					'content-type': 'application/x-www-form-urlencoded'
				};
				if (cookie) headers.cookie = cookie;
				if (enhanced) headers['x-sveltekit-action'] = 'true';
				await send_checked(`/us/cart?/${name}`, { method: 'POST', headers, body: form.toString() });
			}
		),
		300
	);
});

test('checkout form action', async (context) => {
	if (!server) context.skip('needs a build: run npm run build');
	const fields = fc.record(
		{
			region: fc.oneof(fc.constantFrom('us', 'uk', 'eu'), tricky_text),
			idempotency_key: fc.oneof(fc.uuid(), tricky_text),
			card_number: fc.oneof(fc.constantFrom('4242 4242 4242 4242', '4000000000000002'), tricky_text)
		},
		{ requiredKeys: [] }
	);
	await check(
		'checkout action',
		fc.asyncProperty(fields, cart_cookie, fc.boolean(), async (values, cookie, signed_in) => {
			const cookies = [cookie, signed_in ? session_cookie : ''].filter(Boolean).join('; ');
			const headers: Record<string, string> = {
				origin: server!.origin,
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true'
			};
			if (cookies) headers.cookie = cookies;
			const body = new URLSearchParams(values as Record<string, string>).toString();
			await send_checked('/checkout', { method: 'POST', headers, body });
		}),
		150
	);
});

test('arbitrary paths', async (context) => {
	if (!server) context.skip('needs a build: run npm run build');
	const segment = fc.oneof(
		fc.constantFrom(
			'us',
			'uk',
			'p',
			'c',
			'cart',
			'api',
			'checkout',
			'account',
			'orders',
			'__data.json',
			...slugs.slice(0, 3)
		),
		tricky_text.map(encodeURIComponent)
	);
	await check(
		'paths',
		fc.asyncProperty(
			fc.array(segment, { maxLength: 5 }),
			fc.constantFrom('GET', 'POST', 'DELETE'),
			fc.boolean(),
			async (parts, method, signed_in) => {
				const headers: Record<string, string> = { origin: server!.origin };
				if (signed_in) headers.cookie = session_cookie;
				await send_checked(`/${parts.join('/')}`, {
					method,
					headers,
					body: method === 'GET' ? undefined : ''
				});
			}
		),
		200
	);
});
