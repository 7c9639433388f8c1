/**
 * Password hashing with scrypt from `node:crypto`, at the OWASP Password Storage Cheat Sheet's
 * scrypt parameters (N=2^17, r=8, p=1). A stored hash names its own parameters, so raising them
 * later only needs `needs_rehash` at the next successful login.
 *
 * Format: `scrypt$N$r$p$salt$hash`, with salt and hash in unpadded base64url.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt parameters: CPU/memory cost `N` (a power of two), block size `r`, parallelism `p`. */
export interface ScryptParams {
	N: number;
	r: number;
	p: number;
}

export const SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = 'scrypt';

// Upper bounds for parameters read back from the database, so that a corrupted or hostile row
// cannot make one login allocate gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

export interface PasswordHash {
	params: ScryptParams;
	salt: Buffer;
	hash: Buffer;
}

/** Hashes a password with a new random salt and returns the encoded hash. */
export async function hash_password(
	password: string,
	params: ScryptParams = SCRYPT_PARAMS
): Promise<string> {
	check_params(params);
	const salt = randomBytes(SALT_BYTES);
	const hash = await derive(password, salt, KEY_BYTES, params);
	return encode({ params, salt, hash });
}

/**
 * Checks a password against an encoded hash in constant time. Throws when `encoded` is not a
 * hash this module wrote, because that is a data fault rather than a wrong password.
 */
export async function verify_password(password: string, encoded: string): Promise<boolean> {
	const stored = parse_password_hash(encoded);
	const candidate = await derive(password, stored.salt, stored.hash.length, stored.params);
	return timingSafeEqual(candidate, stored.hash);
}

/**
 * Returns true when `encoded` was made with parameters, salt or key sizes other than the current
 * ones.
 */
export function needs_rehash(encoded: string, params: ScryptParams = SCRYPT_PARAMS): boolean {
	const stored = parse_password_hash(encoded);
	return (
		stored.params.N !== params.N ||
		stored.params.r !== params.r ||
		stored.params.p !== params.p ||
		stored.salt.length !== SALT_BYTES ||
		stored.hash.length !== KEY_BYTES
	);
}

/**
 * Decodes `scrypt$N$r$p$salt$hash`, rejecting anything malformed or with parameters out of
 * bounds.
 */
export function parse_password_hash(encoded: string): PasswordHash {
	const parts = encoded.split('$');
	if (parts.length !== 6 || parts[0] !== PREFIX) {
		throw new Error('Invalid password hash: expected the format scrypt$N$r$p$salt$hash');
	}

	const [, n_text, r_text, p_text, salt_text, hash_text] = parts as [string, ...string[]];
	const params = {
		N: parse_decimal(n_text!),
		r: parse_decimal(r_text!),
		p: parse_decimal(p_text!)
	};
	check_params(params);

	const salt = parse_base64url(salt_text!);
	const hash = parse_base64url(hash_text!);
	if (salt.length < 16 || hash.length < 16) {
		throw new Error('Invalid password hash: salt and hash must each be at least 16 bytes');
	}
	return { params, salt, hash };
}

function encode({ params, salt, hash }: PasswordHash): string {
	const fields = [
		params.N,
		params.r,
		params.p,
		salt.toString('base64url'),
		hash.toString('base64url')
	];
	return [PREFIX, ...fields].join('$');
}

/**
 * Runs scrypt off the main thread. The password is NFKC-normalised first, as NIST SP 800-63B
 * advises, so the same characters typed on different keyboards give the same hash.
 */
function derive(
	password: string,
	salt: Buffer,
	key_bytes: number,
	params: ScryptParams
): Promise<Buffer> {
	// scrypt needs 128 * N * r * p bytes; Node's default `maxmem` of 32 MiB is below N=2^17, r=8.
	const maxmem = 128 * params.N * params.r * params.p + 16 * 1024 * 1024;
	return new Promise((resolve, reject) => {
		scrypt(password.normalize('NFKC'), salt, key_bytes, { ...params, maxmem }, (error, key) => {
			if (error) reject(error);
			else resolve(key);
		});
	});
}

function check_params({ N, r, p }: ScryptParams): void {
	const is_power_of_two = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
	if (!is_power_of_two || N > MAX_N) {
		throw new Error(`Invalid scrypt N ${N}: expected a power of two from 2 to ${MAX_N}`);
	}
	if (!Number.isInteger(r) || r < 1 || r > MAX_R) {
		throw new Error(`Invalid scrypt r ${r}: expected an integer from 1 to ${MAX_R}`);
	}
	if (!Number.isInteger(p) || p < 1 || p > MAX_P) {
		throw new Error(`Invalid scrypt p ${p}: expected an integer from 1 to ${MAX_P}`);
	}
}

function parse_decimal(text: string): number {
	return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : NaN;
}

function parse_base64url(text: string): Buffer {
	if (!/^[A-Za-z0-9_-]+$/.test(text)) {
		throw new Error('Invalid password hash: salt and hash must be unpadded base64url');
	}
	return Buffer.from(text, 'base64url');
}
