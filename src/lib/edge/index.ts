/**
 * The pipeline's exports that the edge entry `netlify/edge-functions/pipeline.ts` uses, and the
 * entry point of `scripts/bundle_edge.ts`. The entry imports the minified bundle of this module
 * instead of the TypeScript sources, which keeps the eszip that Netlify builds small.
 */
export { handle_request, type EdgeDeps } from './pipeline.ts';
export {
	ClientRateLimits,
	GENERAL_LIMIT,
	parse_rate_limit,
	SENSITIVE_LIMIT
} from './rate_limiter.ts';
export { SessionVerifier } from './session.ts';
export { create_store_caches } from './stores.ts';
export { is_local_deploy_context, read_secrets } from '../shared/session/secrets.ts';
