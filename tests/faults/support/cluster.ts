/**
 * Preparing a PostgreSQL cluster for the fault suites: an ordinary login role for the
 * application and a migrated, seeded template database that each suite copies.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { create_db, read_database_settings } from '../../../src/lib/server/db/connect.ts';
import { migrate_to_latest } from '../../../src/lib/server/db/migrate.ts';
import { seed } from '../../../src/lib/server/db/seed/index.ts';

/** Login role of the application. */
export const APP_ROLE = 'shop';
export const TEMPLATE_DATABASE = 'faults_template';

export interface ClusterAccess {
	/** Superuser URL on the cluster's `postgres` database. */
	admin_url: string;
	/** Password of the `shop` role. */
	role_password: string;
	/** The migrated and seeded database that suites copy. */
	template: string;
	/** The server's log file, when known. */
	server_log?: string;
}

/** Runs statements one after another on a new superuser connection to `url`. */
export async function run_admin(url: string, statements: string[]): Promise<void> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		for (const statement of statements) await client.query(statement);
	} finally {
		await client.end();
	}
}

/** Returns `url` with its database, user and password replaced where given. */
export function database_url(
	url: string,
	parts: { database?: string; user?: string; password?: string }
): string {
	const next = new URL(url);
	if (parts.database !== undefined) next.pathname = `/${parts.database}`;
	if (parts.user !== undefined) next.username = parts.user;
	if (parts.password !== undefined) next.password = parts.password;
	return next.href;
}

/**
 * Creates the `shop` role and the template database on a new cluster. The role is not a
 * superuser, so Postgres keeps its reserved slots free for the checks' superuser connections
 * while the application uses up the others.
 */
export async function prepare_cluster(admin_url: string): Promise<ClusterAccess> {
	const role_password = randomBytes(18).toString('hex');
	await run_admin(admin_url, [
		`create role ${APP_ROLE} login password '${role_password}'`,
		`create database ${TEMPLATE_DATABASE} owner ${APP_ROLE}`
	]);

	const url = database_url(admin_url, {
		database: TEMPLATE_DATABASE,
		user: APP_ROLE,
		password: role_password
	});
	const db = create_db(read_database_settings({ DATABASE_URL: url }));
	try {
		const { error } = await migrate_to_latest(db);
		if (error !== undefined) {
			throw new Error(`Migrating ${TEMPLATE_DATABASE} failed`, { cause: error });
		}
		await seed(db);
	} finally {
		await db.destroy();
	}
	return { admin_url, role_password, template: TEMPLATE_DATABASE };
}
