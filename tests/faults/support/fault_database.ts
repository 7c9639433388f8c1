/**
 * A database per fault suite, copied from a migrated and seeded template, plus PgBouncer in
 * front of it. The application connects as the `shop` role; the checks use a superuser client.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { start_pgbouncer, type PgBouncer } from '../../../scripts/pgbouncer.ts';
import { find_free_port } from '../../support/postgres_cluster.ts';
import { APP_ROLE, database_url, run_admin, type ClusterAccess } from './cluster.ts';

export { APP_ROLE };

/** Written to `app_user.password_hash`; no fault test signs in with a password. */
const NO_PASSWORD = 'fault-test-account-without-password';
/** Attempts at starting PgBouncer, because another process may take the free port first. */
const POOLER_PORT_ATTEMPTS = 3;

export interface FaultProduct {
	id: number;
	slug: string;
}

export interface FaultDatabase {
	name: string;
	/** The application role's URL, direct to Postgres. */
	app_url: string;
	/** A superuser client on this database, for setup and checks. */
	readonly admin: pg.Client;
	/** Replaces `admin` with a new connection, after a restart of the server broke it. */
	reconnect_admin(): Promise<void>;
	/** Every product, by ascending id. */
	products: FaultProduct[];
	/** Inserts customers and returns their ids in ascending order. */
	create_users(count: number): Promise<number[]>;
	/** Sets the stock of every product. */
	set_stock(quantity: number): Promise<void>;
	/** Closes the admin client and drops the database. */
	destroy(): Promise<void>;
}

/** Returns the run's shared cluster, prepared by the global setup. */
export function shared_cluster(): ClusterAccess {
	return inject('faults_cluster');
}

/** Creates a database for one suite, named after `label`. */
export async function open_fault_database(
	label: string,
	access: ClusterAccess = shared_cluster()
): Promise<FaultDatabase> {
	const name = `faults_${label}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
	await run_admin(access.admin_url, [
		`create database ${name} owner ${APP_ROLE} template ${access.template}`
	]);

	const app_url = database_url(access.admin_url, {
		database: name,
		user: APP_ROLE,
		password: access.role_password
	});

	const connect_admin = async () => {
		const client = new pg.Client({
			connectionString: database_url(access.admin_url, { database: name })
		});
		// A suite that stops the server breaks this connection on purpose; `reconnect_admin` follows.
		client.on('error', () => undefined);
		await client.connect();
		return client;
	};
	let admin = await connect_admin();
	const { rows: products } = await admin.query<FaultProduct>(
		'select id, slug from product order by id'
	);

	return {
		name,
		app_url,
		get admin() {
			return admin;
		},
		async reconnect_admin() {
			await admin.end().catch(() => undefined);
			admin = await connect_admin();
		},
		products,
		async create_users(count) {
			const { rows } = await admin.query<{ id: number }>(
				`insert into app_user (email, name, password_hash)
				select 'buyer-' || gen_random_uuid() || '@faults.example', 'Fault Buyer ' || n, $2
				from generate_series(1, $1::int) as n
				returning id`,
				[count, NO_PASSWORD]
			);
			return rows.map((row) => row.id).sort((a, b) => a - b);
		},
		async set_stock(quantity) {
			await admin.query('update stock set quantity = $1', [quantity]);
		},
		async destroy() {
			await admin.end().catch(() => undefined);
			await run_admin(access.admin_url, [`drop database if exists ${name} with (force)`]);
		}
	};
}

export interface PoolerOptions {
	/** Maximum server connections PgBouncer opens. */
	pool_size: number;
	/** Seconds a client waits for a server connection before PgBouncer fails its query. */
	wait_timeout_s?: number;
}

/** Starts PgBouncer in transaction mode on a free loopback port in front of `upstream`. */
export async function start_pooler(upstream: string, options: PoolerOptions): Promise<PgBouncer> {
	for (let attempt = 1; ; attempt++) {
		const port = await find_free_port();
		try {
			return await start_pgbouncer({
				upstream,
				port,
				pool_size: options.pool_size,
				wait_timeout_s: options.wait_timeout_s
			});
		} catch (error) {
			if (attempt >= POOLER_PORT_ATTEMPTS) throw error;
		}
	}
}

export interface ConnectionCounts {
	/** Every connection of the application role to the database. */
	total: number;
	/** Connections running a query or holding a transaction open. */
	busy: number;
	idle_in_transaction: number;
}

/** Counts the application role's server connections to `database` in `pg_stat_activity`. */
export async function count_connections(
	admin: pg.Client,
	database: string
): Promise<ConnectionCounts> {
	const { rows } = await admin.query<ConnectionCounts>(
		`select count(*)::int as total,
			(count(*) filter (where state <> 'idle'))::int as busy,
			(count(*) filter (where state like 'idle in transaction%'))::int as idle_in_transaction
		from pg_stat_activity
		where datname = $1 and usename = $2 and backend_type = 'client backend'`,
		[database, APP_ROLE]
	);
	return rows[0]!;
}
