/**
 * The visitor's identity for server code. A request that came through the edge carries signed
 * identity headers. Anything else (a direct call to the function, an expired or forged
 * signature) is treated as unproven, and the session cookie is verified here instead.
 */
import { getStore } from '@netlify/blobs';
import { read_cookie } from '$lib/edge/cookies.ts';
import { cohort_cookie_name } from '$lib/edge/cohorts.ts';
import { active_experiments, DEFAULT_FLAGS } from '$lib/edge/flags.ts';
import { region_in_path } from '$lib/edge/paths.ts';
import { create_store_caches } from '$lib/edge/stores.ts';
import { verify_identity } from '$lib/shared/identity.ts';
import {
	DEFAULT_REGION,
	REGION_COOKIE,
	is_region_code,
	type RegionCode
} from '$lib/shared/regions.ts';
import { load_session_keyring } from '$lib/shared/session/keys.ts';
import { SESSION_COOKIE, type Session } from '$lib/shared/session/policy.ts';
import type { Secrets } from '$lib/shared/session/secrets.ts';
import { verify_session_token, type SessionFailure } from '$lib/shared/session/verify.ts';

export interface RequestIdentity {
	session: Session | null;
	cohorts: Record<string, string>;
	region: RegionCode;
	request_id: string;
	/** `edge` when the signed headers verified, `cookie` when the session cookie was checked here. */
	source: 'edge' | 'cookie';
	/** Reason a session cookie that was sent is rejected, or null. A rejected cookie should be deleted. */
	failure: SessionFailure | 'revoked' | null;
}

/**
 * Resolves the identity of a request. Signed headers win when they verify. Otherwise the session
 * cookie is verified with the same policy as the edge, cohorts come from valid cohort cookies
 * (no new assignment), and the request gets a new request id.
 */
export async function resolve_identity(
	request: Request,
	url: URL,
	secrets: Secrets,
	revoked: ReadonlySet<string>,
	now_ms: number
): Promise<RequestIdentity> {
	const signed = await verify_identity(request.headers, secrets.identity, now_ms);
	if (signed) return { ...signed, source: 'edge', failure: null };

	const cookie_header = request.headers.get('cookie');
	const region_cookie = read_cookie(cookie_header, REGION_COOKIE);
	const base = {
		cohorts: cohorts_from_cookies(cookie_header),
		region:
			region_in_path(url.pathname) ??
			(is_region_code(region_cookie) ? region_cookie : DEFAULT_REGION),
		request_id: crypto.randomUUID(),
		source: 'cookie' as const
	};

	const token = read_cookie(cookie_header, SESSION_COOKIE);
	if (!token) return { ...base, session: null, failure: null };

	const keyring = await load_session_keyring(secrets.session);
	const result = await verify_session_token(token, keyring, now_ms);
	if (!result.ok) return { ...base, session: null, failure: result.failure };
	if (revoked.has(result.session.session_id)) return { ...base, session: null, failure: 'revoked' };
	return { ...base, session: result.session, failure: null };
}

/** Returns the identity of a visitor without cookies: signed out, control cohorts, the path's region. */
export function anonymous_identity(url: URL): App.Locals {
	return {
		user: null,
		cohorts: cohorts_from_cookies(null),
		region: region_in_path(url.pathname) ?? DEFAULT_REGION,
		request_id: crypto.randomUUID()
	};
}

/** Cohorts named by cohort cookies, keeping only variants the experiment has. */
function cohorts_from_cookies(cookie_header: string | null): Record<string, string> {
	const cohorts: Record<string, string> = {};
	for (const experiment of active_experiments(DEFAULT_FLAGS)) {
		const variant = read_cookie(cookie_header, cohort_cookie_name(experiment.key));
		cohorts[experiment.key] =
			variant !== null && experiment.variants.includes(variant)
				? variant
				: (experiment.variants[0] as string);
	}
	return cohorts;
}

/**
 * Revoked session ids for requests that did not pass the edge, cached per process like at the
 * edge. While the store is unreachable (for example under `vite dev`) the list is empty.
 */
export const revoked_sessions = create_store_caches(getStore, (message) =>
	console.warn(message)
).revoked_sessions;
