/**
 * Session token policy shared by the edge, the server hooks and the login code that issues
 * tokens. A session is an HS256 JWT in the session cookie. Every verifier uses these values, so
 * a token is accepted or rejected the same way wherever it is checked.
 */

/**
 * The only signing algorithm accepted. Only this site issues and verifies sessions, so no public
 * key is needed, and an HMAC check costs less CPU than an ECDSA or EdDSA verification.
 */
export const SESSION_ALGORITHM = 'HS256';

export const SESSION_ISSUER = 'splitshop';
export const SESSION_AUDIENCE = 'splitshop-web';

/** Explicit `typ` header (RFC 8725, section 3.11) so no other JWT of this site passes as a session. */
export const SESSION_TOKEN_TYPE = 'session+jwt';

/** Claims a session token must carry besides `iss` and `aud`. */
export const SESSION_REQUIRED_CLAIMS = ['sub', 'role', 'jti', 'iat', 'exp'] as const;

/** Allowed difference between the issuer's clock and the verifier's clock, in seconds. */
export const SESSION_CLOCK_TOLERANCE_S = 5;

/**
 * Lifetime of a session token and of its cookie, in seconds (1 hour). It is short because a
 * stolen token stays valid until it expires. Function requests renew it while the visitor is active.
 */
export const SESSION_TTL_S = 60 * 60;

/** A token with at most this many seconds left is replaced on the next function request. */
export const SESSION_RENEW_BEFORE_S = SESSION_TTL_S / 2;

/** Seconds after login (`auth_time`) beyond which no renewal is issued (7 days). */
export const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;

/**
 * Name of the session cookie. The `__Host-` prefix makes browsers accept it only with `Secure`,
 * `Path=/` and no `Domain`, so a sibling subdomain cannot plant or shadow it.
 */
export const SESSION_COOKIE = '__Host-session';

export const SESSION_ROLES = ['customer', 'admin'] as const;
export type SessionRole = (typeof SESSION_ROLES)[number];

/** The verified claims of a session, reduced to what the application uses. */
export interface Session {
	/** User id (`sub`). */
	user_id: string;
	role: SessionRole;
	/** Token id (`jti`), the key of the revocation list. */
	session_id: string;
	/** Expiry (`exp`), in seconds since the epoch. */
	expires_at: number;
}

export function is_session_role(value: unknown): value is SessionRole {
	return SESSION_ROLES.includes(value as SessionRole);
}

/** User and token ids are short ASCII identifiers, so they fit in a header without escaping. */
export function is_identifier(value: unknown): value is string {
	if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
	for (let index = 0; index < value.length; index++) {
		const code = value.charCodeAt(index);
		const is_alphanumeric =
			(code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
		if (!is_alphanumeric && code !== 45 && code !== 95) return false;
	}
	return true;
}
