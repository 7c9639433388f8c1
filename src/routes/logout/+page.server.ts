import { redirect } from '@sveltejs/kit';
import { sign_out } from '$lib/server/sessions.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	return { signed_in: locals.user !== null };
}) satisfies PageServerLoad;

export const actions = {
	/**
	 * Signs out. A POST, so that a link or an image on another site cannot sign a visitor out.
	 * SvelteKit rejects cross-site form posts.
	 */
	default: async ({ cookies, locals }) => {
		await sign_out(cookies, locals.user);
		redirect(303, '/');
	}
} satisfies Actions;
