import { error } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import { list_mailbox } from '$lib/server/email/mailbox.ts';
import { is_mailbox_page_enabled, read_mail_settings } from '$lib/server/email/settings.ts';
import type { PageServerLoad } from './$types';

// The mailbox changes with every email, so the page is rendered per request.
export const prerender = false;

/**
 * Lists the local mailbox for development. It is a 404 wherever real email is configured or
 * the deploy is production, because the messages contain customers' addresses and orders.
 */
export const load = (async ({ platform, setHeaders }) => {
	// Only a development server (`vite dev`, which `npm run dev` runs) shows it; every built
	// deploy returns 404, whatever its context, because the messages hold customers' data.
	if (!dev || !is_mailbox_page_enabled(env, platform?.context?.deploy?.context)) {
		error(404, 'Not found');
	}
	const { transport } = read_mail_settings(env);
	if (transport.kind !== 'mailbox') error(404, 'Not found');

	setHeaders({ 'cache-control': 'private, no-store' });
	const messages = await list_mailbox(transport.dir);
	return {
		dir: transport.dir,
		messages: messages.map(({ file, message_id, from, to, subject, date, text }) => ({
			file,
			message_id,
			from,
			to,
			subject,
			date: date.toISOString(),
			text
		}))
	};
}) satisfies PageServerLoad;
