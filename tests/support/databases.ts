/**
 * The database targets that integration suites run against, and a `describe` helper that gives
 * each suite its own empty database on every target.
 *
 * - `pglite`: an in-memory PGlite in this worker, through Kysely's built-in `PGliteDialect`.
 * - `pg`: the run's PostgreSQL cluster through `create_db` with the `pg` driver.
 * - `neon`: the same cluster through `create_db` with the Neon driver and the WebSocket proxy.
 *
 * The cluster URL and the proxy address come from `global_setup.ts` through `inject`.
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, sql } from 'kysely';
import type { MigrationResultSet } from 'kysely/migration';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { create_db, read_database_settings } from '../../src/lib/server/db/connect.ts';
import { migrate_to_latest } from '../../src/lib/server/db/migrate.ts';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { seed } from '../../src/lib/server/db/seed/index.ts';

export interface TestDatabase {
	db: Kysely<Database>;
	/** Closes the connections and drops the database. */
	destroy(): Promise<void>;
}

export interface DatabaseTarget {
	name: string;
	/**
	 * True when the driver has a single connection, so Kysely runs transactions one after the
	 * other and a test must not wait inside one transaction for another to start.
	 */
	serializes_transactions: boolean;
	/** Creates a new, empty database. */
	open(): Promise<TestDatabase>;
}

export const DATABASE_TARGETS = [
	{ name: 'pglite', serializes_transactions: true, open: open_pglite },
	{ name: 'pg', serializes_transactions: false, open: () => open_cluster_database('pg') },
	{ name: 'neon', serializes_transactions: false, open: () => open_cluster_database('neon') }
] as const satisfies readonly DatabaseTarget[];

export type DatabaseTargetName = (typeof DATABASE_TARGETS)[number]['name'];

export interface SuiteOptions {
	/** Whether to apply the migrations before the first test. Default true. */
	migrate?: boolean;
	/** Whether to insert the sample catalog after migrating. Default true. */
	seed?: boolean;
}

export interface DatabaseSuite {
	target: DatabaseTarget;
	/** The suite's database, open from the first `beforeAll` on. */
	readonly db: Kysely<Database>;
}

/**
 * Declares `title` once per target. Each copy opens a new database, migrates and seeds it unless
 * `options` turns that off, and destroys it after its last test, also when a hook or test failed.
 */
export function describe_each_database(
	title: string,
	options: SuiteOptions,
	define: (suite: DatabaseSuite) => void
): void {
	describe.each(DATABASE_TARGETS)(`$name: ${title}`, (target) => {
		let opened: TestDatabase | undefined;

		beforeAll(async () => {
			opened = await target.open();
			if (options.migrate ?? true) await migrate_or_throw(opened.db);
			if ((options.migrate ?? true) && (options.seed ?? true)) await seed(opened.db);
		});

		afterAll(async () => {
			await opened?.destroy();
		});

		define({
			target,
			get db() {
				if (!opened)
					throw new Error(
						`The ${target.name} database for "${title}" is not open yet. Read suite.db inside hooks and tests.`
					);
				return opened.db;
			}
		});
	});
}

/** Runs `migrate_to_latest` on a typed instance. */
export function run_migrations(db: Kysely<Database>): Promise<MigrationResultSet> {
	return migrate_to_latest(db);
}

/** Applies pending migrations and throws the migrator's error instead of returning it. */
export async function migrate_or_throw(db: Kysely<Database>): Promise<void> {
	const { error } = await run_migrations(db);
	if (error === undefined) return;
	const reason = error instanceof Error ? error.message : String(error);
	throw new Error(`migrate_to_latest failed: ${reason}`, { cause: error });
}

/**
 * Empties the catalog tables and restarts their identity columns. `cascade` also empties tables
 * that reference them, such as order items.
 */
export async function clear_catalog(db: Kysely<Database>): Promise<void> {
	await sql`truncate table stock, price, product, category restart identity cascade`.execute(db);
}

async function open_pglite(): Promise<TestDatabase> {
	// `create` waits for PGlite's initdb (about 2.5 s), so the cost lands in the hook, not a test.
	const pglite = await PGlite.create();
	const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
	return { db, destroy: () => db.destroy() };
}

async function open_cluster_database(driver: 'pg' | 'neon'): Promise<TestDatabase> {
	const admin_url = inject('postgres_url');
	const name = `splitshop_${driver}_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
	await run_admin(admin_url, `create database ${name}`);

	const url = new URL(admin_url);
	url.pathname = `/${name}`;
	const settings = read_database_settings({
		DATABASE_URL: url.href,
		DATABASE_DRIVER: driver,
		NEON_WS_PROXY: driver === 'neon' ? inject('neon_ws_proxy') : undefined
	});
	if (settings.driver !== driver) {
		throw new Error(`read_database_settings chose "${settings.driver}" for the ${driver} target`);
	}
	const db = create_db(settings);

	return {
		db,
		async destroy() {
			await db.destroy();
			await run_admin(admin_url, `drop database if exists ${name} with (force)`);
		}
	};
}

/** Runs one statement on the cluster's maintenance database, `postgres`. */
async function run_admin(admin_url: string, statement: string): Promise<void> {
	const client = new pg.Client({ connectionString: admin_url });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}
