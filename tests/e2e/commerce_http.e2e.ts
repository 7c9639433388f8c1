import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { create_db, read_database_settings } from '../../src/lib/server/db/connect.ts';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { IDENTITY_HEADERS } from '../../src/lib/shared/identity.ts';
import { load_session_keyring } from '../../src/lib/shared/session/keys.ts';
import { SESSION_COOKIE } from '../../src/lib/shared/session/policy.ts';
import { DEVELOPMENT_SECRETS } from '../../src/lib/shared/session/secrets.ts';
import { sign_session_token } from '../../src/lib/shared/session/sign.ts';
import {
	count_rows,
	insert_user,
	set_stock,
	stock_of,
	type CommerceTable
} from '../integration/commerce_fixtures.ts';
import { call_function, SITE_ORIGIN } from './direct_function.ts';

// HTTP statuses of the account, checkout and order routes, through the edge on the preview
// stack (`request`) and, where a case must also hold without the edge, by calling the built
// function directly. The preview runs without secrets, so tokens signed here with the public
// development secret are valid there.

const APPROVED = '4242 4242 4242 4242';
const PRODUCT = 'walnut-serving-board';
const TABLES: CommerceTable[] = [
	'customer_order',
	'order_item',
	'idempotency_key',
	'payment_audit'
];

let db: Kysely<Database>;
let buyer: number;
let cookie: string;

test.beforeAll(async () => {
	db = create_db(read_database_settings(process.env));
	buyer = await insert_user(db, { name: 'HTTP Buyer' });
	cookie = await session_cookie_for(buyer);
	await set_stock(db, PRODUCT, 500);
});

test.afterAll(async () => {
	await db.destroy();
});

async function session_cookie_for(user_id: number, now_ms = Date.now(), ttl_s?: number) {
	const keyring = await load_session_keyring(DEVELOPMENT_SECRETS.session);
	const signed = await sign_session_token(
		{ user_id: String(user_id), role: 'customer', now_ms, ttl_s },
		keyring
	);
	return `${SESSION_COOKIE}=${signed.token}`;
}

/** Row counts of the buyer's commerce rows plus every outbox event, to show nothing was written. */
async function written() {
	const counts: Record<string, number> = {};
	for (const table of TABLES) {
		counts[table] = await count_rows(db, table, table === 'order_item' ? undefined : buyer);
	}
	counts.outbox_event = await count_rows(db, 'outbox_event');
	return counts;
}

function post_checkout(
	request: APIRequestContext,
	body: unknown,
	options: { key?: string | null; headers?: Record<string, string> } = {}
): Promise<APIResponse> {
	const headers: Record<string, string> = {
		cookie,
		'content-type': 'application/json',
		...options.headers
	};
	if (options.key !== null) headers['idempotency-key'] = options.key ?? randomUUID();
	return request.post('/api/checkout', {
		headers,
		data: typeof body === 'string' ? body : JSON.stringify(body),
		maxRedirects: 0
	});
}

async function error_of(response: APIResponse) {
	return ((await response.json()) as { error: { code: string; field?: string } }).error;
}

test.describe('expired session', () => {
	test('redirects to login and clears cookie', async ({ request }) => {
		const expired = await session_cookie_for(buyer, Date.now() - 2 * 3600_000, 3600);
		const response = await request.get('/account', {
			headers: { cookie: expired },
			maxRedirects: 0
		});

		expect([302, 303]).toContain(response.status());
		expect(response.headers()['location']).toBe('/login?next=%2Faccount');
		const cleared = response
			.headersArray()
			.filter((header) => header.name.toLowerCase() === 'set-cookie')
			.map((header) => header.value)
			.find((value) => value.startsWith(`${SESSION_COOKIE}=`));
		expect(cleared).toMatch(/^__Host-session=;/);
		expect(cleared).toContain('Max-Age=0');
	});

	test('following the redirect ends on login', async ({ page, context }) => {
		const expired = await session_cookie_for(buyer, Date.now() - 2 * 3600_000, 3600);
		const [name, value] = expired.split('=') as [string, string];
		await context.addCookies([
			{ name, value, domain: 'localhost', path: '/', secure: true, httpOnly: true }
		]);

		const response = await page.goto('/account');

		expect(response?.status()).toBe(200);
		expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(
			'/login?next=%2Faccount'
		);
		await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
		const cookies = await context.cookies();
		expect(cookies.find((stored) => stored.name === SESSION_COOKIE)).toBeUndefined();
	});

	test('function alone redirects too', async () => {
		const expired = await session_cookie_for(buyer, Date.now() - 2 * 3600_000, 3600);
		const response = await call_function('/account', { headers: { cookie: expired } });

		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toBe('/login?next=%2Faccount');
		const cleared = response.headers
			.getSetCookie()
			.find((value) => value.startsWith(`${SESSION_COOKIE}=`));
		expect(cleared).toContain('Max-Age=0');
	});
});

test.describe('cross-site form posts', () => {
	const evil = [
		{ type: 'application/x-www-form-urlencoded', body: 'card_number=4242424242424242' },
		{ type: 'TEXT/PLAIN;charset=UTF-8', body: 'card_number=4242424242424242' }
	];

	for (const { type, body } of evil) {
		test(`edge rejects ${type}`, async ({ request }) => {
			const before = await written();
			const response = await request.post('/checkout', {
				headers: { cookie, origin: 'https://evil.example', 'content-type': type },
				data: body,
				maxRedirects: 0
			});

			expect(response.status()).toBe(403);
			expect(await written()).toEqual(before);
		});

		test(`function rejects ${type}`, async () => {
			const before = await written();
			const response = await call_function('/checkout', {
				method: 'POST',
				headers: { cookie, origin: 'https://evil.example', 'content-type': type },
				body
			});

			expect(response.status).toBe(403);
			expect(await written()).toEqual(before);
		});
	}

	test('function rejects evil login post', async () => {
		const counters = () => db.selectFrom('rate_limit_counter').select('key').execute();
		const before = await counters();
		const response = await call_function('/login', {
			method: 'POST',
			headers: {
				origin: 'https://evil.example',
				'content-type': 'TEXT/PLAIN;charset=UTF-8'
			},
			body: 'email=customer@splitshop.example'
		});

		expect(response.status).toBe(403);
		expect(await counters()).toEqual(before);
	});
});

test.describe('spoofed identity headers', () => {
	const spoofed: Record<string, string> = { 'x-user-id': '1' };
	for (const name of Object.values(IDENTITY_HEADERS)) {
		spoofed[name] = name.endsWith('role') ? 'admin' : '1';
	}

	test('edge answers 401', async ({ request }) => {
		const response = await request.get('/api/orders', { headers: spoofed });
		expect(response.status()).toBe(401);
		expect((await response.json()).code).toBe('unauthenticated');
	});

	test('function answers 401', async () => {
		const response = await call_function('/api/orders', { headers: spoofed });
		expect(response.status).toBe(401);
		expect((await response.json()).code).toBe('unauthenticated');
	});
});

test.describe('orders API', () => {
	test('lists only own orders', async ({ request }) => {
		const response = await request.get('/api/orders', { headers: { cookie } });
		expect(response.status()).toBe(200);
		expect(response.headers()['cache-control']).toBe('private, no-store');
		const { orders } = await response.json();
		const own = await count_rows(db, 'customer_order', buyer);
		expect(orders).toHaveLength(own);
	});
});

test.describe('checkout API', () => {
	const cart = { region: 'us', lines: [{ slug: PRODUCT, quantity: 1 }], card: APPROVED };

	test('401 without a session', async ({ request }) => {
		const response = await request.post('/api/checkout', {
			headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
			data: JSON.stringify(cart)
		});
		expect(response.status()).toBe(401);
		expect((await response.json()).code).toBe('unauthenticated');
	});

	test('places an order and replays it', async ({ request }) => {
		const key = randomUUID();
		const before = await stock_of(db, PRODUCT);

		const first = await post_checkout(request, { ...cart, total: 1 }, { key });
		const replay = await post_checkout(request, { ...cart, total: 1 }, { key });

		expect(first.status()).toBe(201);
		const body = await first.json();
		expect(body.order.items).toEqual([
			expect.objectContaining({ slug: PRODUCT, quantity: 1, line_total: body.order.total })
		]);
		expect(body.order.total).toBeGreaterThan(1);
		expect(replay.status()).toBe(201);
		expect(replay.headers()['idempotent-replayed']).toBe('true');
		expect(await replay.text()).toBe(await first.text());
		expect(await stock_of(db, PRODUCT)).toBe(before - 1);
	});

	test('422 for a reused key', async ({ request }) => {
		const key = randomUUID();
		expect((await post_checkout(request, cart, { key })).status()).toBe(201);
		const before = await written();

		const other = { ...cart, lines: [{ slug: PRODUCT, quantity: 2 }] };
		const response = await post_checkout(request, other, { key });

		expect(response.status()).toBe(422);
		expect(await error_of(response)).toMatchObject({
			code: 'idempotency_key_reused',
			field: 'idempotency_key'
		});
		expect(await written()).toEqual(before);
	});

	test('409 names the product', async ({ request }) => {
		await set_stock(db, 'glass-carafe', 1);
		const before = await written();

		const response = await post_checkout(request, {
			...cart,
			lines: [
				{ slug: PRODUCT, quantity: 1 },
				{ slug: 'glass-carafe', quantity: 2 }
			]
		});

		expect(response.status()).toBe(409);
		const error = (await response.json()).error;
		expect(error.code).toBe('out_of_stock');
		expect(error.field).toBe('lines[1].quantity');
		expect(error.details).toMatchObject({ slug: 'glass-carafe', available: 1, requested: 2 });
		expect(await written()).toEqual(before);
		expect(await stock_of(db, 'glass-carafe')).toBe(1);
	});

	test('402 writes only an audit row', async ({ request }) => {
		const before = await written();
		const response = await post_checkout(request, { ...cart, card: '4000 0000 0000 0002' });

		expect(response.status()).toBe(402);
		expect(await error_of(response)).toMatchObject({ code: 'payment_declined', field: 'card' });
		expect(await written()).toEqual({ ...before, payment_audit: before.payment_audit! + 1 });
	});

	const bad_inputs: { name: string; body: unknown; key?: string | null; field: string }[] = [
		{ name: 'missing key', body: cart, key: null, field: 'idempotency_key' },
		{ name: 'short key', body: cart, key: 'abc', field: 'idempotency_key' },
		{ name: 'missing region', body: { ...cart, region: undefined }, field: 'region' },
		{ name: 'unknown region', body: { ...cart, region: 'mars' }, field: 'region' },
		{ name: 'missing lines', body: { ...cart, lines: undefined }, field: 'lines' },
		{ name: 'empty lines', body: { ...cart, lines: [] }, field: 'lines' },
		...[0, -1, 1.5, 1000, '2', null].map((quantity) => ({
			name: `quantity ${JSON.stringify(quantity)}`,
			body: { ...cart, lines: [{ slug: PRODUCT, quantity }] },
			field: 'lines[0].quantity'
		})),
		{
			name: 'unknown product',
			body: { ...cart, lines: [{ slug: 'no-such-product', quantity: 1 }] },
			field: 'lines[0].slug'
		},
		{ name: 'missing card', body: { ...cart, card: undefined }, field: 'card' },
		{ name: 'invalid card', body: { ...cart, card: '4242 4242 4242 4241' }, field: 'card' },
		{ name: 'malformed JSON', body: '{"region": "us", "lines": [', field: 'body' },
		{ name: 'array body', body: '[]', field: 'body' }
	];

	for (const { name, body, key, field } of bad_inputs) {
		test(`400 for ${name}`, async ({ request }) => {
			const before = await written();
			const response = await post_checkout(request, body, { key });

			expect(response.status()).toBe(400);
			expect((await error_of(response)).field).toBe(field);
			expect(await written()).toEqual(before);
		});
	}

	test('413 for an oversized body', async ({ request }) => {
		const before = await written();
		const padding = 'x'.repeat(17 * 1024);
		const response = await post_checkout(request, { ...cart, padding });

		expect(response.status()).toBe(413);
		expect((await error_of(response)).field).toBe('body');
		expect(await written()).toEqual(before);
	});

	test('415 for another content type', async () => {
		const response = await call_function('/api/checkout', {
			method: 'POST',
			headers: {
				cookie,
				origin: SITE_ORIGIN,
				'content-type': 'application/xml',
				'idempotency-key': randomUUID()
			},
			body: '<cart/>'
		});

		expect(response.status).toBe(415);
		expect((await error_of_response(response)).field).toBe('content-type');
	});
});

test.describe('live stock', () => {
	test('returns stock with cache tags', async () => {
		await set_stock(db, 'olive-wood-spoon', 4);
		const response = await call_function('/api/stock/olive-wood-spoon');

		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			slug: 'olive-wood-spoon',
			stock: 4,
			kind: 'low',
			label: 'Only 4 left'
		});
		expect(response.headers.get('netlify-cdn-cache-control')).toBe(
			'public, max-age=10, stale-while-revalidate=60'
		);
		expect(response.headers.get('netlify-cache-tag')).toBe('stock, stock:olive-wood-spoon');
		expect(response.headers.get('cache-tag')).toBe('stock, stock:olive-wood-spoon');
		expect(response.headers.getSetCookie()).toEqual([]);
	});

	test('404 names the product', async ({ request }) => {
		const through_edge = await request.get('/api/stock/no-such-product');
		const unknown = await call_function('/api/stock/no-such-product');
		const malformed = await call_function('/api/stock/Not_A_Slug');

		// netlify-cli replaces a function's 404 body with the site's 404 page, so the JSON body
		// is read from the function itself.
		expect(through_edge.status()).toBe(404);
		expect(unknown.status).toBe(404);
		expect((await unknown.json()).error).toMatchObject({
			code: 'unknown_product',
			field: 'product'
		});
		expect(malformed.status).toBe(404);
		expect((await malformed.json()).error).toMatchObject({
			code: 'invalid_input',
			field: 'product'
		});
	});

	test('product page shows live stock', async ({ page }) => {
		await set_stock(db, 'olive-wood-spoon', 2);
		await page.goto('/us/p/olive-wood-spoon');
		await expect(page.locator('[data-live-stock] [data-stock-label]')).toHaveText('Only 2 left');

		await set_stock(db, 'olive-wood-spoon', 0);
		await page.reload();
		await expect(page.locator('[data-live-stock] [data-stock-label]')).toHaveText('Out of stock');
		await expect(page.getByRole('button', { name: /add to cart/i })).toBeDisabled();
		await set_stock(db, 'olive-wood-spoon', 40);
	});
});

test.describe('order pages', () => {
	test("another user's order is a 404", async ({ request }) => {
		const stranger = await insert_user(db, { name: 'Stranger' });
		const order = await post_checkout(request, {
			region: 'us',
			lines: [{ slug: PRODUCT, quantity: 1 }],
			card: APPROVED
		});
		const { order: placed } = await order.json();
		const stranger_cookie = await session_cookie_for(stranger);

		const page = await request.get(`/account/orders/${placed.id}`, {
			headers: { cookie: stranger_cookie }
		});
		const invoice = await request.get(`/account/orders/${placed.id}/invoice.pdf`, {
			headers: { cookie: stranger_cookie }
		});
		const own = await request.get(`/account/orders/${placed.id}/invoice.pdf`, {
			headers: { cookie }
		});

		expect(page.status()).toBe(404);
		expect(invoice.status()).toBe(404);
		expect(own.status()).toBe(200);
	});

	test('non-numeric order id is a 404', async ({ request }) => {
		const response = await request.get('/account/orders/1e3', { headers: { cookie } });
		expect(response.status()).toBe(404);
	});
});

async function error_of_response(response: Response) {
	return ((await response.json()) as { error: { field?: string } }).error;
}

test.describe('region switcher', () => {
	test('415 for a JSON body', async () => {
		const response = await call_function('/region', {
			method: 'POST',
			headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' },
			body: '{"region":"uk"}'
		});

		expect(response.status).toBe(415);
	});
});

test.describe('sign-in redirect', () => {
	test('keeps a signed-in visitor on site', async () => {
		const response = await call_function('/login?next=%2F.%2F%2Fevil.example', {
			headers: { cookie }
		});

		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
	});
});
