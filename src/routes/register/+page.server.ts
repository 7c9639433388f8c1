import { fail_with_error } from '$lib/server/action_failure.ts';
import { register } from '$lib/server/commerce/accounts.ts';
import { CommerceError } from '$lib/server/commerce/errors.ts';
import { consume_rate_limit, type RateLimitRule } from '$lib/server/commerce/rate_limit.ts';
import { get_db } from '$lib/server/db/index.ts';
import { after_sign_in_path } from '$lib/server/sessions.ts';
import {
	load_sign_in_form,
	sign_in_and_redirect,
	submitted_text
} from '$lib/server/sign_in_form.ts';
import type { Actions, PageServerLoad } from './$types';
import { client_address_key } from '$lib/shared/client_address.ts';

/**
 * Registrations per client address. Each one hashes a password with scrypt at 128 MiB, so the
 * limit bounds the memory and CPU one client can spend, besides the number of accounts it makes.
 */
const REGISTER_LIMIT: RateLimitRule = { limit: 10, window_s: 60 * 60 };

export const load = load_sign_in_form satisfies PageServerLoad;

export const actions = {
	/** Creates a customer account and signs it in. */
	default: async (event) => {
		const form = await event.request.formData();
		const next = after_sign_in_path(form.get('next'));
		const values = {
			email: submitted_text(form, 'email'),
			name: submitted_text(form, 'name'),
			next
		};

		const db = get_db();
		let user;
		try {
			const key = `register:address:${client_address_key(event.getClientAddress())}`;
			const decision = await consume_rate_limit(db, key, REGISTER_LIMIT);
			if (!decision.allowed) {
				throw new CommerceError(
					'rate_limited',
					429,
					`Too many accounts were created from this network address. Try again in ${Math.ceil(decision.retry_after_s / 60)} minutes.`,
					{ headers: { 'retry-after': String(decision.retry_after_s) } }
				);
			}
			user = await register(db, {
				email: form.get('email'),
				name: form.get('name'),
				password: form.get('password')
			});
		} catch (error) {
			return fail_with_error(error, event.setHeaders, values);
		}

		return sign_in_and_redirect(event, user, next);
	}
} satisfies Actions;
