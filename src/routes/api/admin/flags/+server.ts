import { getStore } from '@netlify/blobs';
import { error, json } from '@sveltejs/kit';
import { DEFAULT_FLAGS, FLAG_KEY, FLAG_STORE, parse_flag_document } from '$lib/edge/flags.ts';
import { get_db } from '$lib/server/db/index.ts';
import { read_user_role } from '$lib/server/user_role.ts';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'private, no-store' };

/** Returns the stored flag document, or the built-in defaults when none is stored. */
export const GET: RequestHandler = async ({ locals }) => {
	await require_admin(locals.user);

	const stored: unknown = await flag_store().get(FLAG_KEY, { type: 'json' });
	if (stored === null)
		return json({ source: 'default', flags: DEFAULT_FLAGS }, { headers: NO_STORE });

	const result = parse_flag_document(stored, { strict: false });
	if (!result.ok) {
		return json({ source: 'invalid', errors: result.errors, stored }, { headers: NO_STORE });
	}
	return json({ source: 'store', flags: result.flags }, { headers: NO_STORE });
};

/**
 * Replaces the flag document. The body must be a valid document, and unknown features or
 * experiments are rejected so a typo cannot pass silently. Each edge isolate picks the change up
 * on its first request after its cached copy is 30 s old.
 */
export const PUT: RequestHandler = async ({ locals, request }) => {
	await require_admin(locals.user);

	let body: unknown;
	try {
		body = await request.json();
	} catch {
		error(400, 'The request body must be a JSON flag document.');
	}

	const result = parse_flag_document(body, { strict: true });
	if (!result.ok) {
		return json({ message: result.errors.join(' '), errors: result.errors }, { status: 400 });
	}

	await flag_store().setJSON(FLAG_KEY, result.flags);
	return json({ source: 'store', flags: result.flags }, { headers: NO_STORE });
};

/** Strong consistency, so a read right after a write returns the new document. */
function flag_store() {
	try {
		return getStore({ name: FLAG_STORE, consistency: 'strong' });
	} catch (cause) {
		console.error('[flags] Netlify Blobs is not available:', cause);
		error(503, 'The flag store is not available in this environment.');
	}
}

/** Checks the token's role, then the stored one, so a demoted admin is refused at once. */
async function require_admin(user: App.Locals['user']): Promise<void> {
	if (!user) error(401, 'Sign in to use this endpoint.');
	if (user.role !== 'admin') error(403, 'This endpoint requires the admin role.');
	if ((await read_user_role(get_db(), user.user_id)) !== 'admin') {
		error(403, 'This endpoint requires the admin role.');
	}
}
