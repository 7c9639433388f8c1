/**
 * Session token verification with the pinned policy. Every failure is a value, never an
 * exception, so a bad cookie can only lead to "signed out", not to a 500.
 */
import type { JWTHeaderParameters, JWTPayload } from 'jose';
import { jwtVerify } from 'jose/jwt/verify';
import type { SessionKeyring } from './keys.ts';
import {
	SESSION_ALGORITHM,
	SESSION_AUDIENCE,
	SESSION_CLOCK_TOLERANCE_S,
	SESSION_ISSUER,
	SESSION_REQUIRED_CLAIMS,
	SESSION_TOKEN_TYPE,
	is_identifier,
	is_session_role,
	type Session
} from './policy.ts';

/**
 * Reason a token was rejected. `expired` is kept apart so callers can log it at a lower level,
 * `malformed` covers structure, algorithm, key id and signature, and `claims` a failed claim.
 */
export type SessionFailure = 'expired' | 'malformed' | 'claims';

export type SessionResult = { ok: true; session: Session } | { ok: false; failure: SessionFailure };

/** Maximum accepted token length. A session token is about 300 characters. */
const MAX_TOKEN_LENGTH = 2048;

const VERIFY_OPTIONS = {
	algorithms: [SESSION_ALGORITHM],
	issuer: SESSION_ISSUER,
	audience: SESSION_AUDIENCE,
	typ: SESSION_TOKEN_TYPE,
	requiredClaims: [...SESSION_REQUIRED_CLAIMS],
	clockTolerance: SESSION_CLOCK_TOLERANCE_S
};

/**
 * Verifies a session token against the keyring at time `now_ms`. Checks the signature with the
 * key named by `kid`, then `alg`, `typ`, `iss`, `aud`, `exp`, `nbf` (with the clock tolerance)
 * and the shape of `sub`, `role` and `jti`. Does not consult the revocation list.
 */
export async function verify_session_token(
	token: string,
	keyring: SessionKeyring,
	now_ms: number
): Promise<SessionResult> {
	if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
		return { ok: false, failure: 'malformed' };
	}

	let payload: JWTPayload;
	try {
		const get_key = (header: JWTHeaderParameters) => {
			const key = header.kid === undefined ? undefined : keyring.by_kid.get(header.kid);
			if (!key) throw new UnknownKeyError();
			return key;
		};
		const result = await jwtVerify(token, get_key, {
			...VERIFY_OPTIONS,
			currentDate: new Date(now_ms)
		});
		payload = result.payload;
	} catch (error) {
		return { ok: false, failure: classify(error) };
	}

	const { sub, role, jti, exp } = payload;
	if (!is_identifier(sub) || !is_session_role(role) || !is_identifier(jti)) {
		return { ok: false, failure: 'claims' };
	}
	return { ok: true, session: { user_id: sub, role, session_id: jti, expires_at: exp as number } };
}

class UnknownKeyError extends Error {
	readonly code = 'UNKNOWN_KEY_ID';
}

function classify(error: unknown): SessionFailure {
	const code = (error as { code?: unknown } | null)?.code;
	if (code === 'ERR_JWT_EXPIRED') return 'expired';
	if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return 'claims';
	return 'malformed';
}
