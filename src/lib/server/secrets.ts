/**
 * The session and identity secrets for server code, read from the environment once per process.
 * Only local runs (Vite's dev server, or netlify-cli's `dev` deploy context) may fall back to the
 * public development secrets, with a warning. A request without a deploy context is not treated
 * as local, so a function reached some other way cannot run on the public secrets.
 */
import { dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import { read_secrets, type Secrets } from '$lib/shared/session/secrets.ts';

let secrets: Secrets | undefined;

/** Returns the secrets. `deploy_context` is Netlify's `context.deploy.context` of the request. */
export function server_secrets(deploy_context: string | null | undefined): Secrets {
	secrets ??= read_secrets((name) => env[name], {
		allow_development_defaults: dev || deploy_context === 'dev',
		warn: (message) => console.warn(message)
	});
	return secrets;
}
