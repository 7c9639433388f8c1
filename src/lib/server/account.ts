/** The signed-in user as the account routes see it: a database id and the account row. */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import { login_location } from '../edge/protect.ts';
import type { Session } from '../shared/session/policy.ts';
import type { AccountUser } from './commerce/accounts.ts';
import type { Database } from './db/schema.ts';

const MAX_USER_ID = 2 ** 31 - 1;

/**
 * Returns the numeric user id of a session, or null when there is no session or its subject is
 * not a database id (a token issued for another kind of subject).
 */
export function session_user_id(session: Session | null): number | null {
	if (!session || !/^[1-9][0-9]{0,9}$/.test(session.user_id)) return null;
	const id = Number(session.user_id);
	return id <= MAX_USER_ID ? id : null;
}

/** Loads the account of a user id, or returns undefined when it no longer exists. */
export async function find_account(
	db: Kysely<Database>,
	user_id: number
): Promise<AccountUser | undefined> {
	return db
		.selectFrom('app_user')
		.select(['id', 'email', 'name', 'role'])
		.where('id', '=', user_id)
		.executeTakeFirst();
}

/**
 * Returns the signed-in user's id, or redirects to the login page. The hooks already redirect
 * anonymous requests to protected pages; this also guards a route that is moved or copied.
 */
export function require_user_id(event: Pick<RequestEvent, 'locals' | 'url'>): number {
	const user_id = session_user_id(event.locals.user);
	if (user_id === null) redirect(302, login_location(event.url));
	return user_id;
}
