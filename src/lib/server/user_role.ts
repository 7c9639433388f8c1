import type { Kysely } from 'kysely';
import { is_session_role, type SessionRole } from '../shared/session/policy.ts';
import type { Database } from './db/schema.ts';

/**
 * Reads a user's stored role, or null for a user that no longer exists or when the database
 * fails. Session renewal and admin checks use it so a role change applies without a new login.
 */
export async function read_user_role(
	db: Kysely<Database>,
	user_id: string
): Promise<SessionRole | null> {
	const id = Number(user_id);
	if (!Number.isSafeInteger(id)) return null;
	try {
		const row = await db
			.selectFrom('app_user')
			.select('role')
			.where('id', '=', id)
			.executeTakeFirst();
		return row && is_session_role(row.role) ? row.role : null;
	} catch (error) {
		console.error(`[session] reading the role of user ${id} failed:`, error);
		return null;
	}
}
