/**
 * Signing in and out from SvelteKit actions: issues the session token under the shared policy
 * and writes or deletes the session cookie through `event.cookies`, so SvelteKit sends it with
 * redirects and action results alike.
 */
import type { Cookies } from '@sveltejs/kit';
import { getStore } from '@netlify/blobs';
import { safe_next_path } from '../edge/protect.ts';
import type { AccountUser } from './commerce/accounts.ts';
import { load_session_keyring } from '../shared/session/keys.ts';
import { SESSION_COOKIE, SESSION_TTL_S, type Session } from '../shared/session/policy.ts';
import { revocation_entry } from '../shared/session/renew.ts';
import {
	REVOCATION_STORE,
	revoke_session,
	type RevocationWriter
} from '../shared/session/revocation.ts';
import type { Secrets } from '../shared/session/secrets.ts';
import { sign_session_token } from '../shared/session/sign.ts';

/**
 * The attributes of `session_cookie()` in SvelteKit's cookie options. Secure is explicit because
 * SvelteKit leaves it out on http://localhost, and browsers reject a `__Host-` cookie without it.
 */
export const SESSION_COOKIE_OPTIONS = Object.freeze({
	path: '/',
	httpOnly: true,
	secure: true,
	sameSite: 'lax'
} as const);

/** Page a visitor lands on after signing in when no `next` was given. */
export const DEFAULT_NEXT_PATH = '/account';

/** Returns where to go after signing in: `next` when it is a path on this site, else the account. */
export function after_sign_in_path(next: unknown): string {
	return typeof next === 'string' && next !== '' ? safe_next_path(next) : DEFAULT_NEXT_PATH;
}

/** Issues a session token for `user`, sets the session cookie and returns the new session. */
export async function sign_in(
	cookies: Cookies,
	user: AccountUser,
	secrets: Secrets,
	now_ms: number = Date.now()
): Promise<Session> {
	const keyring = await load_session_keyring(secrets.session);
	const { token, session } = await sign_session_token(
		{ user_id: String(user.id), role: user.role, now_ms },
		keyring
	);
	cookies.set(SESSION_COOKIE, token, { ...SESSION_COOKIE_OPTIONS, maxAge: SESSION_TTL_S });
	return session;
}

/**
 * Deletes the session cookie and records the session as revoked, so a copy of the token stops
 * working too. A failed revocation write is logged and does not stop the sign-out: the cookie is
 * gone either way (Netlify Blobs is unreachable under `netlify serve`, for example).
 */
export async function sign_out(
	cookies: Cookies,
	session: Session | null,
	store: () => RevocationWriter = () => getStore(REVOCATION_STORE),
	now_ms: number = Date.now()
): Promise<void> {
	cookies.delete(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
	if (!session) return;

	try {
		await revoke_session(store(), revocation_entry(session, now_ms));
	} catch (error) {
		const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
		console.error(
			`[sessions] Could not revoke session ${session.session_id} in the "${REVOCATION_STORE}" store, ` +
				`so a copy of its token stays valid until it expires: ${reason}`
		);
	}
}
