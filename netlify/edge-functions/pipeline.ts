/**
 * The site's edge function. It adapts Netlify's `Request` and `Context` to the pipeline in
 * `src/lib/edge/pipeline.ts` and builds the per-isolate state on the first request: secrets
 * from the environment, the Blobs caches, the rate limiter and the session cache.
 */
import { getStore } from '@netlify/blobs';
import type { Config, Context } from '@netlify/edge-functions';
import { handle_request, type EdgeDeps } from '../../src/lib/edge/pipeline.ts';
import {
	ClientRateLimits,
	GENERAL_LIMIT,
	parse_rate_limit,
	SENSITIVE_LIMIT
} from '../../src/lib/edge/rate_limiter.ts';
import { SessionVerifier } from '../../src/lib/edge/session.ts';
import { create_store_caches } from '../../src/lib/edge/stores.ts';
import { is_local_deploy_context, read_secrets } from '../../src/lib/shared/session/secrets.ts';

let deps: EdgeDeps | undefined;

export default async function edge(request: Request, context: Context): Promise<Response> {
	deps ??= create_deps(context.deploy?.context);
	return handle_request(
		request,
		{
			ip: context.ip,
			country: context.geo?.country?.code ?? null,
			next: (forwarded) => context.next(forwarded),
			wait_until: (promise) => context.waitUntil(promise)
		},
		deps
	);
}

function create_deps(deploy_context: string | undefined): EdgeDeps {
	const secrets = read_secrets((name) => Netlify.env.get(name), {
		allow_development_defaults: is_local_deploy_context(deploy_context),
		warn: (message) => console.warn(message)
	});
	const caches = create_store_caches(getStore, (message) => console.error(message));
	const warn = (message: string) => console.warn(message);
	const limits = new ClientRateLimits(
		parse_rate_limit(Netlify.env.get('EDGE_RATE_LIMIT_GENERAL'), GENERAL_LIMIT, warn),
		parse_rate_limit(Netlify.env.get('EDGE_RATE_LIMIT_SENSITIVE'), SENSITIVE_LIMIT, warn)
	);

	return {
		secrets,
		...caches,
		limits,
		sessions: new SessionVerifier(),
		now: Date.now
	};
}

export const config: Config = {
	path: '/*',
	excludedPath: [
		'/_app/immutable/*',
		'/_app/version.json',
		'/.netlify/*',
		'/art/*',
		'/js/*',
		'/favicon.svg',
		'/robots.txt'
	]
};
