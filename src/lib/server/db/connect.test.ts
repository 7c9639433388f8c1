import { describe, expect, test } from 'vitest';
import { EMBEDDED_DATABASE_URL, read_database_settings } from './connect.ts';

const LOCAL_URL = 'postgres://shop:secret-password@db.internal:5432/shop';
const NEON_URL =
	'postgres://shop:secret-password@ep-quiet-sea-123456.eu-central-1.aws.neon.tech/shop';

describe('read_database_settings', () => {
	test('defaults to the embedded database', () => {
		const settings = read_database_settings({});

		expect(settings.url).toBe(EMBEDDED_DATABASE_URL);
		expect(settings.embedded).toBe(true);
		expect(settings.driver).toBe('pg');
	});

	test('treats a blank DATABASE_URL as unset', () => {
		const settings = read_database_settings({ DATABASE_URL: '  ' });

		expect(settings.url).toBe(EMBEDDED_DATABASE_URL);
		expect(settings.embedded).toBe(true);
	});

	test('uses pg for a plain URL', () => {
		const settings = read_database_settings({ DATABASE_URL: LOCAL_URL });

		expect(settings.url).toBe(LOCAL_URL);
		expect(settings.embedded).toBe(false);
		expect(settings.driver).toBe('pg');
	});

	test('uses neon for a neon.tech host', () => {
		expect(read_database_settings({ DATABASE_URL: NEON_URL }).driver).toBe('neon');
	});

	test('accepts the postgresql: scheme', () => {
		const url = LOCAL_URL.replace('postgres:', 'postgresql:');

		expect(read_database_settings({ DATABASE_URL: url }).url).toBe(url);
	});

	test('DATABASE_DRIVER=neon forces neon', () => {
		const settings = read_database_settings({ DATABASE_URL: LOCAL_URL, DATABASE_DRIVER: 'neon' });

		expect(settings.driver).toBe('neon');
	});

	test('DATABASE_DRIVER=pg forces pg on neon.tech', () => {
		const settings = read_database_settings({ DATABASE_URL: NEON_URL, DATABASE_DRIVER: 'pg' });

		expect(settings.driver).toBe('pg');
	});

	test('rejects NEON_WS_PROXY with a scheme', () => {
		const env = { DATABASE_URL: LOCAL_URL, NEON_WS_PROXY: 'ws://127.0.0.1:40123' };

		expect(() => read_database_settings(env)).toThrow(
			'Invalid NEON_WS_PROXY "ws://127.0.0.1:40123": expected host:port without a scheme'
		);
	});

	test('reads NEON_WS_PROXY', () => {
		const env = { DATABASE_URL: LOCAL_URL, NEON_WS_PROXY: ' 127.0.0.1:40123 ' };

		expect(read_database_settings(env).neon_ws_proxy).toBe('127.0.0.1:40123');
		expect(read_database_settings({ DATABASE_URL: LOCAL_URL }).neon_ws_proxy).toBeUndefined();
	});

	test('applies pool and timeout defaults', () => {
		const settings = read_database_settings({ DATABASE_URL: LOCAL_URL });

		expect(settings.pool_max).toBe(5);
		expect(settings.connect_timeout_ms).toBe(2_000);
		expect(settings.query_timeout_ms).toBe(5_000);
	});

	test('treats an empty number as unset', () => {
		const settings = read_database_settings({ DATABASE_URL: LOCAL_URL, DATABASE_POOL_MAX: '' });

		expect(settings.pool_max).toBe(5);
	});

	test('reads pool and timeout values', () => {
		const settings = read_database_settings({
			DATABASE_URL: LOCAL_URL,
			DATABASE_POOL_MAX: '20',
			DATABASE_CONNECT_TIMEOUT_MS: '750',
			DATABASE_QUERY_TIMEOUT_MS: '9000'
		});

		expect(settings.pool_max).toBe(20);
		expect(settings.connect_timeout_ms).toBe(750);
		expect(settings.query_timeout_ms).toBe(9_000);
	});

	test('rejects an unparsable DATABASE_URL', () => {
		expect(() => read_database_settings({ DATABASE_URL: 'not a url' })).toThrow(
			'Invalid DATABASE_URL: expected postgres://user:password@host:port/database'
		);
	});

	test('rejects a non-postgres scheme', () => {
		expect(() =>
			read_database_settings({ DATABASE_URL: 'mysql://shop:secret-password@db.internal/shop' })
		).toThrow('Invalid DATABASE_URL protocol "mysql:": expected postgres:');
	});

	test('keeps the password out of URL errors', () => {
		for (const url of ['mysql://shop:secret-password@db', 'postgres://shop:secret-password@db:x']) {
			expect(() => read_database_settings({ DATABASE_URL: url })).toThrow(/^Invalid DATABASE_URL/);
			expect(() => read_database_settings({ DATABASE_URL: url })).not.toThrow(/secret-password/);
		}
	});

	test('rejects an unknown DATABASE_DRIVER', () => {
		expect(() =>
			read_database_settings({ DATABASE_URL: LOCAL_URL, DATABASE_DRIVER: 'mysql' })
		).toThrow('Invalid DATABASE_DRIVER "mysql": expected "pg" or "neon"');
	});

	test.each([
		['DATABASE_POOL_MAX', '0'],
		['DATABASE_POOL_MAX', '-3'],
		['DATABASE_POOL_MAX', '2.5'],
		['DATABASE_CONNECT_TIMEOUT_MS', 'soon'],
		['DATABASE_QUERY_TIMEOUT_MS', '30s']
	])('rejects %s=%s', (name, value) => {
		expect(() => read_database_settings({ DATABASE_URL: LOCAL_URL, [name]: value })).toThrow(
			`Invalid ${name} "${value}": expected an integer from 1 to 2147483647`
		);
	});

	// Node's setTimeout turns a delay above 2^31-1 ms into 1 ms, which would cancel every query.
	test('rejects a timeout above 2^31-1 ms', () => {
		const env = { DATABASE_URL: LOCAL_URL, DATABASE_QUERY_TIMEOUT_MS: '3000000000' };

		expect(() => read_database_settings(env)).toThrow('DATABASE_QUERY_TIMEOUT_MS');
	});
});
