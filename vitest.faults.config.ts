import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault suites under `tests/faults`, one file at a time, because some
 * of them stop PostgreSQL, saturate pools or kill processes on purpose.
 */
export default defineConfig({
	test: {
		include: ['tests/faults/**/*.test.ts'],
		globalSetup: ['tests/faults/support/global_setup.ts'],
		environment: 'node',
		fileParallelism: false,
		testTimeout: 90_000,
		hookTimeout: 60_000,
		teardownTimeout: 30_000,
		expect: { requireAssertions: true }
	}
});
