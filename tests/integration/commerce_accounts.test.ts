import { expect, test } from 'vitest';
import { authenticate, register } from '../../src/lib/server/commerce/accounts.ts';
import { CommerceError, ValidationError } from '../../src/lib/server/commerce/errors.ts';
import { login, type LoginLimits } from '../../src/lib/server/commerce/login.ts';
import { hash_password, parse_password_hash } from '../../src/lib/server/commerce/passwords.ts';
import { DEMO_ACCOUNTS, seed_accounts } from '../../src/lib/server/db/seed/accounts.ts';
import { describe_each_database } from '../support/databases.ts';
import { count_rows } from './commerce_fixtures.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

/** Runs `action` and returns the CommerceError it throws. */
async function caught(action: () => Promise<unknown>): Promise<CommerceError> {
	try {
		await action();
	} catch (error) {
		if (error instanceof CommerceError) return error;
		throw error;
	}
	throw new Error('expected a CommerceError');
}

describe_each_database('accounts', { seed: false }, (suite) => {
	test('register stores scrypt hash', async () => {
		const user = await register(suite.db, {
			email: '  Ada@Example.com ',
			password: 'analytical-engine',
			name: 'Ada Lovelace'
		});

		expect(user).toEqual({
			id: user.id,
			email: 'Ada@Example.com',
			name: 'Ada Lovelace',
			role: 'customer'
		});
		const row = await suite.db
			.selectFrom('app_user')
			.select('password_hash')
			.where('id', '=', user.id)
			.executeTakeFirstOrThrow();
		expect(parse_password_hash(row.password_hash).params).toEqual({ N: 2 ** 17, r: 8, p: 1 });
		expect(row.password_hash).not.toContain('analytical-engine');
	});

	test('register rejects taken email in any case', async () => {
		const error = await caught(() =>
			register(suite.db, { email: 'ADA@example.COM', password: 'another-password', name: 'Ada' })
		);

		expect(error.code).toBe('email_taken');
		expect(error.status).toBe(409);
		expect(error.field).toBe('email');
		expect(await count_rows(suite.db, 'app_user')).toBe(1);
	});

	test('register names invalid field', async () => {
		const cases = [
			[{ email: 'not-an-email', password: 'long-enough-1', name: 'N' }, 'email'],
			[{ email: undefined, password: 'long-enough-1', name: 'N' }, 'email'],
			[{ email: 'a@example.com', password: 'nine-char', name: 'N' }, 'password'],
			[{ email: 'a@example.com', password: 'x'.repeat(257), name: 'N' }, 'password'],
			[{ email: 'a@example.com', password: 12345678901, name: 'N' }, 'password'],
			[{ email: 'a@example.com', password: 'long-enough-1', name: '   ' }, 'name'],
			[{ email: 'a@example.com', password: 'long-enough-1', name: 'a\u0000b' }, 'name']
		] as const;
		for (const [input, field] of cases) {
			const error = await caught(() => register(suite.db, input));
			expect(error, JSON.stringify(input).slice(0, 80)).toBeInstanceOf(ValidationError);
			expect(error.field).toBe(field);
		}
		expect(await count_rows(suite.db, 'app_user')).toBe(1);
	});

	test('authenticate accepts any email case', async () => {
		const user = await authenticate(suite.db, {
			email: 'ada@EXAMPLE.com',
			password: 'analytical-engine'
		});
		expect(user.email).toBe('Ada@Example.com');
		expect(user).not.toHaveProperty('password_hash');
	});

	test('wrong password and unknown email match', async () => {
		const wrong = await caught(() =>
			authenticate(suite.db, { email: 'ada@example.com', password: 'difference-engine' })
		);
		const unknown = await caught(() =>
			authenticate(suite.db, { email: 'nobody@example.com', password: 'difference-engine' })
		);

		expect(wrong.code).toBe('invalid_credentials');
		expect(wrong.status).toBe(401);
		expect(unknown.code).toBe(wrong.code);
		expect(unknown.status).toBe(wrong.status);
		expect(unknown.message).toBe(wrong.message);
	});

	test('authenticate upgrades old hash', async () => {
		const old_hash = await hash_password('babbage-1791', CHEAP);
		const { id } = await suite.db
			.insertInto('app_user')
			.values({ email: 'charles@example.com', name: 'Charles', password_hash: old_hash })
			.returning('id')
			.executeTakeFirstOrThrow();

		await authenticate(suite.db, { email: 'charles@example.com', password: 'babbage-1791' });

		const row = await suite.db
			.selectFrom('app_user')
			.select('password_hash')
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row.password_hash).not.toBe(old_hash);
		expect(parse_password_hash(row.password_hash).params.N).toBe(2 ** 17);
		await expect(
			authenticate(suite.db, { email: 'charles@example.com', password: 'babbage-1791' })
		).resolves.toMatchObject({ id });
	});

	test('seed_accounts inserts demo users once', async () => {
		expect(await seed_accounts(suite.db)).toEqual({ total: 2, inserted: 2 });
		expect(await seed_accounts(suite.db)).toEqual({ total: 2, inserted: 0 });

		const [customer, admin] = DEMO_ACCOUNTS;
		const signed_in = await authenticate(suite.db, customer!);
		expect(signed_in.role).toBe('customer');
		const roles = await suite.db
			.selectFrom('app_user')
			.select('role')
			.where('email', '=', admin!.email)
			.execute();
		expect(roles).toEqual([{ role: 'admin' }]);
	});
});

describe_each_database('login rate limits', { seed: false }, (suite) => {
	const LIMITS: LoginLimits = {
		account: { limit: 3, window_s: 600 },
		address: { limit: 5, window_s: 600 }
	};
	// Inside one window for every attempt of the suite.
	const NOW = new Date('2031-05-01T10:00:30Z');

	test('account limit blocks correct password', async () => {
		await suite.db
			.insertInto('app_user')
			.values({
				email: 'grace@example.com',
				name: 'Grace',
				password_hash: await hash_password('compiler-1952', CHEAP)
			})
			.execute();
		const attempt = (password: string, client_address: string) =>
			login(
				suite.db,
				{ email: 'grace@example.com', password, client_address },
				{ limits: LIMITS, now: NOW }
			);

		for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
			expect((await caught(() => attempt('wrong-password', address))).code).toBe(
				'invalid_credentials'
			);
		}
		const blocked = await caught(() => attempt('compiler-1952', '198.51.100.4'));

		expect(blocked.code).toBe('rate_limited');
		expect(blocked.status).toBe(429);
		expect(blocked.headers).toEqual({ 'retry-after': '570' });
		expect(blocked.message).toBe(
			'Too many login attempts for this account. Try again in 10 minutes.'
		);
	});

	test('success clears account counter', async () => {
		const later = new Date('2031-05-01T10:10:30Z');
		let attempts = 0;
		// A new client address per attempt keeps the address limit out of this test.
		const attempt = (password: string) =>
			login(
				suite.db,
				{ email: 'GRACE@example.com', password, client_address: `203.0.113.${++attempts}` },
				{ limits: LIMITS, now: later }
			);

		await caught(() => attempt('wrong-password'));
		await caught(() => attempt('wrong-password'));
		await expect(attempt('compiler-1952')).resolves.toMatchObject({ email: 'grace@example.com' });

		const codes: string[] = [];
		for (let index = 0; index < 4; index++)
			codes.push((await caught(() => attempt('wrong-password'))).code);
		expect(codes).toEqual([
			'invalid_credentials',
			'invalid_credentials',
			'invalid_credentials',
			'rate_limited'
		]);
	});

	test('address limit spans accounts', async () => {
		const now = new Date('2031-05-01T11:00:00Z');
		const codes: string[] = [];
		for (let index = 0; index < 7; index++) {
			const error = await caught(() =>
				login(
					suite.db,
					{
						email: `guess-${index}@example.com`,
						password: 'password-guess',
						client_address: '192.0.2.77'
					},
					{ limits: LIMITS, now }
				)
			);
			codes.push(error.code);
		}

		expect(codes).toEqual([
			...Array(5).fill('invalid_credentials'),
			'rate_limited',
			'rate_limited'
		]);
	});

	test('bad input counts nothing', async () => {
		const error = await caught(() =>
			login(
				suite.db,
				{ email: 42, password: 'x', client_address: '192.0.2.88' },
				{ limits: LIMITS }
			)
		);

		expect(error.field).toBe('email');
		const counters = await suite.db
			.selectFrom('rate_limit_counter')
			.select('key')
			.where('key', '=', 'login:address:192.0.2.88')
			.execute();
		expect(counters).toEqual([]);
	});
});
