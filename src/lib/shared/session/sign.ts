/**
 * Issues session tokens. Login calls this after checking the password; tests call it to sign
 * in without a database.
 */
import { SignJWT } from 'jose/jwt/sign';
import type { SessionKeyring } from './keys.ts';
import {
	SESSION_ALGORITHM,
	SESSION_AUDIENCE,
	SESSION_ISSUER,
	SESSION_TOKEN_TYPE,
	SESSION_TTL_S,
	type Session,
	type SessionRole
} from './policy.ts';

export interface SignSessionInput {
	user_id: string;
	role: SessionRole;
	/** Issue time in milliseconds since the epoch; defaults to `Date.now()`. */
	now_ms?: number;
	/** Lifetime in seconds; defaults to `SESSION_TTL_S`. */
	ttl_s?: number;
	/** Token id; defaults to a random UUID. Renewals keep the id, so one revocation ends them all. */
	session_id?: string;
	/** Login time in seconds since the epoch (`auth_time`); defaults to the issue time. */
	authenticated_at?: number;
}

export interface SignedSession {
	token: string;
	session: Session;
}

/** Signs a session token with the keyring's current key and `kid`. */
export async function sign_session_token(
	input: SignSessionInput,
	keyring: SessionKeyring
): Promise<SignedSession> {
	const issued_at = Math.floor((input.now_ms ?? Date.now()) / 1000);
	const expires_at = issued_at + (input.ttl_s ?? SESSION_TTL_S);
	const session_id = input.session_id ?? crypto.randomUUID();
	const authenticated_at = input.authenticated_at ?? issued_at;

	const token = await new SignJWT({ role: input.role, auth_time: authenticated_at })
		.setProtectedHeader({
			alg: SESSION_ALGORITHM,
			typ: SESSION_TOKEN_TYPE,
			kid: keyring.current.kid
		})
		.setIssuer(SESSION_ISSUER)
		.setAudience(SESSION_AUDIENCE)
		.setSubject(input.user_id)
		.setJti(session_id)
		.setIssuedAt(issued_at)
		.setExpirationTime(expires_at)
		.sign(keyring.current.key);

	return {
		token,
		session: { user_id: input.user_id, role: input.role, session_id, expires_at }
	};
}
