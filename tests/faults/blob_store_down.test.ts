/**
 * Blob store unavailable: the edge pipeline runs with a Netlify Blobs store that throws, rejects
 * or never responds, in front of the built app. The edge must fall back to the built-in flags and
 * an empty revocation list, and catalog pages and checkout must respond as with a healthy store.
 * Without a build, a stub origin replaces the app, so only the edge's decisions are checked.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PgBouncer } from '../../scripts/pgbouncer.ts';
import { DEFAULT_FLAGS, FLAG_KEY, type FlagDocument } from '../../src/lib/edge/flags.ts';
import { handle_request, type EdgeContext, type EdgeDeps } from '../../src/lib/edge/pipeline.ts';
import { ClientRateLimits } from '../../src/lib/edge/rate_limiter.ts';
import { SessionVerifier } from '../../src/lib/edge/session.ts';
import { create_store_caches, type GetStore } from '../../src/lib/edge/stores.ts';
import { load_session_keyring } from '../../src/lib/shared/session/keys.ts';
import { SESSION_COOKIE } from '../../src/lib/shared/session/policy.ts';
import type { Secrets } from '../../src/lib/shared/session/secrets.ts';
import { sign_session_token } from '../../src/lib/shared/session/sign.ts';
import { has_build, start_app_server, type AppServer } from './support/app_server.ts';
import { APPROVED_CARD, CHECKOUT_ROUTE, serves_checkout } from './support/checkout_client.ts';
import { open_fault_database, start_pooler, type FaultDatabase } from './support/fault_database.ts';

const SITE = 'https://shop.example';
/** The edge waits this long for an isolate's first store read (`STORE_TIMEOUT_MS` in stores.ts). */
const STORE_TIMEOUT_MS = 1_000;

type StoreMode = 'healthy' | 'checkout_off' | 'throws' | 'rejects' | 'hangs';

/** Creates a `getStore` whose stores fail in the way `mode` names, or work. */
function store_factory(mode: StoreMode): GetStore {
	const flags: FlagDocument = {
		...DEFAULT_FLAGS,
		features: { ...DEFAULT_FLAGS.features, checkout: mode !== 'checkout_off' }
	};
	const settle = <T>(value: T): Promise<T> => {
		if (mode === 'rejects') return Promise.reject(new Error('fetch failed: ECONNREFUSED'));
		if (mode === 'hangs') return new Promise<T>(() => undefined);
		return Promise.resolve(value);
	};
	return () => {
		if (mode === 'throws') {
			throw new Error('The environment has not been configured to use Netlify Blobs.');
		}
		return {
			get: (key) => settle(key === FLAG_KEY ? flags : null),
			list: () => settle({ blobs: [] })
		};
	};
}

let database: FaultDatabase;
let pooler: PgBouncer;
let server: AppServer | null = null;
let secrets: Secrets;
let user_id: number;
let category: string;

beforeAll(async () => {
	database = await open_fault_database('blob_store');
	await database.set_stock(10_000);
	[user_id] = (await database.create_users(1)) as [number];
	const { rows } = await database.admin.query<{ slug: string }>(
		'select slug from category order by position limit 1'
	);
	category = rows[0]!.slug;
	pooler = await start_pooler(database.app_url, { pool_size: 5 });
	if (has_build()) server = await start_app_server({ database_url: pooler.url });
	secrets = server?.secrets ?? {
		session: { current: 'blob-store-test-session-secret-0123456789' },
		identity: 'blob-store-test-identity-secret-0123456789'
	};
});

afterAll(async () => {
	await server?.stop();
	await pooler?.stop();
	await database?.destroy();
});

/** Passes the edge's request to the built app over HTTP, or to a stub without a build. */
async function origin(request: Request): Promise<Response> {
	const url = new URL(request.url);
	if (!server) {
		const created = request.method === 'POST' && url.pathname === CHECKOUT_ROUTE;
		return new Response('stub origin', { status: created ? 201 : 200 });
	}
	const init: RequestInit = {
		method: request.method,
		headers: request.headers,
		redirect: 'manual'
	};
	if (request.body) {
		init.body = await request.arrayBuffer();
	}
	// Concatenated, not resolved, so a path can never name another host.
	return fetch(server.origin + url.pathname + url.search, init);
}

interface Visit {
	name: string;
	status: number;
	ms: number;
}

/** Sends the same requests through a new edge isolate whose Blobs stores behave as `mode`. */
async function visit_through_edge(mode: StoreMode) {
	const logged: string[] = [];
	const caches = create_store_caches(store_factory(mode), (message) => logged.push(message));
	const deps: EdgeDeps = {
		secrets,
		...caches,
		limits: new ClientRateLimits(),
		sessions: new SessionVerifier(),
		now: Date.now
	};
	const context: EdgeContext = { ip: '198.51.100.7', country: 'US', next: origin };
	const keyring = await load_session_keyring(secrets.session);
	const { token } = await sign_session_token(
		{ user_id: String(user_id), role: 'customer' },
		keyring
	);
	const cookie = `${SESSION_COOKIE}=${token}`;
	const product = database.products[0]!.slug;

	const requests: [string, Request][] = [
		['home', new Request(`${SITE}/us`)],
		['product', new Request(`${SITE}/us/p/${product}`)],
		['category', new Request(`${SITE}/us/c/${category}`)],
		['cart', new Request(`${SITE}/us/cart`, { headers: { cookie: `cart=${product}*1` } })],
		[
			'checkout',
			new Request(SITE + CHECKOUT_ROUTE, {
				method: 'POST',
				headers: {
					cookie,
					origin: SITE,
					'content-type': 'application/json',
					'idempotency-key': randomUUID()
				},
				body: JSON.stringify({
					region: 'us',
					lines: [{ slug: product, quantity: 1 }],
					card: APPROVED_CARD
				})
			})
		]
	];

	const visits: Visit[] = [];
	for (const [name, request] of requests) {
		const started = performance.now();
		const response = await handle_request(request, context, deps);
		await response.arrayBuffer();
		visits.push({ name, status: response.status, ms: performance.now() - started });
	}
	const flags = await caches.flags.get(Date.now());
	const revoked = await caches.revoked_sessions.get(Date.now());
	return { visits, flags, revoked, logged };
}

function statuses(visits: Visit[]): Record<string, number> {
	return Object.fromEntries(visits.map((visit) => [visit.name, visit.status]));
}

test('edge serves defaults while Blobs is down', async () => {
	const healthy = await visit_through_edge('healthy');
	const normal = statuses(healthy.visits);
	expect(normal).toEqual({ home: 200, product: 200, category: 200, cart: 200, checkout: 201 });
	if (server) expect(serves_checkout(server)).toBe(true);

	// The store's flags do reach the edge: with checkout switched off, checkout gets a 503.
	const switched_off = await visit_through_edge('checkout_off');
	expect(statuses(switched_off.visits)).toEqual({ ...normal, checkout: 503 });

	const summaries: string[] = [];
	for (const mode of ['throws', 'rejects', 'hangs'] as const) {
		const run = await visit_through_edge(mode);
		expect({ mode, statuses: statuses(run.visits) }).toEqual({ mode, statuses: normal });
		expect(run.flags).toEqual(DEFAULT_FLAGS);
		expect(run.revoked.size).toBe(0);
		// One line per store, not one per request.
		expect(run.logged).toHaveLength(2);
		expect(run.logged.every((line) => line.includes('serving cached or built-in values'))).toBe(
			true
		);

		// Only an isolate's first request waits for the store, at most once per cache.
		const [first, ...rest] = run.visits as [Visit, ...Visit[]];
		expect(first.ms).toBeLessThan(2 * STORE_TIMEOUT_MS + 500);
		const slowest_rest = Math.max(...rest.map((visit) => visit.ms));
		expect(slowest_rest).toBeLessThan(STORE_TIMEOUT_MS);
		summaries.push(
			`${mode}: first ${Math.round(first.ms)} ms, then ≤ ${Math.round(slowest_rest)} ms`
		);
	}

	console.log(
		`[faults] blob store down via ${server ? 'edge + built app' : 'edge + stub origin'}: ` +
			`home, product, category, cart 200 and checkout 201 in every mode, default flags; ` +
			summaries.join('; ')
	);
});
