/**
 * HMAC keys for session tokens, imported once per isolate or process. Two secrets may be live
 * during a rotation: tokens are signed with the current one and verified with either, chosen by
 * the `kid` header.
 */
import { encode as base64url } from 'jose/base64url';

export interface SessionSecrets {
	/** Secret that signs new tokens (`SESSION_SECRET`). */
	current: string;
	/** Secret of the previous rotation, still accepted for verification (`SESSION_SECRET_PREVIOUS`). */
	previous?: string;
}

export interface SessionKeyring {
	/** Key id and key that sign new tokens. */
	current: { kid: string; key: CryptoKey };
	/** Every key accepted for verification, by key id. */
	by_kid: ReadonlyMap<string, CryptoKey>;
}

const keyrings = new Map<string, Promise<SessionKeyring>>();
const keyrings_by_object = new WeakMap<SessionSecrets, Promise<SessionKeyring>>();
const encoder = new TextEncoder();

/**
 * Returns the keyring for these secrets, importing the keys on the first call only. Importing
 * costs a digest and two `importKey` calls, which would otherwise run on every request.
 */
export function load_session_keyring(secrets: SessionSecrets): Promise<SessionKeyring> {
	// Callers pass the same secrets object on every request; looking it up skips building the key.
	const known = keyrings_by_object.get(secrets);
	if (known) return known;

	const cache_key = `${secrets.current}\n${secrets.previous ?? ''}`;
	let keyring = keyrings.get(cache_key);
	if (!keyring) {
		keyring = import_keyring(secrets);
		keyrings.set(cache_key, keyring);
		// A failed import must not stay cached, or every later request would fail the same way.
		keyring.catch(() => {
			keyrings.delete(cache_key);
			keyrings_by_object.delete(secrets);
		});
	}
	keyrings_by_object.set(secrets, keyring);
	return keyring;
}

async function import_keyring(secrets: SessionSecrets): Promise<SessionKeyring> {
	const current = await import_session_key(secrets.current);
	const by_kid = new Map([[current.kid, current.key]]);

	if (secrets.previous && secrets.previous !== secrets.current) {
		const previous = await import_session_key(secrets.previous);
		by_kid.set(previous.kid, previous.key);
	}

	return { current, by_kid };
}

/**
 * Imports one secret as an HS256 key. The key id is the first 72 bits of the secret's SHA-256
 * digest, so both sides of a rotation agree on it without a separate variable. For a random
 * secret of `SECRET_MIN_LENGTH` characters or more, the digest does not help guess the secret.
 */
async function import_session_key(secret: string): Promise<{ kid: string; key: CryptoKey }> {
	const bytes = encoder.encode(secret);
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
	const kid = base64url(digest.subarray(0, 9));
	const key = await crypto.subtle.importKey(
		'raw',
		bytes,
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign', 'verify']
	);
	return { kid, key };
}
