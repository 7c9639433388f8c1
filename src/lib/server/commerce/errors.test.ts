import { describe, expect, test } from 'vitest';
import {
	classify_database_error,
	CommerceError,
	database_failure_result,
	to_result,
	ValidationError
} from './errors.ts';

function database_error(code: string): Error {
	return Object.assign(new Error(`failed with ${code}`), { code });
}

describe('classify_database_error', () => {
	test('maps SQLSTATE codes', () => {
		expect(classify_database_error(database_error('23505'))).toBe('unique_violation');
		expect(classify_database_error(database_error('40001'))).toBe('serialization_failure');
		expect(classify_database_error(database_error('40P01'))).toBe('serialization_failure');
		expect(classify_database_error(database_error('55P03'))).toBe('lock_timeout');
		expect(classify_database_error(database_error('08006'))).toBe('unavailable');
		expect(classify_database_error(database_error('57P01'))).toBe('unavailable');
		expect(classify_database_error(database_error('ECONNREFUSED'))).toBe('unavailable');
	});

	test('recognises pool timeout', () => {
		const error = new Error('timeout exceeded when trying to connect');
		expect(classify_database_error(error)).toBe('unavailable');
	});

	test('follows cause', () => {
		const error = new Error('wrapped', { cause: database_error('23505') });
		expect(classify_database_error(error)).toBe('unique_violation');
	});

	test('returns null for other errors', () => {
		expect(classify_database_error(database_error('42P01'))).toBeNull();
		expect(classify_database_error(new TypeError('x is undefined'))).toBeNull();
		expect(classify_database_error('23505')).toBeNull();
	});
});

describe('database_failure_result', () => {
	test('unavailable is 503 with retry-after', () => {
		const result = database_failure_result(database_error('ECONNREFUSED'));

		expect(result?.status).toBe(503);
		expect(result?.headers).toEqual({ 'retry-after': '2' });
		expect(result?.body.error.code).toBe('database_unavailable');
	});

	test('leaves unique violations to caller', () => {
		expect(database_failure_result(database_error('23505'))).toBeNull();
	});
});

describe('to_result', () => {
	test('includes field and details', () => {
		const error = new CommerceError('out_of_stock', 409, 'Gone.', {
			field: 'lines[0].quantity',
			details: { slug: 'linen-apron', available: 0 }
		});

		expect(to_result(error)).toEqual({
			status: 409,
			body: {
				error: {
					code: 'out_of_stock',
					message: 'Gone.',
					field: 'lines[0].quantity',
					details: { slug: 'linen-apron', available: 0 }
				}
			}
		});
	});

	test('validation error is 400', () => {
		const result = to_result(new ValidationError('email', 'Enter an email address.'));
		expect(result).toEqual({
			status: 400,
			body: { error: { code: 'invalid_input', message: 'Enter an email address.', field: 'email' } }
		});
	});
});
