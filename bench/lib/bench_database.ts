/**
 * Databases for the benchmark parts inside one throwaway cluster. The application connects as
 * an ordinary login role, as in production, so Postgres keeps its reserved slots for the
 * superuser connection that watches `pg_stat_activity`.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { create_db, read_database_settings } from '../../src/lib/server/db/connect.ts';
import { migrate_to_latest } from '../../src/lib/server/db/migrate.ts';
import { seed } from '../../src/lib/server/db/seed/index.ts';

export const APP_ROLE = 'shop';

/** Written to `app_user.password_hash`. No benchmark signs in with a password. */
const NO_PASSWORD = 'benchmark-account-without-password';

export interface BenchProduct {
	id: number;
	slug: string;
}

export interface BenchDatabase {
	name: string;
	/** The application role's URL on this database, direct to Postgres. */
	url: string;
	/** The superuser's URL on this database. */
	admin_url: string;
	/** Every product, by ascending id. */
	products: BenchProduct[];
	user_ids: number[];
	/** Stock of every product when the database was prepared. */
	initial_stock: number;
}

export interface BenchDatabaseOptions {
	name: string;
	users: number;
	stock: number;
}

function with_database(url: string, database: string): string {
	const next = new URL(url);
	next.pathname = `/${database}`;
	return next.href;
}

async function run_admin(url: string, statements: string[]): Promise<void> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		for (const statement of statements) await client.query(statement);
	} finally {
		await client.end();
	}
}

/** Creates the application login role and returns its password. */
export async function create_app_role(cluster_url: string): Promise<string> {
	const password = randomBytes(18).toString('hex');
	await run_admin(cluster_url, [
		`create role ${pg.escapeIdentifier(APP_ROLE)} login password ${pg.escapeLiteral(password)}`
	]);
	return password;
}

/**
 * Creates a database owned by the application role, migrates and seeds it over a direct
 * connection, sets every product's stock to `stock` and inserts `users` customers.
 */
export async function create_bench_database(
	cluster_url: string,
	role_password: string,
	options: BenchDatabaseOptions
): Promise<BenchDatabase> {
	const name = options.name;
	await run_admin(cluster_url, [
		`create database ${pg.escapeIdentifier(name)} owner ${pg.escapeIdentifier(APP_ROLE)}`
	]);

	const url = new URL(with_database(cluster_url, name));
	url.username = APP_ROLE;
	url.password = role_password;
	const db = create_db(read_database_settings({ DATABASE_URL: url.href }));
	try {
		const { error } = await migrate_to_latest(db);
		if (error !== undefined) {
			throw new Error(`Migrating the benchmark database "${name}" failed`, { cause: error });
		}
		await seed(db);
		await db.updateTable('stock').set({ quantity: options.stock }).execute();

		const { rows: users } = await sql<{ id: number }>`
			insert into app_user (email, name, password_hash)
			select 'buyer-' || n || '@bench.example', 'Bench Buyer ' || n, ${NO_PASSWORD}
			from generate_series(1, ${options.users}::int) as n
			returning id
		`.execute(db);
		const products = await db.selectFrom('product').select(['id', 'slug']).orderBy('id').execute();

		return {
			name,
			url: url.href,
			admin_url: with_database(cluster_url, name),
			products,
			user_ids: users.map((user) => user.id).sort((a, b) => a - b),
			initial_stock: options.stock
		};
	} finally {
		await db.destroy();
	}
}

/**
 * Returns the products of order number `index`: three from different thirds of the catalog, by
 * ascending id. The pgbench script picks its products the same way.
 */
export function order_products(products: readonly BenchProduct[], index: number): BenchProduct[] {
	const third = Math.floor(products.length / 3);
	const first = index % third;
	return [first, first + third, first + 2 * third].map((at) => products[at] as BenchProduct);
}
