import { expect, test } from 'vitest';
import {
	consume_rate_limit,
	prune_rate_limit_counters,
	reset_rate_limit
} from '../../src/lib/server/commerce/rate_limit.ts';
import { describe_each_database } from '../support/databases.ts';

const RULE = { limit: 5, window_s: 60 };
const START = new Date('2031-01-01T00:00:00Z');

function at(seconds: number): Date {
	return new Date(START.getTime() + seconds * 1000);
}

describe_each_database('rate limit counters', { seed: false }, (suite) => {
	test('concurrent hits count exactly', async () => {
		const decisions = await Promise.all(
			Array.from({ length: 20 }, () => consume_rate_limit(suite.db, 'burst', RULE, at(10)))
		);

		expect(decisions.map((decision) => decision.count).sort((a, b) => a - b)).toEqual(
			Array.from({ length: 20 }, (_, index) => index + 1)
		);
		expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
		for (const decision of decisions) {
			expect(decision.allowed).toBe(decision.count <= 5);
		}
	});

	test('reports remaining and retry-after', async () => {
		const first = await consume_rate_limit(suite.db, 'steady', RULE, at(15));
		expect(first).toEqual({
			allowed: true,
			count: 1,
			limit: 5,
			remaining: 4,
			retry_after_s: 0,
			reset_at: at(60)
		});

		for (let index = 0; index < 4; index++)
			await consume_rate_limit(suite.db, 'steady', RULE, at(15));
		const over = await consume_rate_limit(suite.db, 'steady', RULE, at(15.2));
		expect(over.allowed).toBe(false);
		expect(over.remaining).toBe(0);
		expect(over.retry_after_s).toBe(45);
	});

	test('next window starts at one', async () => {
		const next = await consume_rate_limit(suite.db, 'steady', RULE, at(60));
		expect(next.count).toBe(1);
		expect(next.allowed).toBe(true);
	});

	test('keys count separately', async () => {
		const other = await consume_rate_limit(suite.db, 'steady-other', RULE, at(15));
		expect(other.count).toBe(1);
	});

	test('reset forgets key', async () => {
		await reset_rate_limit(suite.db, 'steady');
		const after = await consume_rate_limit(suite.db, 'steady', RULE, at(61));
		expect(after.count).toBe(1);
	});

	test('prune deletes ended windows', async () => {
		const deleted = await prune_rate_limit_counters(suite.db, at(60));

		// 'burst' and 'steady-other' lived in the first window; 'steady' now counts in the second.
		expect(deleted).toBe(2);
		const keys = await suite.db.selectFrom('rate_limit_counter').select('key').execute();
		expect(keys).toEqual([{ key: 'steady' }]);
	});

	test('rejects invalid rule', async () => {
		await expect(consume_rate_limit(suite.db, 'x', { limit: 0, window_s: 60 })).rejects.toThrow(
			'Invalid rate limit 0: expected a positive integer'
		);
	});
});
