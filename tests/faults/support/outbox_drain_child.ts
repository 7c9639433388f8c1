/**
 * Drains the outbox once, the way the scheduled function does, then exits. The outbox fault
 * suite starts it as a child process so that it can kill it with SIGKILL at any point.
 * Settings come from the environment: `DATABASE_URL`, `SMTP_URL` and `MAIL_FROM`.
 *
 *   DATABASE_URL=... SMTP_URL=smtp://... MAIL_FROM=... node tests/faults/support/outbox_drain_child.ts
 */
import { create_db, read_database_settings } from '../../../src/lib/server/db/connect.ts';
import { run_outbox } from '../../../src/lib/server/outbox_runner.ts';

/** Events per batch, so a run of the suite crosses several batches. */
const BATCH_SIZE = 10;

const db = create_db(read_database_settings(process.env));
try {
	await run_outbox(db, {
		source: 'fault-test',
		env: process.env,
		batch_size: BATCH_SIZE,
		time_budget_ms: 60_000,
		delivery_timeout_ms: 5_000
	});
} finally {
	await db.destroy();
}
