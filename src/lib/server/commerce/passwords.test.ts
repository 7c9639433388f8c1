import { describe, expect, test } from 'vitest';
import {
	hash_password,
	needs_rehash,
	parse_password_hash,
	SCRYPT_PARAMS,
	verify_password
} from './passwords.ts';

// Low-cost parameters keep the tests that do not check the production cost fast.
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('hash_password', () => {
	test('encodes current parameters', async () => {
		const encoded = await hash_password('correct horse battery', SCRYPT_PARAMS);
		const parts = encoded.split('$');

		expect(parts).toHaveLength(6);
		expect(parts.slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
		expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(16);
		expect(Buffer.from(parts[5]!, 'base64url')).toHaveLength(32);
		expect(await verify_password('correct horse battery', encoded)).toBe(true);
		expect(needs_rehash(encoded)).toBe(false);
	});

	test('salts every hash', async () => {
		const first = await hash_password('same password', CHEAP);
		const second = await hash_password('same password', CHEAP);

		expect(first).not.toBe(second);
		expect(parse_password_hash(first).salt.equals(parse_password_hash(second).salt)).toBe(false);
	});

	test('rejects invalid parameters', async () => {
		await expect(hash_password('password', { N: 1000, r: 8, p: 1 })).rejects.toThrow(
			'Invalid scrypt N 1000: expected a power of two from 2 to 1048576'
		);
		await expect(hash_password('password', { N: 1024, r: 0, p: 1 })).rejects.toThrow(
			'Invalid scrypt r 0'
		);
	});
});

describe('verify_password', () => {
	test('rejects wrong password', async () => {
		const encoded = await hash_password('correct horse battery', CHEAP);

		expect(await verify_password('correct horse batterY', encoded)).toBe(false);
		expect(await verify_password('', encoded)).toBe(false);
	});

	test('normalises to NFKC', async () => {
		// "ﬁ" (U+FB01 ligature) and the fullwidth "Ａ" fold to "fi" and "A" under NFKC.
		const encoded = await hash_password('ﬁle Ａ password', CHEAP);

		expect(await verify_password('file A password', encoded)).toBe(true);
	});

	test('throws on malformed hash', async () => {
		await expect(verify_password('x', 'bcrypt$2b$10$abc')).rejects.toThrow(
			'Invalid password hash: expected the format scrypt$N$r$p$salt$hash'
		);
		await expect(verify_password('x', 'scrypt$16384$8$1$c2FsdA$aGFzaA==')).rejects.toThrow(
			'unpadded base64url'
		);
	});

	test('rejects oversized stored cost', async () => {
		const salt = Buffer.alloc(16).toString('base64url');
		const hash = Buffer.alloc(32).toString('base64url');

		await expect(verify_password('x', `scrypt$${2 ** 24}$8$1$${salt}$${hash}`)).rejects.toThrow(
			`Invalid scrypt N ${2 ** 24}`
		);
	});
});

describe('needs_rehash', () => {
	test('flags weaker parameters', async () => {
		const encoded = await hash_password('correct horse battery', CHEAP);

		expect(needs_rehash(encoded)).toBe(true);
		expect(needs_rehash(encoded, CHEAP)).toBe(false);
	});
});
