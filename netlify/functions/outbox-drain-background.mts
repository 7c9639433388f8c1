/**
 * Background function that emails pending outbox events right after a checkout. The `-background`
 * suffix makes Netlify answer the caller with 202 at once and run this for up to 15 minutes.
 */
import type { Config } from '@netlify/functions';
import { get_db } from '../../src/lib/server/db/index.ts';
import { handle_drain_request } from '../../src/lib/server/outbox_runner.ts';

/** Stops starting new batches after 10 minutes, well inside the 15-minute limit. */
const TIME_BUDGET_MS = 10 * 60_000;

export default (request: Request): Promise<Response> =>
	handle_drain_request(request, get_db(), {
		source: 'background',
		env: process.env,
		time_budget_ms: TIME_BUDGET_MS
	});

export const config: Config = { method: 'POST' };
