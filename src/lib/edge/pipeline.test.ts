import { describe, expect, test } from 'vitest';
import { IDENTITY_HEADERS, verify_identity } from '../shared/identity.ts';
import { load_session_keyring } from '../shared/session/keys.ts';
import { SESSION_COOKIE } from '../shared/session/policy.ts';
import type { Secrets } from '../shared/session/secrets.ts';
import { sign_session_token } from '../shared/session/sign.ts';
import { cohort_cookie_name } from './cohorts.ts';
import { DEFAULT_FLAGS, type FlagDocument } from './flags.ts';
import { handle_request, type EdgeContext, type EdgeDeps } from './pipeline.ts';
import { ClientRateLimits } from './rate_limiter.ts';
import { SessionVerifier } from './session.ts';
import { TtlCache } from './ttl_cache.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SITE = 'https://shop.example';
const SECRETS: Secrets = {
	session: { current: 'pipeline-test-session-secret-0123456789abcdef' },
	identity: 'pipeline-test-identity-secret-0123456789abcdef'
};
const HOME_COOKIE = cohort_cookie_name('home_hero');

interface Forwarded {
	request: Request;
}

/** Builds an origin that records each request and responds with 200 and the requested path. */
function origin(forwarded: Forwarded[] = [], respond?: (request: Request) => Response) {
	return async (request: Request) => {
		forwarded.push({ request });
		if (respond) return respond(request);
		return new Response(`origin:${new URL(request.url).pathname}`, {
			headers: { 'cache-control': 'public, max-age=0, must-revalidate' }
		});
	};
}

function context(overrides: Partial<EdgeContext> = {}): EdgeContext {
	return { ip: '203.0.113.7', country: 'US', next: origin(), ...overrides };
}

function deps(overrides: Partial<EdgeDeps> & { flags_document?: FlagDocument } = {}): EdgeDeps {
	const { flags_document, ...rest } = overrides;
	return {
		secrets: SECRETS,
		flags: { get: () => flags_document ?? DEFAULT_FLAGS },
		revoked_sessions: { get: () => new Set<string>() },
		limits: new ClientRateLimits(),
		sessions: new SessionVerifier(),
		now: () => NOW,
		...rest
	};
}

function get(path: string, headers: Record<string, string> = {}): Request {
	return new Request(SITE + path, { headers });
}

async function session_token(
	overrides: { role?: 'customer' | 'admin'; now_ms?: number; ttl_s?: number } = {}
) {
	const keyring = await load_session_keyring(SECRETS.session);
	const { token } = await sign_session_token(
		{
			user_id: 'user-42',
			role: overrides.role ?? 'customer',
			now_ms: overrides.now_ms ?? NOW,
			ttl_s: overrides.ttl_s
		},
		keyring
	);
	return token;
}

function cookie_value(response: Response, name: string): string | null {
	for (const cookie of response.headers.getSetCookie()) {
		if (cookie.startsWith(`${name}=`)) return cookie.slice(name.length + 1, cookie.indexOf(';'));
	}
	return null;
}

function sequential_ids(prefix = 'req'): () => string {
	let next = 0;
	return () => `${prefix}-${(next++).toString(16).padStart(8, '0')}`;
}

describe('handle_request: guard', () => {
	test('rejects traversal without calling the origin', async () => {
		const forwarded: Forwarded[] = [];
		const response = await handle_request(
			get('/us/p/%2e%2e%2f%2e%2e%2fetc%2fpasswd'),
			context({ next: origin(forwarded) }),
			deps()
		);
		expect(response.status).toBe(400);
		expect(forwarded).toHaveLength(0);
		expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		expect(response.headers.get('server-timing')).toMatch(/^edge;dur=\d+\.\d{3}$/);
	});

	test('answers 405 with Allow for PROPFIND', async () => {
		const request = new Request(SITE + '/', { method: 'PROPFIND' });
		const response = await handle_request(request, context(), deps());
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toContain('GET');
	});
});

describe('handle_request: request id', () => {
	test('ignores a client-sent x-request-id', async () => {
		const forwarded: Forwarded[] = [];
		const response = await handle_request(
			get('/us', { 'x-request-id': 'client-chosen' }),
			context({ next: origin(forwarded) }),
			deps()
		);
		const id = response.headers.get('x-request-id');
		expect(id).not.toBe('client-chosen');
		expect(forwarded[0]?.request.headers.get('x-request-id')).toBe(id);
		expect(forwarded[0]?.request.headers.get(IDENTITY_HEADERS.request_id)).toBe(id);
	});
});

describe('handle_request: session and protection', () => {
	test('redirects an expired session to login', async () => {
		const expired = await session_token({ now_ms: NOW - 2 * 3600_000, ttl_s: 3600 });
		const response = await handle_request(
			get('/account', { cookie: `${SESSION_COOKIE}=${expired}` }),
			context(),
			deps()
		);
		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toBe('/login?next=%2Faccount');
		const cleared = response.headers
			.getSetCookie()
			.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
		expect(cleared).toContain('Max-Age=0');
		expect(response.headers.get('cache-control')).toBe('private, no-store');
	});

	test('serves login without a loop', async () => {
		const response = await handle_request(get('/login?next=%2Faccount'), context(), deps());
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('origin:/login');
	});
});

describe('handle_request: bad tokens', () => {
	const header_b64 = (header: object) => Buffer.from(JSON.stringify(header)).toString('base64url');

	async function bad_tokens(): Promise<Record<string, string>> {
		const valid = await session_token({ role: 'admin' });
		const [header, payload, signature] = valid.split('.') as [string, string, string];
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
		const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid;

		const sign_with = async (bytes: Uint8Array<ArrayBuffer>, head: object, body: object) => {
			const input = `${header_b64(head)}.${header_b64(body)}`;
			const key = await crypto.subtle.importKey(
				'raw',
				bytes,
				{ name: 'HMAC', hash: 'SHA-256' },
				false,
				['sign']
			);
			const mac = new Uint8Array(
				await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input))
			);
			return `${input}.${Buffer.from(mac).toString('base64url')}`;
		};
		const public_key_pem = new TextEncoder().encode(
			'-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n'
		);
		const flipped =
			signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);

		return {
			alg_none: `${header_b64({ alg: 'none', typ: 'session+jwt', kid })}.${header_b64({ ...claims, role: 'admin' })}.`,
			public_key_bytes: await sign_with(
				public_key_pem,
				{ alg: 'HS256', typ: 'session+jwt', kid },
				claims
			),
			other_audience: await sign_with(
				new TextEncoder().encode(SECRETS.session.current),
				{ alg: 'HS256', typ: 'session+jwt', kid },
				{ ...claims, aud: 'another-app' }
			),
			flipped_signature: `${header}.${payload}.${flipped}`,
			unused_alg: await sign_with(
				new TextEncoder().encode(SECRETS.session.current),
				{ alg: 'HS512', typ: 'session+jwt', kid },
				claims
			),
			garbage: 'not.a.token'
		};
	}

	test('rejects bad tokens on the API', async () => {
		for (const [name, token] of Object.entries(await bad_tokens())) {
			const forwarded: Forwarded[] = [];
			const response = await handle_request(
				get('/api/orders', { cookie: `${SESSION_COOKIE}=${token}` }),
				context({ next: origin(forwarded) }),
				deps()
			);
			expect(response.status, name).toBe(401);
			expect(forwarded, name).toHaveLength(0);
			expect(cookie_value(response, SESSION_COOKIE), name).toBe('');
		}
	});

	test('redirects pages for bad tokens', async () => {
		for (const [name, token] of Object.entries(await bad_tokens())) {
			const response = await handle_request(
				get('/checkout', { cookie: `${SESSION_COOKIE}=${token}` }),
				context(),
				deps()
			);
			expect(response.status, name).toBe(302);
			expect(response.headers.get('location'), name).toBe('/login?next=%2Fcheckout');
		}
	});

	test('accepts the untampered token', async () => {
		const forwarded: Forwarded[] = [];
		const token = await session_token({ role: 'admin' });
		const response = await handle_request(
			get('/api/orders', { cookie: `${SESSION_COOKIE}=${token}` }),
			context({ next: origin(forwarded) }),
			deps()
		);
		expect(response.status).toBe(200);
		expect(forwarded).toHaveLength(1);
	});
});

describe('handle_request: protected routes', () => {
	test('redirects protected data requests', async () => {
		const response = await handle_request(
			get('/account/orders/__data.json?x-sveltekit-invalidated=01'),
			context(),
			deps()
		);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			type: 'redirect',
			location: '/login?next=%2Faccount%2Forders'
		});
	});

	test('protects encoded and upper-case spellings', async () => {
		for (const path of [
			'/%61ccount',
			'/ACCOUNT/orders',
			'//account',
			'/api/Orders',
			'/api/orders/'
		]) {
			const response = await handle_request(get(path), context(), deps());
			expect([302, 401], path).toContain(response.status);
		}
	});

	test('forbids customers on the admin API', async () => {
		const token = await session_token({ role: 'customer' });
		const response = await handle_request(
			get('/api/admin/flags', { cookie: `${SESSION_COOKIE}=${token}` }),
			context(),
			deps()
		);
		expect(response.status).toBe(403);
		expect((await response.json()).code).toBe('forbidden');
	});

	test('answers 401 to spoofed identity headers', async () => {
		const forwarded: Forwarded[] = [];
		const spoofed: Record<string, string> = { 'x-user-id': '1' };
		for (const name of Object.values(IDENTITY_HEADERS))
			spoofed[name] = name.endsWith('role') ? 'admin' : '1';
		const response = await handle_request(
			get('/api/orders', spoofed),
			context({ next: origin(forwarded) }),
			deps()
		);
		expect(response.status).toBe(401);
		expect(forwarded).toHaveLength(0);
	});

	test('replaces spoofed forwarded headers', async () => {
		const forwarded: Forwarded[] = [];
		const token = await session_token();
		const headers: Record<string, string> = {
			cookie: `${SESSION_COOKIE}=${token}`,
			'x-splitshop-extra': 'x'
		};
		headers[IDENTITY_HEADERS.user_id] = 'user-1';
		headers[IDENTITY_HEADERS.role] = 'admin';
		await handle_request(get('/api/orders', headers), context({ next: origin(forwarded) }), deps());

		const sent = forwarded[0]?.request.headers as Headers;
		expect(sent.get(IDENTITY_HEADERS.user_id)).toBe('user-42');
		expect(sent.get(IDENTITY_HEADERS.role)).toBe('customer');
		expect(sent.get('x-splitshop-extra')).toBeNull();
		const identity = await verify_identity(sent, SECRETS.identity, NOW);
		expect(identity?.session?.user_id).toBe('user-42');
	});
});

describe('handle_request: rate limit', () => {
	test('counts logins by context.ip, not X-Forwarded-For', async () => {
		const shared = deps();
		const statuses: number[] = [];
		for (let attempt = 0; attempt < 100; attempt++) {
			const request = new Request(SITE + '/login', {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					origin: SITE,
					'x-forwarded-for': `198.51.100.${attempt}`
				},
				body: 'email=a%40b.example&password=wrong'
			});
			statuses.push((await handle_request(request, context(), shared)).status);
		}
		expect(statuses.filter((status) => status === 200)).toHaveLength(10);
		expect(statuses.slice(10).every((status) => status === 429)).toBe(true);

		const other = await handle_request(
			new Request(SITE + '/login', { method: 'POST', headers: { origin: SITE }, body: 'x=1' }),
			context({ ip: '203.0.113.8' }),
			shared
		);
		expect(other.status).toBe(200);
	});

	test('sends Retry-After with 429', async () => {
		const shared = deps({ limits: new ClientRateLimits({ limit: 1, window_ms: 60_000 }) });
		await handle_request(get('/us'), context(), shared);
		const response = await handle_request(get('/us'), context(), shared);
		expect(response.status).toBe(429);
		expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
	});

	test('keeps normal cookies on 429', async () => {
		const limited = deps({
			limits: new ClientRateLimits({ limit: 1, window_ms: 60_000 }),
			create_request_id: () => 'fixed-request-id'
		});
		await handle_request(
			get('/us/p/lamp', { cookie: `${HOME_COOKIE}=control` }),
			context(),
			limited
		);
		const rate_limited = await handle_request(get('/us'), context(), limited);
		const normal = await handle_request(
			get('/us'),
			context(),
			deps({ create_request_id: () => 'fixed-request-id' })
		);

		expect(rate_limited.status).toBe(429);
		expect(normal.status).toBe(200);
		expect(rate_limited.headers.getSetCookie()).toEqual(normal.headers.getSetCookie());
		expect(rate_limited.headers.getSetCookie()).toHaveLength(1);
	});
});

describe('handle_request: cohorts', () => {
	test('splits 200 visitors near 50/50', async () => {
		const shared = deps({ create_request_id: sequential_ids() });
		const counts: Record<string, number> = { control: 0, spotlight: 0 };
		for (let visitor = 0; visitor < 200; visitor++) {
			const response = await handle_request(
				get('/us'),
				context({ ip: `10.0.${visitor >> 8}.${visitor & 255}` }),
				shared
			);
			const variant = cookie_value(response, HOME_COOKIE) as string;
			counts[variant] = (counts[variant] ?? 0) + 1;
			const expected = variant === 'control' ? 'origin:/us' : `origin:/us/home/${variant}`;
			expect(await response.text()).toBe(expected);
			expect(response.headers.get('netlify-vary')).toBe(`cookie=${HOME_COOKIE}`);
		}
		expect(counts.control).toBeGreaterThanOrEqual(80);
		expect(counts.control).toBeLessThanOrEqual(120);
		expect((counts.control ?? 0) + (counts.spotlight ?? 0)).toBe(200);
	});

	test('keeps the cohort on navigation', async () => {
		const cookie = `${HOME_COOKIE}=spotlight`;
		const page = await handle_request(get('/uk', { cookie }), context(), deps());
		const data = await handle_request(
			get('/uk/__data.json?x-sveltekit-invalidated=11', { cookie }),
			context(),
			deps()
		);
		expect(await page.text()).toBe('origin:/uk/home/spotlight');
		expect(await data.text()).toBe('origin:/uk/home/spotlight/__data.json');
		expect(page.headers.getSetCookie()).toEqual([]);
	});

	test('serves control while disabled', async () => {
		const flags: FlagDocument = structuredClone(DEFAULT_FLAGS);
		(flags.experiments.home_hero as { enabled: boolean }).enabled = false;
		const response = await handle_request(
			get('/us', { cookie: `${HOME_COOKIE}=spotlight` }),
			context(),
			deps({ flags_document: flags })
		);
		expect(await response.text()).toBe('origin:/us');
		expect(response.headers.getSetCookie()).toEqual([]);
	});

	test('varies on cohorts, not sessions', async () => {
		const token = await session_token();
		const response = await handle_request(
			get('/us', { cookie: `${SESSION_COOKIE}=${token}; ${HOME_COOKIE}=control` }),
			context(),
			deps()
		);
		expect(response.headers.get('netlify-vary')).toBe(`cookie=${HOME_COOKIE}`);
		expect(response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
	});
});

describe('handle_request: geo', () => {
	test('redirects / by country', async () => {
		const cases: [string | null, string][] = [
			['GB', '/uk'],
			['DE', '/eu'],
			['JP', '/us'],
			[null, '/us']
		];
		for (const [country, location] of cases) {
			const response = await handle_request(get('/'), context({ country }), deps());
			expect(response.status, String(country)).toBe(302);
			expect(response.headers.get('location'), String(country)).toBe(location);
		}
	});

	test('prefers the region cookie', async () => {
		const response = await handle_request(
			get('/c/lamps?sort=price', { cookie: 'region=eu' }),
			context({ country: 'GB' }),
			deps()
		);
		expect(response.headers.get('location')).toBe('/eu/c/lamps?sort=price');
	});

	test('does not redirect region paths', async () => {
		const response = await handle_request(get('/uk/c/lamps'), context({ country: 'US' }), deps());
		expect(response.status).toBe(200);
	});

	test('does nothing while geo_redirect is off', async () => {
		const flags: FlagDocument = {
			...DEFAULT_FLAGS,
			features: { ...DEFAULT_FLAGS.features, geo_redirect: false }
		};
		const response = await handle_request(
			get('/'),
			context({ country: 'GB' }),
			deps({ flags_document: flags })
		);
		expect(response.status).toBe(200);
	});
});

describe('handle_request: flags', () => {
	test('shows checkout maintenance', async () => {
		const flags: FlagDocument = {
			...DEFAULT_FLAGS,
			features: { ...DEFAULT_FLAGS.features, checkout: false }
		};
		const forwarded: Forwarded[] = [];
		const page = await handle_request(
			get('/checkout'),
			context({ next: origin(forwarded) }),
			deps({ flags_document: flags })
		);
		const api = await handle_request(
			new Request(SITE + '/api/checkout', {
				method: 'POST',
				headers: { origin: SITE },
				body: '{}'
			}),
			context({ next: origin(forwarded) }),
			deps({ flags_document: flags })
		);
		expect(page.status).toBe(503);
		expect(page.headers.get('content-type')).toContain('text/html');
		expect(await page.text()).toContain('switched off');
		expect(api.status).toBe(503);
		expect((await api.json()).code).toBe('maintenance');
		expect(forwarded).toHaveLength(0);

		const data = await handle_request(
			get('/checkout/__data.json'),
			context(),
			deps({ flags_document: flags })
		);
		expect(data.status).toBe(503);
		expect(data.headers.get('content-type')).toBe('application/json');
		expect(data.headers.get('retry-after')).toBe('300');
	});

	test('uses built-in flags on store failure', async () => {
		const flags = new TtlCache<FlagDocument>({
			load: () => Promise.reject(new Error('store down')),
			fallback: DEFAULT_FLAGS,
			ttl_ms: 30_000,
			timeout_ms: 100,
			retry_ms: 1_000
		});
		const response = await handle_request(get('/us'), context(), deps({ flags }));
		expect(response.status).toBe(200);
		expect(cookie_value(response, HOME_COOKIE)).toMatch(/^(control|spotlight)$/);
	});
});

describe('handle_request: responses', () => {
	test('marks personalised responses private, no-store', async () => {
		const token = await session_token();
		const response = await handle_request(
			get('/us/cart', { cookie: `${SESSION_COOKIE}=${token}` }),
			context(),
			deps()
		);
		expect(response.headers.get('cache-control')).toBe('private, no-store');
		expect(response.headers.get('netlify-vary')).toBeNull();
	});

	test('appends edge Server-Timing', async () => {
		const next = origin(
			[],
			() => new Response('ok', { headers: { 'server-timing': 'origin;dur=12.5' } })
		);
		const response = await handle_request(get('/us/p/lamp'), context({ next }), deps());
		expect(response.headers.get('server-timing')).toMatch(
			/^origin;dur=12\.5, edge;dur=\d+\.\d{3}$/
		);
	});

	test('adds security headers', async () => {
		const next = origin([], () => new Response('ok'));
		const response = await handle_request(get('/us/p/lamp'), context({ next }), deps());

		expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('strict-transport-security')).toBe(
			'max-age=31536000; includeSubDomains'
		);
	});

	test("keeps the origin's own security header", async () => {
		const own = "default-src 'self'";
		const next = origin(
			[],
			() => new Response('ok', { headers: { 'content-security-policy': own } })
		);
		const response = await handle_request(get('/us/p/lamp'), context({ next }), deps());

		expect(response.headers.get('content-security-policy')).toBe(own);
	});

	test('copies immutable origin responses', async () => {
		// `Response.redirect` returns headers with the immutable guard, like `fetch` responses.
		const next = origin([], () => Response.redirect(`${SITE}/us`, 302));
		const response = await handle_request(get('/us/p/lamp'), context({ next }), deps());
		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toBe(`${SITE}/us`);
		expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
	});

	test('keeps the origin session cookie', async () => {
		const next = origin([], () => {
			const response = new Response(null, { status: 303, headers: { location: '/account' } });
			response.headers.append(
				'set-cookie',
				`${SESSION_COOKIE}=new-token; Path=/; HttpOnly; Secure; SameSite=Lax`
			);
			return response;
		});
		const request = new Request(SITE + '/login', {
			method: 'POST',
			headers: {
				origin: SITE,
				cookie: `${SESSION_COOKIE}=stale`,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: 'email=a%40b.example&password=right'
		});
		const response = await handle_request(request, context({ next }), deps());
		const session_cookies = response.headers
			.getSetCookie()
			.filter((cookie) => cookie.startsWith(SESSION_COOKIE));
		expect(session_cookies).toEqual([
			`${SESSION_COOKIE}=new-token; Path=/; HttpOnly; Secure; SameSite=Lax`
		]);
	});

	test('forwards a POST body unchanged', async () => {
		const forwarded: Forwarded[] = [];
		const request = new Request(SITE + '/region', {
			method: 'POST',
			headers: { origin: SITE, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'region=uk'
		});
		await handle_request(request, context({ next: origin(forwarded) }), deps());
		expect(await forwarded[0]?.request.text()).toBe('region=uk');
	});

	test('rejects cross-site form posts', async () => {
		for (const content_type of ['application/x-www-form-urlencoded', 'TEXT/PLAIN;charset=UTF-8']) {
			const forwarded: Forwarded[] = [];
			const request = new Request(SITE + '/us/cart?/add', {
				method: 'POST',
				headers: { origin: 'https://evil.example', 'content-type': content_type },
				body: 'product=lamp'
			});
			const response = await handle_request(request, context({ next: origin(forwarded) }), deps());
			expect(response.status, content_type).toBe(403);
			expect(forwarded, content_type).toHaveLength(0);
		}
	});
});
