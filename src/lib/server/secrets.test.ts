import { beforeEach, describe, expect, test, vi } from 'vitest';

// A built function: not Vite's dev server, and no secrets in the environment.
vi.mock('$app/environment', () => ({ dev: false }));
vi.mock('$env/dynamic/private', () => ({ env: {} }));

async function load_server_secrets() {
	// The module keeps the first result per process, so each case loads a fresh copy.
	vi.resetModules();
	return (await import('./secrets.ts')).server_secrets;
}

describe('server_secrets', () => {
	beforeEach(() => {
		vi.spyOn(console, 'warn').mockImplementation(() => {});
	});

	test('falls back in the dev context', async () => {
		const server_secrets = await load_server_secrets();

		expect(server_secrets('dev').session.current.length).toBeGreaterThanOrEqual(32);
	});

	test.each([undefined, null, '', 'production', 'deploy-preview'])(
		'rejects missing secrets with context %s',
		async (context) => {
			const server_secrets = await load_server_secrets();

			expect(() => server_secrets(context)).toThrow(
				expect.objectContaining({ code: 'SECRET_MISSING' })
			);
		}
	);
});
