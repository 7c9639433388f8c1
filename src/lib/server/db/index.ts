import type { Kysely } from 'kysely';
import { create_db, read_database_settings } from './connect.ts';
import type { Database } from './schema.ts';

let instance: Kysely<Database> | undefined;

/** Returns this process's Kysely instance, created on first use from `process.env`. */
export function get_db(): Kysely<Database> {
	instance ??= create_db(read_database_settings(process.env));
	return instance;
}
