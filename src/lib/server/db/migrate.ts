import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import * as catalog from './migrations/0001_catalog.ts';
import * as commerce from './migrations/0002_commerce.ts';

/**
 * Every migration in order. Listed in code rather than read from a folder so that the bundled
 * function and the command-line scripts run exactly the same set.
 */
const MIGRATIONS: Record<string, Migration> = {
	'0001_catalog': catalog,
	'0002_commerce': commerce
};

/**
 * Applies pending migrations in one transaction under Kysely's advisory lock, so two processes
 * that start together do not both migrate. Run it over a direct connection, not a pooler.
 */
export async function migrate_to_latest<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
	const migrator = new Migrator({
		db,
		provider: { getMigrations: async () => MIGRATIONS }
	});
	return migrator.migrateToLatest();
}
