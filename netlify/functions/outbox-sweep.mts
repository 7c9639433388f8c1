/**
 * Scheduled function: every five minutes it emails the outbox events that no background run
 * delivered, then prunes expired rate limit windows and old idempotency keys.
 */
import type { Config } from '@netlify/functions';
import { get_db } from '../../src/lib/server/db/index.ts';
import { sweep } from '../../src/lib/server/outbox_runner.ts';

/** Scheduled functions stop after 30 seconds; new batches stop starting after 20. */
const TIME_BUDGET_MS = 20_000;

export default async (): Promise<void> => {
	await sweep(get_db(), { source: 'schedule', env: process.env, time_budget_ms: TIME_BUDGET_MS });
};

export const config: Config = { schedule: '*/5 * * * *' };
