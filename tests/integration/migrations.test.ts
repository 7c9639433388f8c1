import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { describe_each_database, run_migrations } from '../support/databases.ts';

/**
 * Migration names from the files in the migrations folder. `migrate.ts` lists the migrations in
 * code, so comparing against the folder also catches a file missing from that list.
 */
const MIGRATION_NAMES = readdirSync(new URL('../../src/lib/server/db/migrations/', import.meta.url))
	.filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
	.map((file) => file.slice(0, -'.ts'.length))
	.sort();

const CATALOG_TABLES = ['category', 'price', 'product', 'stock'];

describe('migrations folder', () => {
	test('starts with 0001_catalog', () => {
		expect(MIGRATION_NAMES[0]).toBe('0001_catalog');
	});
});

describe_each_database('migrations', { migrate: false }, (suite) => {
	// Runs first, on the suite's empty database.
	test('first run applies every migration', async () => {
		const { error, results } = await run_migrations(suite.db);

		expect(error).toBeUndefined();
		expect(results).toEqual(
			MIGRATION_NAMES.map((migrationName) => ({
				migrationName,
				direction: 'Up',
				status: 'Success'
			}))
		);

		const tables = await sql<{ table_name: string }>`
			select table_name from information_schema.tables
			where table_schema = 'public'
		`.execute(suite.db);
		expect(tables.rows.map((row) => row.table_name)).toEqual(
			expect.arrayContaining([...CATALOG_TABLES, 'kysely_migration', 'kysely_migration_lock'])
		);
	});

	test('second run is a no-op', async () => {
		await run_migrations(suite.db);
		const { error, results } = await run_migrations(suite.db);

		expect(error).toBeUndefined();
		expect(results).toEqual([]);

		const applied = await sql<{ name: string }>`
			select name from kysely_migration order by name
		`.execute(suite.db);
		expect(applied.rows.map((row) => row.name)).toEqual(MIGRATION_NAMES);
	});
});
