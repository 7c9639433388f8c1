import type { Cookies } from '@sveltejs/kit';
import { describe, expect, test, vi } from 'vitest';
import { session_cookie } from '../shared/session/cookie.ts';
import { load_session_keyring } from '../shared/session/keys.ts';
import { SESSION_COOKIE, SESSION_TTL_S } from '../shared/session/policy.ts';
import { REVOCATION_MARGIN_S } from '../shared/session/renew.ts';
import { DEVELOPMENT_SECRETS } from '../shared/session/secrets.ts';
import { verify_session_token } from '../shared/session/verify.ts';
import { after_sign_in_path, sign_in, sign_out, SESSION_COOKIE_OPTIONS } from './sessions.ts';

vi.mock('@netlify/blobs', () => ({
	getStore: () => {
		throw new Error('The environment has not been configured to use Netlify Blobs.');
	}
}));

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const NOW_S = NOW / 1000;
const SESSION = {
	user_id: '7',
	role: 'customer',
	session_id: 's-7',
	expires_at: NOW_S + 60
} as const;

function fake_cookies() {
	const set = vi.fn();
	const deleted = vi.fn();
	return { cookies: { set, delete: deleted } as unknown as Cookies, set, deleted };
}

/** Attributes of a `Set-Cookie` value, lower-cased, without the name and value. */
function attributes(set_cookie: string): string[] {
	return set_cookie
		.split(';')
		.slice(1)
		.map((part) => part.trim().toLowerCase())
		.sort();
}

describe('SESSION_COOKIE_OPTIONS', () => {
	test('match session_cookie attributes', () => {
		const expected = attributes(session_cookie('token'));
		const options = [
			`path=${SESSION_COOKIE_OPTIONS.path}`,
			'httponly',
			'secure',
			`samesite=${SESSION_COOKIE_OPTIONS.sameSite}`,
			`max-age=${SESSION_TTL_S}`
		].sort();
		expect(options).toEqual(expected);
	});
});

describe('sign_in', () => {
	test('sets a verifiable session cookie', async () => {
		const { cookies, set } = fake_cookies();
		const user = { id: 7, email: 'a@example.com', name: 'A', role: 'customer' } as const;

		const session = await sign_in(cookies, user, DEVELOPMENT_SECRETS, NOW);

		expect(set).toHaveBeenCalledOnce();
		const [name, token, options] = set.mock.calls[0]!;
		expect(name).toBe(SESSION_COOKIE);
		expect(options).toEqual({ ...SESSION_COOKIE_OPTIONS, maxAge: SESSION_TTL_S });
		const keyring = await load_session_keyring(DEVELOPMENT_SECRETS.session);
		expect(await verify_session_token(token, keyring, NOW)).toEqual({ ok: true, session });
		expect(session.user_id).toBe('7');
		expect(session.expires_at).toBe(NOW_S + SESSION_TTL_S);
	});
});

describe('sign_out', () => {
	test('revokes past any renewal', async () => {
		const { cookies, deleted } = fake_cookies();
		const store = { set: vi.fn(async () => {}) };

		await sign_out(cookies, SESSION, () => store, NOW);

		expect(deleted).toHaveBeenCalledWith(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
		expect(store.set).toHaveBeenCalledWith(
			`${NOW_S + SESSION_TTL_S + REVOCATION_MARGIN_S}.s-7`,
			''
		);
	});

	test('clears cookie when Blobs fails', async () => {
		const { cookies, deleted } = fake_cookies();
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});

		await sign_out(cookies, SESSION);

		expect(deleted).toHaveBeenCalledWith(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
		expect(error).toHaveBeenCalledOnce();
		expect(error.mock.calls[0]![0]).toContain('Could not revoke session s-7');
		error.mockRestore();
	});

	test('skips revocation when signed out', async () => {
		const { cookies, deleted } = fake_cookies();
		const store = { set: vi.fn(async () => {}) };
		await sign_out(cookies, null, () => store, NOW);
		expect(deleted).toHaveBeenCalledOnce();
		expect(store.set).not.toHaveBeenCalled();
	});
});

describe('after_sign_in_path', () => {
	test('keeps a same-site path', () => {
		expect(after_sign_in_path('/checkout?region=uk')).toBe('/checkout?region=uk');
	});

	test('rejects another site', () => {
		expect(after_sign_in_path('//evil.example/')).toBe('/');
	});

	test('defaults to the account', () => {
		expect(after_sign_in_path(null)).toBe('/account');
		expect(after_sign_in_path('')).toBe('/account');
	});
});
