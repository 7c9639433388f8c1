import { decodeJwt } from 'jose/jwt/decode';
import { describe, expect, test } from 'vitest';
import { load_session_keyring } from './keys.ts';
import { SESSION_MAX_AGE_S, SESSION_RENEW_BEFORE_S, SESSION_TTL_S } from './policy.ts';
import {
	is_renewal_due,
	renew_session_token,
	revocation_entry,
	REVOCATION_MARGIN_S
} from './renew.ts';
import { sign_session_token } from './sign.ts';
import { verify_session_token } from './verify.ts';

const LOGIN = Date.UTC(2025, 0, 15, 12, 0, 0);
const LOGIN_S = LOGIN / 1000;
const SECRET = 'renew-test-secret-0123456789abcdef0123456789';

const keyring = () => load_session_keyring({ current: SECRET });

async function login_token(now_ms = LOGIN) {
	return sign_session_token({ user_id: '42', role: 'customer', now_ms }, await keyring());
}

describe('is_renewal_due', () => {
	test('false for a fresh token', () => {
		expect(is_renewal_due({ expires_at: LOGIN_S + SESSION_TTL_S }, LOGIN)).toBe(false);
	});

	test('true inside the renewal window', () => {
		const expires_at = LOGIN_S + SESSION_RENEW_BEFORE_S;
		expect(is_renewal_due({ expires_at }, LOGIN)).toBe(true);
	});
});

describe('renew_session_token', () => {
	test('takes the role as stored now', async () => {
		const { token } = await sign_session_token(
			{ user_id: '42', role: 'admin', now_ms: LOGIN },
			await keyring()
		);
		const later = LOGIN + (SESSION_TTL_S - SESSION_RENEW_BEFORE_S + 1) * 1000;

		const renewed = await renew_session_token(token, await keyring(), later, 'customer');

		expect(renewed!.session.role).toBe('customer');
	});

	test('keeps session id and login time', async () => {
		const { token, session } = await login_token();
		const later = LOGIN + (SESSION_TTL_S - SESSION_RENEW_BEFORE_S + 1) * 1000;

		const renewed = await renew_session_token(token, await keyring(), later);

		expect(renewed).not.toBeNull();
		expect(renewed!.session.session_id).toBe(session.session_id);
		expect(renewed!.session.user_id).toBe('42');
		expect(renewed!.session.role).toBe('customer');
		expect(renewed!.session.expires_at).toBe(Math.floor(later / 1000) + SESSION_TTL_S);
		expect(decodeJwt(renewed!.token).auth_time).toBe(LOGIN_S);
		const verified = await verify_session_token(renewed!.token, await keyring(), later);
		expect(verified).toEqual({ ok: true, session: renewed!.session });
	});

	test('skips a token not yet due', async () => {
		const { token } = await login_token();
		expect(await renew_session_token(token, await keyring(), LOGIN + 60_000)).toBeNull();
	});

	test('rejects an expired token', async () => {
		const { token } = await login_token();
		const after_expiry = LOGIN + (SESSION_TTL_S + 60) * 1000;
		expect(await renew_session_token(token, await keyring(), after_expiry)).toBeNull();
	});

	test('rejects a forged token', async () => {
		const { token } = await login_token();
		const other = await load_session_keyring({ current: `${SECRET}-other` });
		const due = LOGIN + (SESSION_TTL_S - 60) * 1000;
		expect(await renew_session_token(token, other, due)).toBeNull();
	});

	test('caps expiry at maximum age', async () => {
		const ring = await keyring();
		// A token renewed near the end of the week: its successor ends exactly at the maximum age.
		const now_ms = LOGIN + (SESSION_MAX_AGE_S - 600) * 1000;
		const { token } = await sign_session_token(
			{
				user_id: '42',
				role: 'customer',
				authenticated_at: LOGIN_S,
				now_ms: now_ms - (SESSION_TTL_S - 300) * 1000
			},
			ring
		);

		const renewed = await renew_session_token(token, ring, now_ms);

		expect(renewed?.session.expires_at).toBe(LOGIN_S + SESSION_MAX_AGE_S);
	});

	test('stops at maximum age', async () => {
		const ring = await keyring();
		const now_ms = LOGIN + (SESSION_MAX_AGE_S + 60) * 1000;
		const { token } = await sign_session_token(
			{
				user_id: '42',
				role: 'customer',
				authenticated_at: LOGIN_S,
				now_ms: now_ms - (SESSION_TTL_S - 60) * 1000
			},
			ring
		);
		expect(await renew_session_token(token, ring, now_ms)).toBeNull();
	});
});

describe('revocation_entry', () => {
	test('outlives any renewal', () => {
		const entry = revocation_entry({ session_id: 's-1', expires_at: LOGIN_S + 100 }, LOGIN);
		expect(entry).toEqual({
			session_id: 's-1',
			expires_at: LOGIN_S + SESSION_TTL_S + REVOCATION_MARGIN_S
		});
	});
});
