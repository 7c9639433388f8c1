import { sql, type Kysely } from 'kysely';

// Migrations take `Kysely<unknown>` because they must keep working after the schema moves on.
export async function up(db: Kysely<unknown>): Promise<void> {
	await db.schema
		.createTable('category')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('slug', 'text', (col) => col.notNull().unique())
		.addColumn('name', 'text', (col) => col.notNull())
		.addColumn('description', 'text', (col) => col.notNull())
		.addColumn('position', 'integer', (col) => col.notNull())
		.execute();

	await db.schema
		.createTable('product')
		.addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('slug', 'text', (col) => col.notNull().unique())
		.addColumn('category_id', 'integer', (col) => col.notNull().references('category.id'))
		.addColumn('name', 'text', (col) => col.notNull())
		.addColumn('summary', 'text', (col) => col.notNull())
		.addColumn('description', 'text', (col) => col.notNull())
		.addColumn('image', 'text', (col) => col.notNull())
		.addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('product_category_idx').on('product').column('category_id').execute();

	await db.schema
		.createTable('price')
		.addColumn('product_id', 'integer', (col) =>
			col.notNull().references('product.id').onDelete('cascade')
		)
		.addColumn('currency', 'text', (col) =>
			col.notNull().check(sql`currency in ('USD', 'GBP', 'EUR')`)
		)
		.addColumn('amount', 'integer', (col) => col.notNull().check(sql`amount > 0`))
		.addPrimaryKeyConstraint('price_pkey', ['product_id', 'currency'])
		.execute();

	await db.schema
		.createTable('stock')
		.addColumn('product_id', 'integer', (col) =>
			col.primaryKey().references('product.id').onDelete('cascade')
		)
		.addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity >= 0`))
		.addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
		.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	for (const table of ['stock', 'price', 'product', 'category']) {
		await db.schema.dropTable(table).execute();
	}
}
