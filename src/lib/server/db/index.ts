import type { Kysely } from 'kysely';
import { QueryTimingPlugin } from '../request_metrics.ts';
import { create_db, read_database_settings } from './connect.ts';
import type { Database } from './schema.ts';

let instance: Kysely<Database> | undefined;

/**
 * Returns this process's Kysely instance, created on first use from `process.env`. Its queries
 * count towards the database time of the request that runs them (`Server-Timing: db`).
 */
export function get_db(): Kysely<Database> {
	instance ??= create_db(read_database_settings(process.env)).withPlugin(new QueryTimingPlugin());
	return instance;
}
