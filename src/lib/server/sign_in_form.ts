/**
 * Server steps that the sign-in and registration pages share. Both load the same page data, and
 * both end a successful action by signing the account in.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { AccountUser } from './commerce/accounts.ts';
import { server_secrets } from './secrets.ts';
import { after_sign_in_path, sign_in } from './sessions.ts';

/** Page data of the sign-in and registration pages. */
export interface SignInFormData {
	/** Path to go to after signing in. */
	next: string;
	/** False, because a visitor who is signed in is redirected instead. */
	signed_in: boolean;
}

/**
 * Loads a sign-in form page. The page is never cached, and a visitor who is already signed in is
 * redirected 303 to `?next=` (or the account page) instead.
 */
export function load_sign_in_form(
	event: Pick<RequestEvent, 'locals' | 'url' | 'setHeaders'>
): SignInFormData {
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const next = after_sign_in_path(event.url.searchParams.get('next'));
	if (event.locals.user) redirect(303, next);
	return { next, signed_in: false };
}

/** Signs `user` in with a new session cookie and redirects 303 to `next`. */
export async function sign_in_and_redirect(
	event: Pick<RequestEvent, 'cookies' | 'platform'>,
	user: AccountUser,
	next: string
): Promise<never> {
	await sign_in(event.cookies, user, server_secrets(event.platform?.context?.deploy?.context));
	redirect(303, next);
}

/** Returns the text submitted as `name` to show in the form again, or '' for a missing or file field. */
export function submitted_text(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}
