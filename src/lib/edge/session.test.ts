import { describe, expect, test, vi } from 'vitest';
import { load_session_keyring } from '../shared/session/keys.ts';
import { sign_session_token } from '../shared/session/sign.ts';
import * as verify from '../shared/session/verify.ts';
import { SessionVerifier } from './session.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SECRETS = { current: 'edge-session-test-secret-0123456789abcdef' };

async function signed(ttl_s = 3600) {
	const keyring = await load_session_keyring(SECRETS);
	const { token, session } = await sign_session_token(
		{ user_id: 'user-1', role: 'customer', now_ms: NOW, ttl_s },
		keyring
	);
	return { keyring, token, session, cookie: `__Host-session=${token}` };
}

describe('SessionVerifier', () => {
	test('returns anonymous without a cookie', async () => {
		const { keyring } = await signed();
		expect(await new SessionVerifier().read('region=uk', keyring, new Set(), NOW)).toEqual({
			session: null,
			failure: null
		});
	});

	test('verifies a token only once', async () => {
		const { keyring, cookie, session } = await signed();
		const verifier = new SessionVerifier();
		const spy = vi.spyOn(verify, 'verify_session_token');
		try {
			expect(await verifier.read(cookie, keyring, new Set(), NOW)).toEqual({
				session,
				failure: null
			});
			expect(await verifier.read(cookie, keyring, new Set(), NOW + 1000)).toEqual({
				session,
				failure: null
			});
			expect(spy).toHaveBeenCalledTimes(1);
		} finally {
			spy.mockRestore();
		}
	});

	test('expires a remembered token', async () => {
		const { keyring, cookie } = await signed(60);
		const verifier = new SessionVerifier();
		await verifier.read(cookie, keyring, new Set(), NOW);
		expect(await verifier.read(cookie, keyring, new Set(), NOW + 64_000)).toMatchObject({
			session: { user_id: 'user-1' }
		});
		expect(await verifier.read(cookie, keyring, new Set(), NOW + 66_000)).toEqual({
			session: null,
			failure: 'expired'
		});
	});

	test('rejects a remembered revoked session', async () => {
		const { keyring, cookie, session } = await signed();
		const verifier = new SessionVerifier();
		await verifier.read(cookie, keyring, new Set(), NOW);
		expect(await verifier.read(cookie, keyring, new Set([session.session_id]), NOW)).toEqual({
			session: null,
			failure: 'revoked'
		});
	});

	test('verifies every time with max_entries 0', async () => {
		const { keyring, cookie, session } = await signed();
		const verifier = new SessionVerifier(0);
		const spy = vi.spyOn(verify, 'verify_session_token');
		try {
			expect(await verifier.read(cookie, keyring, new Set(), NOW)).toEqual({
				session,
				failure: null
			});
			expect(await verifier.read(cookie, keyring, new Set(), NOW)).toEqual({
				session,
				failure: null
			});
			expect(spy).toHaveBeenCalledTimes(2);
		} finally {
			spy.mockRestore();
		}
	});

	test('bounds the number of remembered tokens', async () => {
		const keyring = await load_session_keyring(SECRETS);
		const verifier = new SessionVerifier(2);
		const spy = vi.spyOn(verify, 'verify_session_token');
		try {
			const cookies: string[] = [];
			for (const user_id of ['a', 'b', 'c']) {
				const { token } = await sign_session_token(
					{ user_id, role: 'customer', now_ms: NOW },
					keyring
				);
				cookies.push(`__Host-session=${token}`);
			}
			for (const cookie of cookies) await verifier.read(cookie, keyring, new Set(), NOW);
			await verifier.read(cookies[0] as string, keyring, new Set(), NOW);
			expect(spy).toHaveBeenCalledTimes(4);
		} finally {
			spy.mockRestore();
		}
	});
});
