/**
 * The site's edge function. It adapts Netlify's `Request` and `Context` to the pipeline in
 * `src/lib/edge/pipeline.ts` and builds the per-isolate state on the first request: secrets
 * from the environment, the Blobs caches, the rate limiter and the session cache. The pipeline
 * comes from `lib/pipeline.bundle.js`, which `scripts/bundle_edge.ts` builds from
 * `src/lib/edge/index.ts` before every build and dev server start.
 */
import { getStore } from '@netlify/blobs';
import type { Config, Context } from '@netlify/edge-functions';
import {
	ClientRateLimits,
	create_store_caches,
	GENERAL_LIMIT,
	handle_request,
	is_local_deploy_context,
	parse_rate_limit,
	read_secrets,
	SENSITIVE_LIMIT,
	SessionVerifier,
	type EdgeDeps
} from './lib/pipeline.bundle.js';

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
