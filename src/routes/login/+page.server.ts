import { redirect } from '@sveltejs/kit';
import { fail_with_error } from '$lib/server/action_failure.ts';
import { login } from '$lib/server/commerce/login.ts';
import { get_db } from '$lib/server/db/index.ts';
import { server_secrets } from '$lib/server/secrets.ts';
import { after_sign_in_path, sign_in } from '$lib/server/sessions.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const next = after_sign_in_path(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next, signed_in: false };
}) satisfies PageServerLoad;

export const actions = {
	/**
	 * Checks the credentials under the login rate limits, keyed by the address the platform
	 * reports (`context.ip` on Netlify), never by `X-Forwarded-For`, which clients can set.
	 */
	default: async ({ request, cookies, getClientAddress, platform, setHeaders }) => {
		const form = await request.formData();
		const email = form.get('email');
		const next = after_sign_in_path(form.get('next'));

		let user;
		try {
			user = await login(get_db(), {
				email,
				password: form.get('password'),
				client_address: getClientAddress()
			});
		} catch (error) {
			return fail_with_error(error, setHeaders, {
				email: typeof email === 'string' ? email : '',
				next
			});
		}

		await sign_in(cookies, user, server_secrets(platform?.context?.deploy?.context));
		redirect(303, next);
	}
} satisfies Actions;
