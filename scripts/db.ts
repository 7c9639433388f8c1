/**
 * Database commands: `migrate` applies pending migrations, `seed` inserts the sample catalog and
 * the demo accounts.
 * Both read DATABASE_URL like the app does; without it they use the embedded sidecar, so run
 * them through `scripts/with-db.ts` (the npm scripts do).
 */
import { create_db, read_database_settings } from '../src/lib/server/db/connect.ts';
import { migrate_to_latest } from '../src/lib/server/db/migrate.ts';
import { seed_accounts } from '../src/lib/server/db/seed/accounts.ts';
import { describe_seed, seed } from '../src/lib/server/db/seed/index.ts';

const COMMANDS = ['migrate', 'seed'] as const;
const command = process.argv[2];

if (!COMMANDS.includes(command as (typeof COMMANDS)[number])) {
	console.error(`Usage: node scripts/db.ts <${COMMANDS.join('|')}>`);
	process.exit(2);
}

const settings = read_database_settings(process.env);
const db = create_db(settings);
const target = `${settings.driver} ${new URL(settings.url).host}${settings.embedded ? ' (embedded)' : ''}`;

try {
	if (command === 'migrate') {
		console.log(`migrate: applying migrations on ${target}`);
		const { results, error } = await migrate_to_latest(db);
		for (const result of results ?? []) {
			console.log(`migrate: ${result.migrationName} ${result.status}`);
		}
		if (error) throw error;
		if (!results?.length) console.log('migrate: already up to date');
	} else {
		console.log(`seed: writing the sample catalog on ${target}`);
		console.log(describe_seed(await seed(db)));
		const accounts = await seed_accounts(db);
		console.log(
			`demo accounts: ${accounts.total} (${accounts.inserted} new, existing passwords kept)`
		);
	}
} catch (error) {
	console.error(`${command} failed:`, error instanceof Error ? error.message : error);
	process.exitCode = 1;
} finally {
	await db.destroy();
}
