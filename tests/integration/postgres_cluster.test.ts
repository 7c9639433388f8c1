import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { start_postgres_cluster, type PostgresCluster } from '../support/postgres_cluster.ts';

async function query_one(url: string, statement: string): Promise<Record<string, unknown>> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
	await client.connect();
	try {
		const result = await client.query(statement);
		return result.rows[0] as Record<string, unknown>;
	} finally {
		await client.end();
	}
}

// A cluster of its own, so stopping the server does not disturb the suites on the shared one.
describe('start_postgres_cluster', () => {
	let cluster: PostgresCluster;

	beforeAll(async () => {
		cluster = await start_postgres_cluster({ max_connections: 12 });
	});

	afterAll(async () => {
		await cluster?.stop();
	});

	test('applies max_connections', async () => {
		expect(await query_one(cluster.url, 'show max_connections')).toEqual({ max_connections: '12' });
	});

	test('turns fsync off', async () => {
		expect(await query_one(cluster.url, 'show fsync')).toEqual({ fsync: 'off' });
	});

	test('listens on loopback only', async () => {
		expect(await query_one(cluster.url, 'show listen_addresses')).toEqual({
			listen_addresses: '127.0.0.1'
		});
		expect(new URL(cluster.url).hostname).toBe('127.0.0.1');
	});

	test('runs PostgreSQL 15', async () => {
		const row = await query_one(cluster.url, 'show server_version_num');
		expect(Number(row.server_version_num)).toBeGreaterThanOrEqual(150_000);
		expect(Number(row.server_version_num)).toBeLessThan(160_000);
	});

	test('rejects a wrong password', async () => {
		const url = new URL(cluster.url);
		url.password = 'wrong';
		// 28P01 is invalid_password: SCRAM ran and failed rather than trust letting it in.
		await expect(query_one(url.href, 'select 1')).rejects.toMatchObject({ code: '28P01' });
	});

	test('restarts with its data', async () => {
		await query_one(cluster.url, 'create table kept as select 7 as value');

		await cluster.stop_server('immediate');
		await expect(query_one(cluster.url, 'select 1')).rejects.toMatchObject({
			code: 'ECONNREFUSED'
		});
		await cluster.start_server();

		expect(await query_one(cluster.url, 'select value from kept')).toEqual({ value: 7 });
	});

	test('stop removes the folder', async () => {
		const own = await start_postgres_cluster();
		const root = dirname(own.data_dir);
		expect(existsSync(root)).toBe(true);

		await own.stop();

		expect(existsSync(root)).toBe(false);
		await expect(query_one(own.url, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
	});

	test('reports the log when start fails', async () => {
		const failing = start_postgres_cluster({ max_connections: 0 });

		await expect(failing).rejects.toThrow(
			/failed to start[\s\S]*Server log tail:[\s\S]*max_connections/
		);
	});
});
