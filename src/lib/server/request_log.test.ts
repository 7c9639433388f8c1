import { describe, expect, test, vi } from 'vitest';
import { hash_user_id, log_error, log_request } from './request_log.ts';

const SECRET = 'request-log-test-secret-0123456789abcdef';

describe('hash_user_id', () => {
	test('is stable per secret', () => {
		expect(hash_user_id('42', SECRET)).toBe(hash_user_id('42', SECRET));
		expect(hash_user_id('42', SECRET)).toMatch(/^[A-Za-z0-9_-]{16}$/);
	});

	test('differs by user and secret', () => {
		expect(hash_user_id('42', SECRET)).not.toBe(hash_user_id('43', SECRET));
		expect(hash_user_id('42', SECRET)).not.toBe(hash_user_id('42', `${SECRET}x`));
	});
});

describe('log_request', () => {
	test('writes one JSON line', () => {
		const write = vi.fn();
		log_request(
			{
				request_id: 'r-1',
				method: 'GET',
				route: '/account',
				status: 200,
				duration_ms: 12.34567,
				db_ms: 3.21,
				db_queries: 2,
				user: 'abc'
			},
			write
		);
		expect(write).toHaveBeenCalledOnce();
		expect(JSON.parse(write.mock.calls[0]![0])).toEqual({
			level: 'info',
			msg: 'request',
			request_id: 'r-1',
			method: 'GET',
			route: '/account',
			status: 200,
			duration_ms: 12.346,
			db_ms: 3.21,
			db_queries: 2,
			user: 'abc'
		});
	});
});

describe('log_error', () => {
	test('includes message and cause', () => {
		const write = vi.fn();
		const error = new Error('query failed', { cause: new Error('connection refused') });
		log_error({ request_id: 'r-2', method: 'POST', route: '/checkout', status: 500, error }, write);
		const line = JSON.parse(write.mock.calls[0]![0]);
		expect(line.level).toBe('error');
		expect(line.request_id).toBe('r-2');
		expect(line.error).toBe('Error: query failed');
		expect(line.cause).toBe('connection refused');
		expect(line.stack).toContain('query failed');
	});
});
