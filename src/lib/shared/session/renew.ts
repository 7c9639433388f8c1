/**
 * Sliding renewal of session tokens. A token lives `SESSION_TTL_S`. Once it has at most
 * `SESSION_RENEW_BEFORE_S` left, the next function request gets a new token with the same
 * session id and login time, until `SESSION_MAX_AGE_S` after login. So an idle visitor is signed
 * out when the token expires, and an active one signs in again once a week.
 */
import { decodeJwt } from 'jose/jwt/decode';
import type { SessionKeyring } from './keys.ts';
import {
	SESSION_MAX_AGE_S,
	SESSION_RENEW_BEFORE_S,
	SESSION_TTL_S,
	type Session,
	type SessionRole
} from './policy.ts';
import { sign_session_token, type SignedSession } from './sign.ts';
import { verify_session_token } from './verify.ts';

/**
 * Seconds a revocation entry outlives the newest token a renewal could still issue. Servers read
 * the revocation list through caches that refresh every 30 s, so a request with the old cookie
 * can be renewed for a short while after logout.
 */
export const REVOCATION_MARGIN_S = 5 * 60;

/** Checks whether a verified session is close enough to its expiry to be renewed. */
export function is_renewal_due(session: Pick<Session, 'expires_at'>, now_ms: number): boolean {
	return session.expires_at - Math.floor(now_ms / 1000) <= SESSION_RENEW_BEFORE_S;
}

/**
 * Verifies `token` and returns a renewed token for the same session, or null when the token is
 * invalid, not yet due, or past the maximum age. `current_role` is the user's role as stored now,
 * so a role change applies from the next renewal; without it the old token's role is kept.
 * Revoking the session id (logout) is how a session ends before its expiry.
 */
export async function renew_session_token(
	token: string,
	keyring: SessionKeyring,
	now_ms: number,
	current_role?: SessionRole
): Promise<SignedSession | null> {
	const result = await verify_session_token(token, keyring, now_ms);
	if (!result.ok || !is_renewal_due(result.session, now_ms)) return null;

	const { session } = result;
	const now_s = Math.floor(now_ms / 1000);
	const authenticated_at = read_authenticated_at(token, now_s);
	const ttl_s = Math.min(SESSION_TTL_S, authenticated_at + SESSION_MAX_AGE_S - now_s);
	if (now_s + ttl_s <= session.expires_at) return null;

	return sign_session_token(
		{
			user_id: session.user_id,
			role: current_role ?? session.role,
			session_id: session.session_id,
			authenticated_at,
			now_ms,
			ttl_s
		},
		keyring
	);
}

/**
 * Returns the session id and expiry under which to revoke `session` at `now_ms`. The expiry is
 * pushed past the newest token any renewal of this session could still carry, because the
 * revocation list drops an entry once its expiry has passed.
 */
export function revocation_entry(
	session: Pick<Session, 'session_id' | 'expires_at'>,
	now_ms: number
): Pick<Session, 'session_id' | 'expires_at'> {
	const latest_renewal = Math.floor(now_ms / 1000) + SESSION_TTL_S;
	return {
		session_id: session.session_id,
		expires_at: Math.max(session.expires_at, latest_renewal) + REVOCATION_MARGIN_S
	};
}

/**
 * Reads `auth_time` from a token that `verify_session_token` has accepted. Tokens signed without
 * it, or with a value in the future, count from their issue time.
 */
function read_authenticated_at(token: string, now_s: number): number {
	const { auth_time, iat } = decodeJwt(token);
	if (typeof auth_time === 'number' && Number.isInteger(auth_time) && auth_time <= now_s) {
		return auth_time;
	}
	return iat as number;
}
