/**
 * Login: exact rate limits per account and per client address in front of `authenticate`.
 * Issuing the session token is the caller's job; this returns the user.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { authenticate, parse_email, type AccountUser, type CredentialsInput } from './accounts.ts';
import { CommerceError } from './errors.ts';
import { consume_rate_limit, reset_rate_limit, type RateLimitRule } from './rate_limit.ts';
import { client_address_key } from '../../shared/client_address.ts';

export interface LoginLimits {
	/** Attempts per email address, from any client address. */
	account: RateLimitRule;
	/** Attempts per client address, whichever accounts they name. */
	address: RateLimitRule;
}

/**
 * Every attempt counts, successful or not, and a success clears its account's counter. The
 * address limit is higher because offices and mobile carriers put many people behind one address.
 */
export const LOGIN_LIMITS: Readonly<LoginLimits> = Object.freeze({
	account: { limit: 10, window_s: 15 * 60 },
	address: { limit: 30, window_s: 15 * 60 }
});

export interface LoginInput extends CredentialsInput {
	/** The client's IP address as the platform reports it, never a client-sent header. */
	client_address: string;
}

export interface LoginOptions {
	limits?: LoginLimits;
	now?: Date;
}

/**
 * Counts the attempt against both limits, then checks the credentials. Throws `rate_limited`
 * (429, with `retry-after`) before any hashing when either limit is exceeded, and
 * `invalid_credentials` (401) for a wrong email or password.
 */
export async function login(
	db: Kysely<Database>,
	input: LoginInput,
	options: LoginOptions = {}
): Promise<AccountUser> {
	const limits = options.limits ?? LOGIN_LIMITS;
	const email = parse_email(input.email);
	if (input.client_address === '') throw new Error('login() needs the client address');

	const account_key = login_account_key(email);
	const address_key = `login:address:${client_address_key(input.client_address)}`;
	const by_account = await consume_rate_limit(db, account_key, limits.account, options.now);
	const by_address = await consume_rate_limit(db, address_key, limits.address, options.now);

	if (!by_account.allowed || !by_address.allowed) {
		const retry_after_s = Math.max(by_account.retry_after_s, by_address.retry_after_s);
		const source = by_account.allowed ? 'from this network address' : 'for this account';
		throw new CommerceError(
			'rate_limited',
			429,
			`Too many login attempts ${source}. Try again in ${describe_wait(retry_after_s)}.`,
			{ headers: { 'retry-after': String(retry_after_s) }, details: { retry_after_s } }
		);
	}

	const user = await authenticate(db, { email, password: input.password });
	await reset_rate_limit(db, account_key);
	return user;
}

/**
 * Returns the counter key of an account. The email is hashed so that the counter table contains no
 * addresses, including those of people who have no account.
 */
export function login_account_key(email: string): string {
	const digest = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
	return `login:account:${digest}`;
}

function describe_wait(seconds: number): string {
	if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
	const minutes = Math.ceil(seconds / 60);
	return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
