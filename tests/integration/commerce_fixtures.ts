/** Small factories for the commerce integration suites. */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, UserRole } from '../../src/lib/server/db/schema.ts';

/**
 * A well-formed hash that no test signs in with. Checkout suites create many users, and real
 * scrypt hashing would take most of their run time.
 */
const UNUSED_HASH = [
	'scrypt$1024$8$1',
	Buffer.alloc(16).toString('base64url'),
	Buffer.alloc(32).toString('base64url')
].join('$');

export async function insert_user(
	db: Kysely<Database>,
	fields: { email?: string; name?: string; role?: UserRole } = {}
): Promise<number> {
	const row = await db
		.insertInto('app_user')
		.values({
			email: fields.email ?? `buyer-${randomUUID()}@example.com`,
			name: fields.name ?? 'Test Buyer',
			role: fields.role ?? 'customer',
			password_hash: UNUSED_HASH
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export function new_key(): string {
	return randomUUID();
}

export async function set_stock(
	db: Kysely<Database>,
	slug: string,
	quantity: number
): Promise<void> {
	await db
		.updateTable('stock')
		.set({ quantity })
		.where('product_id', '=', (eb) =>
			eb.selectFrom('product').select('id').where('slug', '=', slug)
		)
		.execute();
}

export async function stock_of(db: Kysely<Database>, slug: string): Promise<number> {
	const row = await db
		.selectFrom('stock')
		.innerJoin('product', 'product.id', 'stock.product_id')
		.select('stock.quantity')
		.where('product.slug', '=', slug)
		.executeTakeFirstOrThrow();
	return row.quantity;
}

export type CommerceTable =
	| 'customer_order'
	| 'order_item'
	| 'outbox_event'
	| 'idempotency_key'
	| 'payment_audit'
	| 'email_delivery'
	| 'app_user';

/** Row count of a table, optionally only the rows of one user. */
export async function count_rows(
	db: Kysely<Database>,
	table: CommerceTable,
	user_id?: number
): Promise<number> {
	const where = user_id === undefined ? sql`true` : sql`user_id = ${user_id}`;
	const { rows } = await sql<{
		n: number;
	}>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db);
	return rows[0]!.n;
}

/**
 * Makes the first attempt to mark an outbox event processed fail, after its email went out, and
 * returns the function that removes the trigger again. A sequence counts the attempts because,
 * unlike a table, it is not rolled back with the failed statement.
 */
export async function fail_first_mark(db: Kysely<Database>): Promise<() => Promise<void>> {
	await sql`create sequence mark_attempt`.execute(db);
	await sql`
		create function fail_first_mark() returns trigger language plpgsql as $$
		begin
			if old.processed_at is null and new.processed_at is not null then
				if nextval('mark_attempt') = 1 then
					raise exception 'injected failure while marking event %', new.id;
				end if;
			end if;
			return new;
		end $$
	`.execute(db);
	await sql`
		create trigger fail_first_mark before update on outbox_event
		for each row execute function fail_first_mark()
	`.execute(db);

	return async () => {
		await sql`drop trigger fail_first_mark on outbox_event`.execute(db);
		await sql`drop function fail_first_mark()`.execute(db);
		await sql`drop sequence mark_attempt`.execute(db);
	};
}
