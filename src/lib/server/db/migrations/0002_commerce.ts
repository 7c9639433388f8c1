import { sql, type Kysely } from 'kysely';

// Identifiers are `integer`, not `bigint`: pg returns int8 as a string and PGlite as a number or a
// bigint, so int4 keeps one type across the three drivers.
export async function up(db: Kysely<unknown>): Promise<void> {
	// `user` is a reserved word in Postgres, hence `app_user`.
	await db.schema
		.createTable('app_user')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('email', 'text', (col) => col.notNull().check(sql`length(email) between 3 and 254`))
		.addColumn('password_hash', 'text', (col) => col.notNull())
		.addColumn('name', 'text', (col) => col.notNull().check(sql`length(name) between 1 and 100`))
		.addColumn('role', 'text', (col) =>
			col
				.notNull()
				.defaultTo('customer')
				.check(sql`role in ('customer', 'admin')`)
		)
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();
	// Emails are unique whatever their case; lookups use the same `lower(email)` expression.
	await db.schema
		.createIndex('app_user_email_key')
		.on('app_user')
		.unique()
		.expression(sql`lower(email)`)
		.execute();

	// `order` is a reserved word, hence `customer_order`.
	await db.schema
		.createTable('customer_order')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('user_id', 'integer', (col) => col.notNull().references('app_user.id'))
		.addColumn('region', 'text', (col) => col.notNull().check(sql`region in ('us', 'uk', 'eu')`))
		.addColumn('currency', 'text', (col) =>
			col.notNull().check(sql`currency in ('USD', 'GBP', 'EUR')`)
		)
		.addColumn('total', 'integer', (col) => col.notNull().check(sql`total >= 0`))
		.addColumn('status', 'text', (col) =>
			col
				.notNull()
				.defaultTo('paid')
				.check(sql`status in ('paid', 'shipped', 'cancelled')`)
		)
		.addColumn('payment_reference', 'text', (col) => col.notNull())
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('customer_order_user_idx')
		.on('customer_order')
		.columns(['user_id', 'id desc'])
		.execute();

	await db.schema
		.createTable('order_item')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('order_id', 'integer', (col) =>
			col.notNull().references('customer_order.id').onDelete('cascade')
		)
		.addColumn('product_id', 'integer', (col) => col.notNull().references('product.id'))
		// Slug, name and price are copied so that an order reads the same after the catalog changes.
		.addColumn('slug', 'text', (col) => col.notNull())
		.addColumn('name', 'text', (col) => col.notNull())
		.addColumn('unit_price', 'integer', (col) => col.notNull().check(sql`unit_price >= 0`))
		.addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity > 0`))
		.addColumn('line_total', 'integer', (col) =>
			col.notNull().check(sql`line_total >= 0 and line_total = unit_price * quantity`)
		)
		.addUniqueConstraint('order_item_product_key', ['order_id', 'product_id'])
		.execute();

	await db.schema
		.createTable('idempotency_key')
		.addColumn('user_id', 'integer', (col) =>
			col.notNull().references('app_user.id').onDelete('cascade')
		)
		.addColumn('key', 'text', (col) => col.notNull())
		.addColumn('request_hash', 'text', (col) => col.notNull())
		.addColumn('response_status', 'integer', (col) =>
			col.notNull().check(sql`response_status between 100 and 599`)
		)
		.addColumn('response_body', 'jsonb', (col) => col.notNull())
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('idempotency_key_pkey', ['user_id', 'key'])
		.execute();
	await db.schema
		.createIndex('idempotency_key_created_idx')
		.on('idempotency_key')
		.column('created_at')
		.execute();

	await db.schema
		.createTable('outbox_event')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('topic', 'text', (col) => col.notNull())
		.addColumn('payload', 'jsonb', (col) => col.notNull())
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('available_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.addColumn('attempts', 'integer', (col) =>
			col
				.notNull()
				.defaultTo(0)
				.check(sql`attempts >= 0`)
		)
		.addColumn('last_error', 'text')
		.addColumn('processed_at', 'timestamptz')
		.execute();
	// Drains only ever look at unprocessed events, so the index leaves processed ones out.
	await db.schema
		.createIndex('outbox_event_due_idx')
		.on('outbox_event')
		.columns(['available_at', 'id'])
		.where(sql.ref('processed_at'), 'is', null)
		.execute();

	// One row per delivered event: the record that makes a repeated delivery a no-op.
	await db.schema
		.createTable('email_delivery')
		.addColumn('event_id', 'integer', (col) =>
			col.primaryKey().references('outbox_event.id').onDelete('cascade')
		)
		.addColumn('message_id', 'text')
		.addColumn('delivered_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('rate_limit_counter')
		.addColumn('key', 'text', (col) => col.notNull())
		.addColumn('window_start', 'timestamptz', (col) => col.notNull())
		.addColumn('count', 'integer', (col) => col.notNull().check(sql`count > 0`))
		.addColumn('expires_at', 'timestamptz', (col) => col.notNull())
		.addPrimaryKeyConstraint('rate_limit_counter_pkey', ['key', 'window_start'])
		.execute();
	await db.schema
		.createIndex('rate_limit_counter_expires_idx')
		.on('rate_limit_counter')
		.column('expires_at')
		.execute();

	await db.schema
		.createTable('payment_audit')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('user_id', 'integer', (col) => col.notNull().references('app_user.id'))
		.addColumn('order_id', 'integer', (col) => col.references('customer_order.id'))
		.addColumn('idempotency_key', 'text', (col) => col.notNull())
		.addColumn('provider', 'text', (col) => col.notNull())
		.addColumn('outcome', 'text', (col) =>
			col.notNull().check(sql`outcome in ('approved', 'declined', 'failed')`)
		)
		.addColumn('reason', 'text')
		.addColumn('amount', 'integer', (col) => col.notNull().check(sql`amount >= 0`))
		.addColumn('currency', 'text', (col) =>
			col.notNull().check(sql`currency in ('USD', 'GBP', 'EUR')`)
		)
		.addColumn('card_last4', 'text', (col) => col.notNull().check(sql`card_last4 ~ '^[0-9]{4}$'`))
		.addColumn('reference', 'text')
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('payment_audit_user_idx')
		.on('payment_audit')
		.columns(['user_id', 'created_at'])
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	const tables = [
		'payment_audit',
		'rate_limit_counter',
		'email_delivery',
		'outbox_event',
		'idempotency_key',
		'order_item',
		'customer_order',
		'app_user'
	];
	for (const table of tables) {
		await db.schema.dropTable(table).execute();
	}
}
