import { sql, type Kysely, type Transaction } from 'kysely';
import { beforeAll, expect, test } from 'vitest';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { describe_each_database } from '../support/databases.ts';

/** Waits until `parties` callers have arrived, or rejects after `timeout_ms`. */
function create_barrier(parties: number, timeout_ms: number): () => Promise<void> {
	let arrived = 0;
	let open!: () => void;
	const opened = new Promise<void>((resolve) => (open = resolve));

	return async () => {
		arrived++;
		if (arrived === parties) open();
		let timer: NodeJS.Timeout | undefined;
		const timed_out = new Promise<never>((_, reject) => {
			timer = setTimeout(
				() =>
					reject(
						new Error(
							`Timed out after ${timeout_ms} ms with ${arrived} of ${parties} transactions open`
						)
					),
				timeout_ms
			);
		});
		try {
			await Promise.race([opened, timed_out]);
		} finally {
			clearTimeout(timer);
		}
	};
}

async function read_stock(db: Kysely<Database>, product_id: number): Promise<number> {
	const row = await db
		.selectFrom('stock')
		.select('quantity')
		.where('product_id', '=', product_id)
		.executeTakeFirstOrThrow();
	return row.quantity;
}

describe_each_database('transactions', {}, (suite) => {
	let product_ids: number[] = [];

	beforeAll(async () => {
		const rows = await suite.db.selectFrom('product').select('id').orderBy('id').limit(2).execute();
		product_ids = rows.map((row) => row.id);
	});

	test('throwing callback rolls back', async () => {
		const [product_id] = product_ids as [number];
		const before = await read_stock(suite.db, product_id);

		const failing = suite.db.transaction().execute(async (trx) => {
			await trx
				.insertInto('category')
				.values({ slug: 'rolled-back', name: 'Rolled back', description: '', position: 99 })
				.execute();
			await trx
				.updateTable('stock')
				.set({ quantity: before + 10 })
				.where('product_id', '=', product_id)
				.execute();
			throw new Error('checkout failed');
		});

		await expect(failing).rejects.toThrow('checkout failed');
		const category = await suite.db
			.selectFrom('category')
			.select('id')
			.where('slug', '=', 'rolled-back')
			.executeTakeFirst();
		expect(category).toBeUndefined();
		expect(await read_stock(suite.db, product_id)).toBe(before);
	});

	test('overlapping transactions both commit', async () => {
		const [first, second] = product_ids as [number, number];
		// PGlite has one connection, so its transactions queue and cannot wait for each other.
		const wait_for_both = suite.target.serializes_transactions
			? async () => undefined
			: create_barrier(2, 5_000);

		const set_stock = async (trx: Transaction<Database>, product_id: number, quantity: number) => {
			await trx
				.updateTable('stock')
				.set({ quantity })
				.where('product_id', '=', product_id)
				.execute();
			await wait_for_both();
			const backend = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
			return backend.rows[0]!.pid;
		};

		const pids = await Promise.all([
			suite.db.transaction().execute((trx) => set_stock(trx, first, 41)),
			suite.db.transaction().execute((trx) => set_stock(trx, second, 42))
		]);

		expect(await read_stock(suite.db, first)).toBe(41);
		expect(await read_stock(suite.db, second)).toBe(42);
		if (!suite.target.serializes_transactions) {
			expect(pids[0]).not.toBe(pids[1]);
		}
	});
});
