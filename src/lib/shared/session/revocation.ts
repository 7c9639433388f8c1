/**
 * Revoked sessions (logout, password change, admin action). Each revocation is its own blob in
 * the `revoked-sessions` store, keyed `<exp>.<jti>`. Writers never read-modify-write a shared
 * list, because Netlify Blobs would lose updates under concurrent writes. Readers get every
 * revoked id and its expiry from one `list()` call without fetching the blobs.
 */
import { SESSION_CLOCK_TOLERANCE_S, is_identifier, type Session } from './policy.ts';

export const REVOCATION_STORE = 'revoked-sessions';

/** The part of a Netlify Blobs store that revocation writes use. */
export interface RevocationWriter {
	set(key: string, data: string): Promise<unknown>;
}

/** Blob key of a revoked session. */
export function revocation_key(session: Pick<Session, 'session_id' | 'expires_at'>): string {
	return `${session.expires_at}.${session.session_id}`;
}

/** Records that a session is revoked. The edge applies it once its cached list refreshes. */
export async function revoke_session(
	store: RevocationWriter,
	session: Pick<Session, 'session_id' | 'expires_at'>
): Promise<void> {
	await store.set(revocation_key(session), '');
}

/**
 * Builds the set of revoked session ids from blob keys, leaving out entries whose token has
 * expired beyond the clock tolerance (verification rejects it anyway) and keys that do not have the expected shape.
 */
export function parse_revocation_keys(keys: Iterable<string>, now_s: number): Set<string> {
	const revoked = new Set<string>();
	for (const key of keys) {
		const dot = key.indexOf('.');
		if (dot <= 0) continue;
		const expires_at = Number(key.slice(0, dot));
		const session_id = key.slice(dot + 1);
		if (!Number.isInteger(expires_at) || !is_identifier(session_id)) continue;
		if (expires_at + SESSION_CLOCK_TOLERANCE_S >= now_s) revoked.add(session_id);
	}
	return revoked;
}
