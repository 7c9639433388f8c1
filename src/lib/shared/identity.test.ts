import { describe, expect, test } from 'vitest';
import {
	IDENTITY_HEADERS,
	IDENTITY_TTL_S,
	format_cohorts,
	is_internal_header,
	parse_cohorts,
	sign_identity,
	verify_identity,
	type Identity
} from './identity.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SECRET = 'identity-test-secret-0123456789abcdef0123';

const SIGNED_IN: Identity = {
	session: {
		user_id: 'user-42',
		role: 'admin',
		session_id: 'session-9',
		expires_at: NOW / 1000 + 600
	},
	cohorts: { home_hero: 'spotlight' },
	region: 'uk',
	request_id: '0b6c3a1e-8d5f-4f5e-9a41-2b7d0c9e1f00'
};

async function signed(identity: Identity = SIGNED_IN, now = NOW): Promise<Headers> {
	return new Headers(sign_identity(identity, SECRET, now));
}

describe('sign_identity', () => {
	test('round-trips through verify_identity', async () => {
		expect(await verify_identity(await signed(), SECRET, NOW)).toEqual(SIGNED_IN);
	});

	test('round-trips an anonymous visitor', async () => {
		const anonymous: Identity = { ...SIGNED_IN, session: null, cohorts: {} };
		expect(await verify_identity(await signed(anonymous), SECRET, NOW)).toEqual(anonymous);
	});
});

describe('verify_identity', () => {
	test('rejects each changed header', async () => {
		for (const [field, value] of [
			['user_id', 'user-1'],
			['role', 'customer'],
			['cohorts', 'home_hero=control'],
			['region', 'us'],
			['request_id', 'other'],
			['session_expires', '99999999999']
		] as const) {
			const headers = await signed();
			headers.set(IDENTITY_HEADERS[field], value);
			expect(await verify_identity(headers, SECRET, NOW), field).toBeNull();
		}
	});

	test('rejects another secret', async () => {
		expect(await verify_identity(await signed(), `${SECRET}-other`, NOW)).toBeNull();
	});

	test('rejects an expired signature', async () => {
		const headers = await signed();
		expect(
			await verify_identity(headers, SECRET, NOW + (IDENTITY_TTL_S + 5) * 1000)
		).not.toBeNull();
		expect(await verify_identity(headers, SECRET, NOW + (IDENTITY_TTL_S + 7) * 1000)).toBeNull();
	});

	test('rejects a far-future expiry', async () => {
		const headers = await signed(SIGNED_IN, NOW + 3600_000);
		expect(await verify_identity(headers, SECRET, NOW)).toBeNull();
	});

	test('rejects made-up headers', async () => {
		const headers = new Headers({
			[IDENTITY_HEADERS.user_id]: '1',
			[IDENTITY_HEADERS.role]: 'admin',
			[IDENTITY_HEADERS.region]: 'us',
			[IDENTITY_HEADERS.request_id]: 'abc',
			[IDENTITY_HEADERS.expires]: String(NOW / 1000 + 10),
			[IDENTITY_HEADERS.signature]: 'not-base64url!'
		});
		expect(await verify_identity(headers, SECRET, NOW)).toBeNull();
		headers.set(IDENTITY_HEADERS.signature, 'AAAA');
		expect(await verify_identity(headers, SECRET, NOW)).toBeNull();
		headers.delete(IDENTITY_HEADERS.signature);
		expect(await verify_identity(headers, SECRET, NOW)).toBeNull();
	});
});

describe('is_internal_header', () => {
	test('matches the x-splitshop- prefix', () => {
		expect(is_internal_header('x-splitshop-user-id')).toBe(true);
		expect(is_internal_header('x-splitshop-anything')).toBe(true);
		expect(is_internal_header('x-request-id')).toBe(false);
		expect(is_internal_header('cookie')).toBe(false);
	});
});

describe('format_cohorts', () => {
	test('sorts keys and parses back', () => {
		const text = format_cohorts({ zeta: 'b', alpha: 'a' });
		expect(text).toBe('alpha=a,zeta=b');
		expect(parse_cohorts(text)).toEqual({ alpha: 'a', zeta: 'b' });
	});

	test('rejects malformed pairs', () => {
		for (const text of ['a', 'a=', '=b', 'a=b,,c=d', 'a=b c']) {
			expect(parse_cohorts(text), text).toBeNull();
		}
	});
});
