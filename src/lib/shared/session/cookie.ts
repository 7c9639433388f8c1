/** The session cookie, written the same way by login, logout and the edge. */
import { delete_cookie, serialize_cookie } from '../../edge/cookies.ts';
import { SESSION_COOKIE, SESSION_TTL_S } from './policy.ts';

/** `Set-Cookie` value that stores a session token. Scripts never read it, so it is HttpOnly. */
export function session_cookie(token: string, max_age_s: number = SESSION_TTL_S): string {
	return serialize_cookie(SESSION_COOKIE, token, { max_age: max_age_s });
}

/** `Set-Cookie` value that deletes the session cookie. */
export function clear_session_cookie(): string {
	return delete_cookie(SESSION_COOKIE);
}
