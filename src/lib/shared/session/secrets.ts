/**
 * The secrets shared by the edge function and the server: the session signing secrets and the
 * secret of the signed identity headers. Each runtime reads its environment in one place and
 * passes the reader here.
 */
import type { SessionSecrets } from './keys.ts';

export interface Secrets {
	session: SessionSecrets;
	/** HMAC secret of the identity headers the edge sends to the origin (`IDENTITY_SECRET`). */
	identity: string;
}

/** Shortest accepted secret, in characters: 32 random characters carry well over 128 bits. */
export const SECRET_MIN_LENGTH = 32;

/** Used only when the variables are unset in local development; public, so never secure. */
export const DEVELOPMENT_SECRETS: Secrets = {
	session: { current: 'development-only-session-secret-not-for-deploys' },
	identity: 'development-only-identity-secret-not-for-deploys'
};

export class SecretConfigError extends Error {
	readonly code: 'SECRET_MISSING' | 'SECRET_TOO_SHORT';

	constructor(code: SecretConfigError['code'], message: string) {
		super(message);
		this.name = 'SecretConfigError';
		this.code = code;
	}
}

export interface ReadSecretsOptions {
	/** Whether unset variables may fall back to `DEVELOPMENT_SECRETS` (local runs only). */
	allow_development_defaults: boolean;
	/** Receives the one warning about development defaults. */
	warn: (message: string) => void;
}

let warned = false;

/**
 * Reads `SESSION_SECRET`, `SESSION_SECRET_PREVIOUS` and `IDENTITY_SECRET`. Throws
 * `SecretConfigError` naming the variable when one is missing outside local development or
 * shorter than `SECRET_MIN_LENGTH`.
 */
export function read_secrets(
	read_env: (name: string) => string | undefined,
	options: ReadSecretsOptions
): Secrets {
	const session_current = read_env('SESSION_SECRET') || undefined;
	const session_previous = read_env('SESSION_SECRET_PREVIOUS') || undefined;
	const identity = read_env('IDENTITY_SECRET') || undefined;

	if (!session_current || !identity) {
		const missing = !session_current ? 'SESSION_SECRET' : 'IDENTITY_SECRET';
		if (!options.allow_development_defaults) {
			throw new SecretConfigError(
				'SECRET_MISSING',
				`The environment variable ${missing} is not set. Set it to a random string of at least ${SECRET_MIN_LENGTH} characters.`
			);
		}
		if (!warned) {
			warned = true;
			options.warn(
				`[secrets] ${missing} is not set, so this local run uses the public development secrets. ` +
					'Set SESSION_SECRET and IDENTITY_SECRET for anything but local development.'
			);
		}
	}

	const secrets: Secrets = {
		session: {
			current: session_current ?? DEVELOPMENT_SECRETS.session.current,
			previous: session_previous
		},
		identity: identity ?? DEVELOPMENT_SECRETS.identity
	};

	check_length('SESSION_SECRET', secrets.session.current);
	if (secrets.session.previous) check_length('SESSION_SECRET_PREVIOUS', secrets.session.previous);
	check_length('IDENTITY_SECRET', secrets.identity);
	return secrets;
}

function check_length(name: string, value: string): void {
	if (value.length < SECRET_MIN_LENGTH) {
		throw new SecretConfigError(
			'SECRET_TOO_SHORT',
			`The environment variable ${name} is ${value.length} characters long; use at least ${SECRET_MIN_LENGTH}.`
		);
	}
}

/**
 * Checks whether a Netlify deploy context is a local run. netlify-cli reports `dev`; tests and `vite dev`
 * have no context. Production, deploy previews and branch deploys must configure real secrets.
 */
export function is_local_deploy_context(context: string | null | undefined): boolean {
	return !context || context === 'dev';
}
