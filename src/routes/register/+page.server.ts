import { redirect } from '@sveltejs/kit';
import { fail_with_error } from '$lib/server/action_failure.ts';
import { register } from '$lib/server/commerce/accounts.ts';
import { CommerceError } from '$lib/server/commerce/errors.ts';
import { consume_rate_limit, type RateLimitRule } from '$lib/server/commerce/rate_limit.ts';
import { get_db } from '$lib/server/db/index.ts';
import { server_secrets } from '$lib/server/secrets.ts';
import { after_sign_in_path, sign_in } from '$lib/server/sessions.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * Registrations per client address. Each one hashes a password with scrypt at 128 MiB, so the
 * limit bounds the memory and CPU one client can spend, besides the number of accounts it makes.
 */
const REGISTER_LIMIT: RateLimitRule = { limit: 10, window_s: 60 * 60 };

export const load = (({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const next = after_sign_in_path(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next, signed_in: false };
}) satisfies PageServerLoad;

export const actions = {
	/** Creates a customer account and signs it in. */
	default: async ({ request, cookies, getClientAddress, platform, setHeaders }) => {
		const form = await request.formData();
		const email = form.get('email');
		const name = form.get('name');
		const next = after_sign_in_path(form.get('next'));
		const values = {
			email: typeof email === 'string' ? email : '',
			name: typeof name === 'string' ? name : '',
			next
		};

		const db = get_db();
		let user;
		try {
			const key = `register:address:${getClientAddress()}`;
			const decision = await consume_rate_limit(db, key, REGISTER_LIMIT);
			if (!decision.allowed) {
				throw new CommerceError(
					'rate_limited',
					429,
					`Too many accounts were created from this network address. Try again in ${Math.ceil(decision.retry_after_s / 60)} minutes.`,
					{ headers: { 'retry-after': String(decision.retry_after_s) } }
				);
			}
			user = await register(db, { email, name, password: form.get('password') });
		} catch (error) {
			return fail_with_error(error, setHeaders, values);
		}

		await sign_in(cookies, user, server_secrets(platform?.context?.deploy?.context));
		redirect(303, next);
	}
} satisfies Actions;
