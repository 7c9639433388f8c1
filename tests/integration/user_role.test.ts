import { expect, test } from 'vitest';
import { read_user_role } from '../../src/lib/server/user_role.ts';
import { describe_each_database } from '../support/databases.ts';

describe_each_database('read_user_role', { seed: false }, (suite) => {
	test('reads the stored role', async () => {
		const { id } = await suite.db
			.insertInto('app_user')
			.values({ email: 'role@example.com', password_hash: 'x', name: 'Role', role: 'admin' })
			.returning('id')
			.executeTakeFirstOrThrow();

		expect(await read_user_role(suite.db, String(id))).toBe('admin');

		await suite.db.updateTable('app_user').set({ role: 'customer' }).where('id', '=', id).execute();
		expect(await read_user_role(suite.db, String(id))).toBe('customer');
	});

	test('null for a missing user', async () => {
		expect(await read_user_role(suite.db, '999999')).toBeNull();
		expect(await read_user_role(suite.db, 'admin-1')).toBeNull();
	});
});
