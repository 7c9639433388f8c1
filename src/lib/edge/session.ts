/**
 * The session step: reads the session cookie, verifies it, and checks the revocation list.
 * Verified tokens are remembered per isolate, so a visitor's next requests skip the signature
 * check. Expiry and revocation are still checked on every request.
 */
import type { SessionKeyring } from '../shared/session/keys.ts';
import {
	SESSION_CLOCK_TOLERANCE_S,
	SESSION_COOKIE,
	type Session
} from '../shared/session/policy.ts';
import { verify_session_token, type SessionFailure } from '../shared/session/verify.ts';
import { read_cookie } from './cookies.ts';

export interface SessionState {
	/** The verified, unrevoked session, or null. */
	session: Session | null;
	/** Reason a session cookie that was sent is rejected, or null. A rejected cookie must be deleted. */
	failure: SessionFailure | 'revoked' | null;
}

const ANONYMOUS: SessionState = { session: null, failure: null };

/** Maximum number of verified tokens remembered per isolate. */
const DEFAULT_MAX_ENTRIES = 10_000;

export class SessionVerifier {
	#max_entries: number;
	#verified = new WeakMap<SessionKeyring, Map<string, Session>>();

	/** `max_entries` of 0 turns the memory off, so every request verifies the token. */
	constructor(max_entries = DEFAULT_MAX_ENTRIES) {
		this.#max_entries = max_entries;
	}

	/** Reads and checks the session cookie from a `Cookie` header. */
	async read(
		cookie_header: string | null,
		keyring: SessionKeyring,
		revoked: ReadonlySet<string>,
		now_ms: number
	): Promise<SessionState> {
		const token = read_cookie(cookie_header, SESSION_COOKIE);
		if (token === null || token === '') return ANONYMOUS;

		let cache = this.#verified.get(keyring);
		if (!cache) {
			cache = new Map();
			this.#verified.set(keyring, cache);
		}

		let session = cache.get(token);
		if (session) {
			if (Math.floor(now_ms / 1000) > session.expires_at + SESSION_CLOCK_TOLERANCE_S) {
				cache.delete(token);
				return { session: null, failure: 'expired' };
			}
		} else {
			const result = await verify_session_token(token, keyring, now_ms);
			if (!result.ok) return { session: null, failure: result.failure };
			session = result.session;
			this.#remember(cache, token, session);
		}

		if (revoked.has(session.session_id)) return { session: null, failure: 'revoked' };
		return { session, failure: null };
	}

	#remember(cache: Map<string, Session>, token: string, session: Session): void {
		if (this.#max_entries === 0) return;
		if (cache.size >= this.#max_entries) {
			// Map keys iterate in insertion order, so this drops the oldest entry.
			const oldest = cache.keys().next();
			if (!oldest.done) cache.delete(oldest.value);
		}
		cache.set(token, session);
	}
}
