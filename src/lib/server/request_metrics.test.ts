import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	current_request_metrics,
	QueryTimingPlugin,
	with_request_metrics
} from './request_metrics.ts';

let db: Kysely<unknown>;

beforeAll(async () => {
	const pglite = await PGlite.create();
	db = new Kysely({ dialect: new PGliteDialect({ pglite }) }).withPlugin(new QueryTimingPlugin());
});

afterAll(async () => {
	await db.destroy();
});

describe('QueryTimingPlugin', () => {
	test('counts queries of the request', async () => {
		const { metrics, result } = with_request_metrics(async () => {
			await sql`select pg_sleep(0.02)`.execute(db);
			await db.transaction().execute((trx) => sql`select 1`.execute(trx));
			return 'done';
		});

		expect(await result).toBe('done');
		expect(metrics.db_queries).toBe(2);
		expect(metrics.db_ms).toBeGreaterThanOrEqual(20);
	});

	test('keeps concurrent requests apart', async () => {
		const first = with_request_metrics(() => sql`select 1`.execute(db));
		const second = with_request_metrics(async () => {
			await sql`select 1`.execute(db);
			await sql`select 2`.execute(db);
		});
		await Promise.all([first.result, second.result]);

		expect(first.metrics.db_queries).toBe(1);
		expect(second.metrics.db_queries).toBe(2);
	});

	test('ignores queries outside a request', async () => {
		await sql`select 1`.execute(db);
		expect(current_request_metrics()).toBeUndefined();
	});

	test('skips failed queries', async () => {
		const { metrics, result } = with_request_metrics(() =>
			sql`select * from missing_table`.execute(db)
		);
		await expect(result).rejects.toThrow(/missing_table/);
		expect(metrics.db_queries).toBe(0);
	});
});
