import { fail_with_error } from '$lib/server/action_failure.ts';
import { login } from '$lib/server/commerce/login.ts';
import { get_db } from '$lib/server/db/index.ts';
import { after_sign_in_path } from '$lib/server/sessions.ts';
import {
	load_sign_in_form,
	sign_in_and_redirect,
	submitted_text
} from '$lib/server/sign_in_form.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = load_sign_in_form satisfies PageServerLoad;

export const actions = {
	/**
	 * Checks the credentials under the login rate limits, keyed by the address the platform
	 * reports (`context.ip` on Netlify), never by `X-Forwarded-For`, which clients can set.
	 */
	default: async (event) => {
		const form = await event.request.formData();
		const next = after_sign_in_path(form.get('next'));

		let user;
		try {
			user = await login(get_db(), {
				email: form.get('email'),
				password: form.get('password'),
				client_address: event.getClientAddress()
			});
		} catch (error) {
			return fail_with_error(error, event.setHeaders, {
				email: submitted_text(form, 'email'),
				next
			});
		}

		return sign_in_and_redirect(event, user, next);
	}
} satisfies Actions;
