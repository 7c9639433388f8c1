import { isRedirect, type RequestEvent } from '@sveltejs/kit';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { IDENTITY_HEADERS, sign_identity } from '$lib/shared/identity.ts';
import { load_session_keyring } from '$lib/shared/session/keys.ts';
import { SESSION_TTL_S } from '$lib/shared/session/policy.ts';
import { DEVELOPMENT_SECRETS } from '$lib/shared/session/secrets.ts';
import { sign_session_token } from '$lib/shared/session/sign.ts';
import { handle, handleError } from './hooks.server.ts';

// The stored role that session renewal reads; each test may replace it.
const stored_role = vi.hoisted(() => ({ value: 'customer' as 'customer' | 'admin' | null }));
vi.mock('$lib/server/user_role.ts', () => ({
	read_user_role: async () => stored_role.value
}));

vi.mock('@netlify/blobs', () => ({
	getStore: () => ({ list: async () => ({ blobs: [], directories: [] }) })
}));

function event(path: string, headers: Headers | Record<string, string> = {}) {
	const request = new Request(`https://shop.example${path}`, { headers });
	const deleted: string[] = [];
	const value = {
		request,
		url: new URL(request.url),
		locals: {},
		platform: undefined,
		cookies: { delete: (name: string) => deleted.push(name) }
	} as unknown as RequestEvent;
	return { event: value, deleted };
}

const resolve = vi.fn(async () => new Response('page'));

const log_lines = vi.fn();

beforeAll(() => {
	// The development-secrets warning is expected here: the tests run without secrets.
	vi.spyOn(console, 'warn').mockImplementation(() => {});
	vi.spyOn(console, 'log').mockImplementation(log_lines);
	vi.spyOn(console, 'error').mockImplementation(() => {});
});

/** Builds a session cookie whose token expires in `remaining_s` seconds, signed with the dev secret. */
async function session_cookie_header(remaining_s: number): Promise<string> {
	const keyring = await load_session_keyring(DEVELOPMENT_SECRETS.session);
	const { token } = await sign_session_token(
		{
			user_id: '42',
			role: 'customer',
			now_ms: Date.now() - (SESSION_TTL_S - remaining_s) * 1000
		},
		keyring
	);
	return `__Host-session=${token}`;
}

describe('handle', () => {
	test('rejects spoofed headers on the API', async () => {
		const spoofed: Record<string, string> = { 'x-user-id': '1' };
		for (const name of Object.values(IDENTITY_HEADERS))
			spoofed[name] = name.endsWith('role') ? 'admin' : '1';
		const { event: request_event } = event('/api/orders', spoofed);
		const response = await handle({ event: request_event, resolve });
		expect(response.status).toBe(401);
		expect(request_event.locals.user).toBeNull();
	});

	test('redirects anonymous account pages', async () => {
		const { event: request_event } = event('/account/orders');
		let thrown: unknown;
		try {
			await handle({ event: request_event, resolve });
		} catch (error) {
			thrown = error;
		}
		expect(isRedirect(thrown)).toBe(true);
		expect(thrown).toMatchObject({ status: 302, location: '/login?next=%2Faccount%2Forders' });
	});

	test('puts signed identity on locals', async () => {
		const headers = new Headers(
			sign_identity(
				{
					session: {
						user_id: 'user-3',
						role: 'customer',
						session_id: 's-3',
						expires_at: Math.floor(Date.now() / 1000) + 600
					},
					cohorts: { home_hero: 'control' },
					region: 'uk',
					request_id: 'edge-id-3'
				},
				DEVELOPMENT_SECRETS.identity,
				Date.now()
			)
		);
		const { event: request_event } = event('/api/orders', headers);
		const response = await handle({ event: request_event, resolve });
		expect(response.status).toBe(200);
		expect(request_event.locals.user?.user_id).toBe('user-3');
		expect(request_event.locals.region).toBe('uk');
		expect(response.headers.get('x-request-id')).toBe('edge-id-3');
		expect(response.headers.get('server-timing')).toMatch(
			/^origin;dur=\d+\.\d{3}, db;dur=\d+\.\d{3};desc="0 queries"$/
		);
	});

	test('deletes an invalid session cookie', async () => {
		const { event: request_event, deleted } = event('/us', {
			cookie: '__Host-session=forged.token.value'
		});
		await handle({ event: request_event, resolve });
		expect(deleted).toEqual(['__Host-session']);
	});
});

describe('handle while prerendering', () => {
	test('sets anonymous locals without secrets', async () => {
		vi.resetModules();
		vi.doMock('$app/environment', () => ({ building: true, dev: false }));
		vi.doMock('$env/dynamic/private', () => ({
			get env() {
				throw new Error('Cannot read $env/dynamic/private while prerendering');
			}
		}));
		try {
			const { handle: prerender_handle } = await import('./hooks.server.ts');
			const { event: request_event } = event('/uk/c/lamps');
			const response = await prerender_handle({ event: request_event, resolve });
			expect(response.status).toBe(200);
			expect(request_event.locals.user).toBeNull();
			expect(request_event.locals.region).toBe('uk');
		} finally {
			vi.doUnmock('$app/environment');
			vi.doUnmock('$env/dynamic/private');
		}
	});
});

describe('handle logging', () => {
	test('writes one line per request', async () => {
		log_lines.mockClear();
		const { event: request_event } = event('/account', {
			cookie: await session_cookie_header(SESSION_TTL_S - 10)
		});
		const response = await handle({ event: request_event, resolve });

		expect(log_lines).toHaveBeenCalledOnce();
		const line = JSON.parse(log_lines.mock.calls[0]![0]);
		expect(line).toMatchObject({
			level: 'info',
			msg: 'request',
			method: 'GET',
			status: 200,
			request_id: response.headers.get('x-request-id'),
			db_queries: 0
		});
		expect(line.user).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(line.user).not.toBe('42');
	});

	test('logs the login redirect', async () => {
		log_lines.mockClear();
		const { event: request_event } = event('/account');
		await expect(handle({ event: request_event, resolve })).rejects.toMatchObject({ status: 302 });
		expect(JSON.parse(log_lines.mock.calls[0]![0])).toMatchObject({ status: 302, user: null });
	});
});

describe('handle session renewal', () => {
	test('renews a session near expiry', async () => {
		const { event: request_event } = event('/account', {
			cookie: await session_cookie_header(60)
		});
		const response = await handle({ event: request_event, resolve });

		const [cookie] = response.headers.getSetCookie();
		expect(cookie).toMatch(/^__Host-session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=3600; /);
		expect(cookie).toContain('; HttpOnly; Secure; SameSite=Lax');
	});

	test('skips renewal for a deleted user', async () => {
		stored_role.value = null;
		const { event: request_event } = event('/account', {
			cookie: await session_cookie_header(60)
		});
		const response = await handle({ event: request_event, resolve });
		stored_role.value = 'customer';

		expect(response.headers.getSetCookie()).toEqual([]);
	});

	test('leaves a fresh session alone', async () => {
		const { event: request_event } = event('/account', {
			cookie: await session_cookie_header(SESSION_TTL_S - 10)
		});
		const response = await handle({ event: request_event, resolve });
		expect(response.headers.getSetCookie()).toEqual([]);
	});

	test('skips responses the CDN shares', async () => {
		const { event: request_event } = event('/api/stock/linen-apron', {
			cookie: await session_cookie_header(60)
		});
		const cached = async () =>
			new Response('{}', { headers: { 'netlify-cdn-cache-control': 'public, max-age=10' } });
		const response = await handle({ event: request_event, resolve: cached });
		expect(response.headers.getSetCookie()).toEqual([]);
	});
});

describe('handleError', () => {
	function error_event(): RequestEvent {
		return {
			request: new Request('https://shop.example/account'),
			locals: { request_id: 'req-9' },
			route: { id: '/account' }
		} as unknown as RequestEvent;
	}

	test('returns a generic message', async () => {
		const result = await handleError({
			error: new Error('secret detail'),
			event: error_event(),
			status: 500,
			message: 'Internal Error'
		});
		expect(result).toEqual({ message: 'Internal Error', requestId: 'req-9' });
	});

	test('turns a database outage into 503', async () => {
		const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
			code: 'ECONNREFUSED'
		});
		// SvelteKit calls handleError while rendering, then responds with 500.
		const failing = async (inner: RequestEvent) => {
			const body = await handleError({
				error: outage,
				event: inner,
				status: 500,
				message: 'Internal Error'
			});
			return new Response(JSON.stringify(body), { status: 500 });
		};
		const signed = new Headers(
			sign_identity(
				{ session: null, cohorts: {}, region: 'us', request_id: 'req-10' },
				DEVELOPMENT_SECRETS.identity,
				Date.now()
			)
		);
		const { event: public_event } = event('/us/cart', signed);

		const response = await handle({ event: public_event, resolve: failing });

		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('2');
		expect(await response.json()).toEqual({
			message: 'The database is unavailable. Retry the request in a few seconds.',
			requestId: 'req-10'
		});
	});
});
