import { isRedirect, type RequestEvent } from '@sveltejs/kit';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { IDENTITY_HEADERS, sign_identity } from '$lib/shared/identity.ts';
import { DEVELOPMENT_SECRETS } from '$lib/shared/session/secrets.ts';
import { handle } from './hooks.server.ts';

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

beforeAll(() => {
	// The development-secrets warning is expected here: the tests run without secrets.
	vi.spyOn(console, 'warn').mockImplementation(() => {});
});

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
		expect(response.headers.get('server-timing')).toMatch(/^origin;dur=\d+\.\d{3}$/);
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
