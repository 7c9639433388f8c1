/**
 * The session and identity secrets for server code, read from the environment once per process.
 * Local runs (no deploy context, or netlify-cli's `dev`) may fall back to the public development
 * secrets with a warning; deploys must set them.
 */
import { dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import {
	is_local_deploy_context,
	read_secrets,
	type Secrets
} from '$lib/shared/session/secrets.ts';

let secrets: Secrets | undefined;

/** Returns the secrets. `deploy_context` is Netlify's `context.deploy.context` of the request. */
export function server_secrets(deploy_context: string | null | undefined): Secrets {
	secrets ??= read_secrets((name) => env[name], {
		allow_development_defaults: dev || is_local_deploy_context(deploy_context),
		warn: (message) => console.warn(message)
	});
	return secrets;
}
