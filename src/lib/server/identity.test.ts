import { describe, expect, test } from 'vitest';
import { IDENTITY_HEADERS, sign_identity } from '$lib/shared/identity.ts';
import { load_session_keyring } from '$lib/shared/session/keys.ts';
import type { Secrets } from '$lib/shared/session/secrets.ts';
import { sign_session_token } from '$lib/shared/session/sign.ts';
import { anonymous_identity, resolve_identity } from './identity.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SECRETS: Secrets = {
	session: { current: 'server-identity-session-secret-0123456789' },
	identity: 'server-identity-header-secret-0123456789ab'
};

async function token(user_id = 'user-5', now_ms = NOW, ttl_s = 3600) {
	const keyring = await load_session_keyring(SECRETS.session);
	return (await sign_session_token({ user_id, role: 'customer', now_ms, ttl_s }, keyring)).token;
}

function request(path: string, headers: Record<string, string> | Headers = {}) {
	return new Request(`https://shop.example${path}`, { headers });
}

async function resolve(req: Request, revoked: ReadonlySet<string> = new Set()) {
	return resolve_identity(req, new URL(req.url), SECRETS, revoked, NOW);
}

describe('resolve_identity', () => {
	test('trusts headers signed by the edge', async () => {
		const headers = new Headers(
			sign_identity(
				{
					session: {
						user_id: 'user-9',
						role: 'admin',
						session_id: 's-1',
						expires_at: NOW / 1000 + 60
					},
					cohorts: { home_hero: 'spotlight' },
					region: 'eu',
					request_id: 'edge-request-1'
				},
				SECRETS.identity,
				NOW
			)
		);
		const identity = await resolve(request('/api/orders', headers));
		expect(identity.source).toBe('edge');
		expect(identity.session?.user_id).toBe('user-9');
		expect(identity.request_id).toBe('edge-request-1');
	});

	test('gives made-up headers no identity', async () => {
		const spoofed: Record<string, string> = { 'x-user-id': '1' };
		for (const name of Object.values(IDENTITY_HEADERS))
			spoofed[name] = name.endsWith('role') ? 'admin' : '1';
		const identity = await resolve(request('/api/orders', spoofed));
		expect(identity.source).toBe('cookie');
		expect(identity.session).toBeNull();
		expect(identity.request_id).not.toBe('1');
	});

	test('falls back to the cookie', async () => {
		const identity = await resolve(
			request('/uk/cart', { cookie: `__Host-session=${await token()}; region=eu` })
		);
		expect(identity).toMatchObject({
			source: 'cookie',
			failure: null,
			region: 'uk',
			session: { user_id: 'user-5' }
		});
	});

	test('reports an expired or revoked cookie', async () => {
		const expired = await token('user-5', NOW - 7200_000, 3600);
		expect((await resolve(request('/', { cookie: `__Host-session=${expired}` }))).failure).toBe(
			'expired'
		);

		const keyring = await load_session_keyring(SECRETS.session);
		const signed = await sign_session_token(
			{ user_id: 'user-5', role: 'customer', now_ms: NOW, session_id: 'gone' },
			keyring
		);
		const cookie = `__Host-session=${signed.token}`;
		expect((await resolve(request('/', { cookie }))).failure).toBeNull();
		const revoked = await resolve(request('/', { cookie }), new Set(['gone']));
		expect(revoked.failure).toBe('revoked');
		expect(revoked.session).toBeNull();
	});

	test('reads cohorts from valid cookies only', async () => {
		const valid = await resolve(request('/', { cookie: '__Host-cohort_home_hero=spotlight' }));
		const invalid = await resolve(request('/', { cookie: '__Host-cohort_home_hero=made-up' }));
		expect(valid.cohorts).toEqual({ home_hero: 'spotlight' });
		expect(invalid.cohorts).toEqual({ home_hero: 'control' });
	});
});

describe('anonymous_identity', () => {
	test('signs out and uses controls', () => {
		const identity = anonymous_identity(new URL('https://shop.example/eu/c/lamps'));
		expect(identity.user).toBeNull();
		expect(identity.cohorts).toEqual({ home_hero: 'control' });
		expect(identity.region).toBe('eu');
		expect(anonymous_identity(new URL('https://shop.example/')).region).toBe('us');
	});
});
