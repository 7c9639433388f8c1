import { building } from '$app/environment';
import {
	isRedirect,
	json,
	redirect,
	type Handle,
	type HandleServerError,
	type RequestEvent
} from '@sveltejs/kit';
import { read_cookie } from '$lib/edge/cookies.ts';
import { login_location, protection_for } from '$lib/edge/protect.ts';
import { database_failure_result } from '$lib/server/commerce/errors.ts';
import { anonymous_identity, resolve_identity, revoked_sessions } from '$lib/server/identity.ts';
import { hash_user_id, log_error, log_request } from '$lib/server/request_log.ts';
import {
	current_request_metrics,
	with_request_metrics,
	type RequestMetrics
} from '$lib/server/request_metrics.ts';
import { server_secrets } from '$lib/server/secrets.ts';
import { session_cookie } from '$lib/shared/session/cookie.ts';
import { load_session_keyring } from '$lib/shared/session/keys.ts';
import { get_db } from '$lib/server/db/index.ts';
import { read_user_role } from '$lib/server/user_role.ts';
import { SESSION_COOKIE } from '$lib/shared/session/policy.ts';
import { is_renewal_due, renew_session_token } from '$lib/shared/session/renew.ts';
import type { Secrets } from '$lib/shared/session/secrets.ts';

type Resolve = Parameters<Handle>[0]['resolve'];

/**
 * Puts the visitor's identity on `event.locals`, trusting the edge's signed headers only when
 * they verify. Protected routes are checked again here, so a request that reaches the function
 * without passing the edge gets the same 401 or login redirect. Every request is logged as one
 * JSON line, and its response gets `x-request-id`, `Server-Timing` (origin and database time)
 * and, when the session is due, a renewed session cookie.
 */
export const handle: Handle = async ({ event, resolve }) => {
	if (building) {
		// Prerendered pages are the same for every visitor, and SvelteKit forbids reading
		// `$env/dynamic/private` while prerendering.
		Object.assign(event.locals, anonymous_identity(event.url));
		return resolve(event);
	}

	const started = performance.now();
	let secrets: Secrets | undefined;
	let metrics: RequestMetrics | undefined;
	let status = 500;
	try {
		const current = server_secrets(event.platform?.context?.deploy?.context);
		secrets = current;
		const run = with_request_metrics(() => authorize_and_resolve(event, resolve, current));
		metrics = run.metrics;
		const response = await finish_response(event, await run.result, metrics, current, started);
		status = response.status;
		return response;
	} catch (error) {
		if (isRedirect(error)) status = error.status;
		throw error;
	} finally {
		const user_id = event.locals.user?.user_id;
		log_request({
			request_id: event.locals.request_id ?? 'none',
			method: event.request.method,
			route: event.route?.id ?? null,
			status,
			duration_ms: performance.now() - started,
			db_ms: metrics?.db_ms ?? 0,
			db_queries: metrics?.db_queries ?? 0,
			user: user_id && secrets ? hash_user_id(user_id, secrets.identity) : null
		});
	}
};

/**
 * Logs an unexpected error with the request id and returns a generic message. A database that is
 * down or overloaded is recorded on the request metrics, so `handle` responds with 503
 * and `Retry-After` instead of 500.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const request_id = event.locals.request_id;
	if (status < 500) return { message, requestId: request_id };

	log_error({
		request_id: request_id ?? 'none',
		method: event.request.method,
		route: event.route?.id ?? null,
		status,
		error
	});

	const failure = database_failure_result(error);
	const metrics = current_request_metrics();
	if (failure) {
		if (metrics) metrics.database_retry_after_s = Number(failure.headers?.['retry-after'] ?? 2);
		return { message: failure.body.error.message, requestId: request_id };
	}
	return { message: 'Internal Error', requestId: request_id };
};

async function authorize_and_resolve(
	event: RequestEvent,
	resolve: Resolve,
	secrets: Secrets
): Promise<Response> {
	const now = Date.now();
	const revoked = await revoked_sessions.get(now);
	const identity = await resolve_identity(event.request, event.url, secrets, revoked, now);
	event.locals.user = identity.session;
	event.locals.cohorts = identity.cohorts;
	event.locals.region = identity.region;
	event.locals.request_id = identity.request_id;

	if (identity.failure) {
		// Explicit attributes: SvelteKit leaves out Secure on http://localhost, and browsers
		// ignore a `__Host-` cookie without it.
		event.cookies.delete(SESSION_COOKIE, {
			path: '/',
			secure: true,
			httpOnly: true,
			sameSite: 'lax'
		});
	}

	const protection = protection_for(event.url.pathname);
	if (protection && !identity.session) {
		if (protection.kind === 'api') {
			return json(
				{ code: 'unauthenticated', message: 'Sign in to use this endpoint.' },
				{ status: 401, headers: { 'cache-control': 'private, no-store' } }
			);
		}
		redirect(302, login_location(event.url));
	}
	if (protection?.role && identity.session?.role !== protection.role) {
		return json(
			{ code: 'forbidden', message: `This endpoint requires the ${protection.role} role.` },
			{ status: 403 }
		);
	}

	return resolve(event);
}

/** Adds the response headers of `handle`, turning a 500 caused by the database into a 503. */
async function finish_response(
	event: RequestEvent,
	response: Response,
	metrics: RequestMetrics,
	secrets: Secrets,
	started: number
): Promise<Response> {
	if (response.status === 500 && metrics.database_retry_after_s !== null) {
		response = new Response(response.body, {
			status: 503,
			statusText: 'Service Unavailable',
			headers: response.headers
		});
		response.headers.set('retry-after', String(metrics.database_retry_after_s));
	}

	const renewed_cookie = await renewed_session_cookie(event, response, secrets);
	try {
		response.headers.set('x-request-id', event.locals.request_id);
	} catch {
		// An endpoint returned a `fetch` response, whose headers are immutable; copy it.
		response = new Response(response.body, response);
		response.headers.set('x-request-id', event.locals.request_id);
	}
	if (renewed_cookie) response.headers.append('set-cookie', renewed_cookie);

	response.headers.append(
		'server-timing',
		`origin;dur=${(performance.now() - started).toFixed(3)}`
	);
	response.headers.append(
		'server-timing',
		`db;dur=${metrics.db_ms.toFixed(3)};desc="${metrics.db_queries} queries"`
	);
	return response;
}

/**
 * Returns a `Set-Cookie` value with a renewed session token when the session is due, or null.
 * Responses that set the session cookie themselves (login, logout) are left alone, and so are
 * responses a CDN may share between visitors, which must never carry a cookie.
 */
async function renewed_session_cookie(
	event: RequestEvent,
	response: Response,
	secrets: Secrets
): Promise<string | null> {
	const user = event.locals.user;
	const now = Date.now();
	if (!user || !is_renewal_due(user, now) || response.status >= 500) return null;
	if (is_shared_cacheable(response.headers)) return null;
	if (response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))) {
		return null;
	}

	const token = read_cookie(event.request.headers.get('cookie'), SESSION_COOKIE);
	if (!token) return null;
	// The renewed token carries the role as stored now, so a demoted admin loses the role here.
	const role = await read_user_role(get_db(), user.user_id);
	if (!role) return null;
	const renewed = await renew_session_token(
		token,
		await load_session_keyring(secrets.session),
		now,
		role
	);
	if (!renewed) return null;
	return session_cookie(renewed.token, renewed.session.expires_at - Math.floor(now / 1000));
}

function is_shared_cacheable(headers: Headers): boolean {
	if (headers.has('netlify-cdn-cache-control') || headers.has('cdn-cache-control')) return true;
	return /\b(public|s-maxage)\b/i.test(headers.get('cache-control') ?? '');
}
