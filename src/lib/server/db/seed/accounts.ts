import { sql, type Kysely } from 'kysely';
import { hash_password } from '../../commerce/passwords.ts';
import type { Database, UserRole } from '../schema.ts';

export interface SeedAccount {
	email: string;
	/** Plain text on purpose: these accounts exist to be signed in to, and the README lists them. */
	password: string;
	name: string;
	role: UserRole;
}

/** The demo customer and the demo admin. */
export const DEMO_ACCOUNTS: readonly SeedAccount[] = [
	{
		email: 'customer@splitshop.example',
		password: 'demo-customer-pass',
		name: 'Demo Customer',
		role: 'customer'
	},
	{
		email: 'admin@splitshop.example',
		password: 'demo-admin-pass',
		name: 'Demo Admin',
		role: 'admin'
	}
];

export interface AccountSeedReport {
	total: number;
	inserted: number;
}

/**
 * Inserts the accounts whose email is not taken yet. Existing accounts keep their password and
 * name, and are not hashed again, so a re-seed costs nothing for them.
 */
export async function seed_accounts(
	db: Kysely<Database>,
	accounts: readonly SeedAccount[] = DEMO_ACCOUNTS
): Promise<AccountSeedReport> {
	const report: AccountSeedReport = { total: accounts.length, inserted: 0 };

	for (const account of accounts) {
		const existing = await db
			.selectFrom('app_user')
			.select('id')
			.where(sql`lower(email)`, '=', sql`lower(${account.email})`)
			.executeTakeFirst();
		if (existing) continue;

		const result = await db
			.insertInto('app_user')
			.values({
				email: account.email,
				password_hash: await hash_password(account.password),
				name: account.name,
				role: account.role
			})
			.onConflict((conflict) => conflict.expression(sql`lower(email)`).doNothing())
			.executeTakeFirst();
		report.inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
	}
	return report;
}
