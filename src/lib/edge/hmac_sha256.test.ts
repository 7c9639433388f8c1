import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HmacSha256, sha256 } from './hmac_sha256.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ascii = (text: string) => new TextEncoder().encode(text);

async function webcrypto_hmac(key: Uint8Array, message: Uint8Array): Promise<string> {
	const imported = await crypto.subtle.importKey(
		'raw',
		new Uint8Array(key),
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign']
	);
	return hex(new Uint8Array(await crypto.subtle.sign('HMAC', imported, new Uint8Array(message))));
}

describe('sha256', () => {
	test('matches the FIPS 180-4 examples', () => {
		expect(hex(sha256(ascii('abc')))).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
		expect(hex(sha256(ascii('')))).toBe(
			'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
		);
		expect(hex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
			'248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'
		);
	});
});

describe('HmacSha256', () => {
	test('matches RFC 4231 test case 2', () => {
		const mac = new HmacSha256(ascii('Jefe')).sign(ascii('what do ya want for nothing?'));
		expect(hex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
	});

	test('matches WebCrypto for any input', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uint8Array({ minLength: 1, maxLength: 150 }),
				fc.uint8Array({ maxLength: 300 }),
				async (key, message) => {
					expect(hex(new HmacSha256(key).sign(message))).toBe(await webcrypto_hmac(key, message));
				}
			),
			{ numRuns: 300 }
		);
	});

	test('repeats the same MAC', () => {
		const signer = new HmacSha256(ascii('key'));
		expect(hex(signer.sign(ascii('message')))).toBe(hex(signer.sign(ascii('message'))));
	});
});
