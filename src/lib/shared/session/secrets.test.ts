import { beforeEach, describe, expect, test, vi } from 'vitest';

const LONG = 'a-secret-of-more-than-thirty-two-characters';

describe('read_secrets', () => {
	beforeEach(() => {
		// The module warns once per process; a fresh copy per test resets that.
		vi.resetModules();
	});

	async function load() {
		return import('./secrets.ts');
	}

	test('reads the three variables', async () => {
		const { read_secrets } = await load();
		const env: Record<string, string> = {
			SESSION_SECRET: `${LONG}-current`,
			SESSION_SECRET_PREVIOUS: `${LONG}-previous`,
			IDENTITY_SECRET: `${LONG}-identity`
		};
		const warn = vi.fn();
		const secrets = read_secrets((name) => env[name], { allow_development_defaults: false, warn });
		expect(secrets).toEqual({
			session: { current: `${LONG}-current`, previous: `${LONG}-previous` },
			identity: `${LONG}-identity`
		});
		expect(warn).not.toHaveBeenCalled();
	});

	test('names a missing variable', async () => {
		const { read_secrets } = await load();
		const env: Record<string, string> = { SESSION_SECRET: LONG };
		let error: unknown;
		try {
			read_secrets((name) => env[name], { allow_development_defaults: false, warn: vi.fn() });
		} catch (caught) {
			error = caught;
		}
		expect(error).toMatchObject({ name: 'SecretConfigError', code: 'SECRET_MISSING' });
		expect((error as Error).message).toBe(
			'The environment variable IDENTITY_SECRET is not set. Set it to a random string of at least 32 characters.'
		);
	});

	test('uses development secrets and warns once', async () => {
		const { DEVELOPMENT_SECRETS, read_secrets } = await load();
		const warn = vi.fn();
		const first = read_secrets(() => undefined, { allow_development_defaults: true, warn });
		read_secrets(() => undefined, { allow_development_defaults: true, warn });
		expect(first.session.current).toBe(DEVELOPMENT_SECRETS.session.current);
		expect(first.identity).toBe(DEVELOPMENT_SECRETS.identity);
		expect(warn).toHaveBeenCalledTimes(1);
		expect(warn.mock.calls[0]?.[0]).toContain('SESSION_SECRET is not set');
	});

	test('rejects a short secret', async () => {
		const { read_secrets } = await load();
		const env: Record<string, string> = { SESSION_SECRET: 'short', IDENTITY_SECRET: LONG };
		expect(() =>
			read_secrets((name) => env[name], { allow_development_defaults: true, warn: vi.fn() })
		).toThrow('The environment variable SESSION_SECRET is 5 characters long; use at least 32.');
	});
});

describe('is_local_deploy_context', () => {
	test('allows only local contexts', async () => {
		const { is_local_deploy_context } = await import('./secrets.ts');
		expect(is_local_deploy_context('dev')).toBe(true);
		expect(is_local_deploy_context(undefined)).toBe(true);
		expect(is_local_deploy_context('production')).toBe(false);
		expect(is_local_deploy_context('deploy-preview')).toBe(false);
		expect(is_local_deploy_context('branch-deploy')).toBe(false);
	});
});
