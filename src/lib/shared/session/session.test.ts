import { describe, expect, test } from 'vitest';
import { load_session_keyring, type SessionKeyring } from './keys.ts';
import { SESSION_TTL_S } from './policy.ts';
import { sign_session_token } from './sign.ts';
import { verify_session_token } from './verify.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const NOW_S = NOW / 1000;
const CURRENT = 'session-test-current-secret-0123456789abcdef';
const PREVIOUS = 'session-test-previous-secret-0123456789abcdef';

const encoder = new TextEncoder();
const b64 = (value: object | Uint8Array) =>
	Buffer.from(value instanceof Uint8Array ? value : JSON.stringify(value)).toString('base64url');

/** Signs arbitrary header and claims with HMAC-SHA256, bypassing every policy check. */
async function forge(
	header: object,
	claims: object,
	secret: string | Uint8Array<ArrayBuffer>
): Promise<string> {
	const input = `${b64(header)}.${b64(claims)}`;
	const bytes = typeof secret === 'string' ? encoder.encode(secret) : secret;
	const key = await crypto.subtle.importKey(
		'raw',
		bytes,
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign']
	);
	const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(input)));
	return `${input}.${b64(signature)}`;
}

async function keyring(previous?: string): Promise<SessionKeyring> {
	return load_session_keyring({ current: CURRENT, previous });
}

async function valid_parts() {
	const ring = await keyring();
	const header = { alg: 'HS256', typ: 'session+jwt', kid: ring.current.kid };
	const claims = {
		iss: 'splitshop',
		aud: 'splitshop-web',
		sub: 'user-7',
		role: 'customer',
		jti: 'session-1',
		iat: NOW_S,
		exp: NOW_S + 3600
	};
	return { ring, header, claims };
}

describe('sign_session_token', () => {
	test('produces a token verify accepts', async () => {
		const ring = await keyring();
		const { token, session } = await sign_session_token(
			{ user_id: 'user-7', role: 'admin', now_ms: NOW },
			ring
		);
		const result = await verify_session_token(token, ring, NOW);
		expect(result).toEqual({ ok: true, session });
		expect(session.expires_at).toBe(NOW_S + SESSION_TTL_S);
	});

	test('writes the pinned header', async () => {
		const ring = await keyring();
		const { token } = await sign_session_token(
			{ user_id: 'user-7', role: 'customer', now_ms: NOW },
			ring
		);
		const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
		expect(header).toEqual({ alg: 'HS256', typ: 'session+jwt', kid: ring.current.kid });
	});
});

describe('verify_session_token', () => {
	test('rejects alg none', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = `${b64({ ...header, alg: 'none' })}.${b64({ ...claims, role: 'admin' })}.`;
		expect(await verify_session_token(token, ring, NOW)).toEqual({
			ok: false,
			failure: 'malformed'
		});
	});

	test('rejects public key as HMAC secret', async () => {
		const { ring, header, claims } = await valid_parts();
		const pem = encoder.encode(
			'-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n'
		);
		const token = await forge(header, claims, pem);
		expect(await verify_session_token(token, ring, NOW)).toEqual({
			ok: false,
			failure: 'malformed'
		});
	});

	test('rejects another audience', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge(header, { ...claims, aud: 'another-app' }, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toEqual({ ok: false, failure: 'claims' });
	});

	test('rejects a flipped signature bit', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge(header, claims, CURRENT);
		const [head, body, signature] = token.split('.') as [string, string, string];
		const bytes = Buffer.from(signature, 'base64url');
		bytes[0] = (bytes[0] as number) ^ 1;
		const flipped = `${head}.${body}.${bytes.toString('base64url')}`;
		expect(await verify_session_token(token, ring, NOW)).toMatchObject({ ok: true });
		expect(await verify_session_token(flipped, ring, NOW)).toEqual({
			ok: false,
			failure: 'malformed'
		});
	});

	test('rejects algorithms other than HS256', async () => {
		const { ring, header, claims } = await valid_parts();
		for (const alg of ['HS512', 'RS256', 'ES256', 'EdDSA']) {
			const token = await forge({ ...header, alg }, claims, CURRENT);
			expect(await verify_session_token(token, ring, NOW), alg).toEqual({
				ok: false,
				failure: 'malformed'
			});
		}
	});

	test('rejects another typ', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge({ ...header, typ: 'JWT' }, claims, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toEqual({ ok: false, failure: 'claims' });
	});

	test('rejects another issuer', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge(header, { ...claims, iss: 'elsewhere' }, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toEqual({ ok: false, failure: 'claims' });
	});

	test('rejects a token without jti', async () => {
		const { ring, header, claims } = await valid_parts();
		const without: Partial<typeof claims> = { ...claims };
		delete without.jti;
		const token = await forge(header, without, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toEqual({ ok: false, failure: 'claims' });
	});

	test('rejects an unknown role', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge(header, { ...claims, role: 'root' }, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toEqual({ ok: false, failure: 'claims' });
	});

	test('rejects an unknown kid', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge({ ...header, kid: 'unknown' }, claims, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toEqual({
			ok: false,
			failure: 'malformed'
		});
	});

	test('accepts nbf 3 s ahead', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge(header, { ...claims, nbf: NOW_S + 3 }, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toMatchObject({ ok: true });
	});

	test('accepts exp 3 s past', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge(header, { ...claims, exp: NOW_S - 3 }, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toMatchObject({ ok: true });
	});

	test('rejects exp 30 s past', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge(header, { ...claims, exp: NOW_S - 30 }, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toEqual({ ok: false, failure: 'expired' });
	});

	test('rejects nbf 30 s ahead', async () => {
		const { ring, header, claims } = await valid_parts();
		const token = await forge(header, { ...claims, nbf: NOW_S + 30 }, CURRENT);
		expect(await verify_session_token(token, ring, NOW)).toEqual({ ok: false, failure: 'claims' });
	});

	test('rejects garbage without throwing', async () => {
		const ring = await keyring();
		for (const token of ['', 'a', 'a.b.c', '...', 'x'.repeat(5000), '\u0000.\u0000.\u0000']) {
			expect((await verify_session_token(token, ring, NOW)).ok).toBe(false);
		}
	});
});

describe('load_session_keyring', () => {
	test('accepts the previous secret', async () => {
		const old_ring = await load_session_keyring({ current: PREVIOUS });
		const { token } = await sign_session_token(
			{ user_id: 'user-7', role: 'customer', now_ms: NOW },
			old_ring
		);

		const rotated = await keyring(PREVIOUS);
		expect(rotated.by_kid.size).toBe(2);
		expect(await verify_session_token(token, rotated, NOW)).toMatchObject({ ok: true });
		expect(await verify_session_token(token, await keyring(), NOW)).toEqual({
			ok: false,
			failure: 'malformed'
		});
	});

	test('signs with the current secret', async () => {
		const rotated = await keyring(PREVIOUS);
		const current_only = await keyring();
		const { token } = await sign_session_token(
			{ user_id: 'user-7', role: 'customer', now_ms: NOW },
			rotated
		);
		expect(await verify_session_token(token, current_only, NOW)).toMatchObject({ ok: true });
	});

	test('imports the keys once per secrets', async () => {
		const secrets = { current: CURRENT };
		expect(load_session_keyring(secrets)).toBe(load_session_keyring(secrets));
		expect(await load_session_keyring({ current: CURRENT })).toBe(
			await load_session_keyring(secrets)
		);
	});
});
