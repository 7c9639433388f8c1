import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 5173, strictPort: true },
	test: {
		include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		globalSetup: ['tests/support/global_setup.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 120_000,
		expect: { requireAssertions: true }
	}
});
