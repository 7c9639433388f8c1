import { building, dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import { json, redirect, type Handle } from '@sveltejs/kit';
import { login_location, protection_for } from '$lib/edge/protect.ts';
import { anonymous_identity, resolve_identity, revoked_sessions } from '$lib/server/identity.ts';
import { SESSION_COOKIE } from '$lib/shared/session/policy.ts';
import {
	is_local_deploy_context,
	read_secrets,
	type Secrets
} from '$lib/shared/session/secrets.ts';

let secrets: Secrets | undefined;

/**
 * Puts the visitor's identity on `event.locals`, trusting the edge's signed headers only when
 * they verify. Protected routes are checked again here, so a request that reaches the function
 * without passing the edge gets the same 401 or login redirect.
 */
export const handle: Handle = async ({ event, resolve }) => {
	if (building) {
		// Prerendered pages are the same for every visitor, and SvelteKit forbids reading
		// `$env/dynamic/private` while prerendering.
		Object.assign(event.locals, anonymous_identity(event.url));
		return resolve(event);
	}

	const started = performance.now();
	secrets ??= read_secrets((name) => env[name], {
		allow_development_defaults:
			dev || is_local_deploy_context(event.platform?.context?.deploy?.context),
		warn: (message) => console.warn(message)
	});

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
				{ status: 401 }
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

	let response = await resolve(event);
	try {
		response.headers.set('x-request-id', identity.request_id);
	} catch {
		// An endpoint returned a `fetch` response, whose headers are immutable; copy it.
		response = new Response(response.body, response);
		response.headers.set('x-request-id', identity.request_id);
	}
	response.headers.append(
		'server-timing',
		`origin;dur=${(performance.now() - started).toFixed(3)}`
	);
	return response;
};
