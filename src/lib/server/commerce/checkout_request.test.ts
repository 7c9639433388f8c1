import { describe, expect, test } from 'vitest';
import { parse_checkout_request, type CheckoutInput } from './checkout_request.ts';
import { ValidationError } from './errors.ts';

const KEY = '0b6f6c4e-2d57-4a8e-9d55-6a9f8f0c1e21';

function input(overrides: Partial<CheckoutInput> = {}): CheckoutInput {
	return {
		user_id: 7,
		region: 'uk',
		idempotency_key: KEY,
		lines: [{ slug: 'enamel-camp-mug', quantity: 2 }],
		...overrides
	};
}

/** Returns the field and message of the ValidationError that `value` raises. */
function rejection(value: CheckoutInput): { field: string | undefined; message: string } {
	try {
		parse_checkout_request(value);
	} catch (error) {
		if (error instanceof ValidationError) return { field: error.field, message: error.message };
		throw error;
	}
	throw new Error('expected a ValidationError');
}

describe('parse_checkout_request', () => {
	test('accepts valid cart', () => {
		expect(parse_checkout_request(input())).toEqual({
			user_id: 7,
			region: 'uk',
			idempotency_key: KEY,
			lines: [{ slug: 'enamel-camp-mug', quantity: 2 }]
		});
	});

	test('drops client prices', () => {
		const lines = [{ slug: 'enamel-camp-mug', quantity: 1, price: 1, unit_price: 1, total: 0 }];
		expect(parse_checkout_request(input({ lines })).lines).toEqual([
			{ slug: 'enamel-camp-mug', quantity: 1 }
		]);
	});

	test('rejects bad idempotency keys', () => {
		for (const key of [
			undefined,
			'',
			'short',
			'has spaces in the key here',
			'ä'.repeat(20),
			'k'.repeat(129)
		]) {
			expect(rejection(input({ idempotency_key: key })).field, String(key)).toBe('idempotency_key');
		}
	});

	test('rejects unknown region', () => {
		expect(rejection(input({ region: 'mars' }))).toEqual({
			field: 'region',
			message: 'Unknown region "mars": expected us, uk or eu.'
		});
		expect(rejection(input({ region: undefined })).field).toBe('region');
	});

	test('rejects empty or oversized cart', () => {
		expect(rejection(input({ lines: [] }))).toEqual({
			field: 'lines',
			message: 'The cart is empty.'
		});
		expect(rejection(input({ lines: 'enamel-camp-mug' })).field).toBe('lines');
		expect(rejection(input({ lines: { slug: 'enamel-camp-mug', quantity: 1 } })).field).toBe(
			'lines'
		);

		const lines = Array.from({ length: 51 }, (_, index) => ({
			slug: `product-${index}`,
			quantity: 1
		}));
		expect(rejection(input({ lines }))).toEqual({
			field: 'lines',
			message: 'The cart has 51 lines, but the maximum is 50.'
		});
		expect(parse_checkout_request(input({ lines: lines.slice(0, 50) })).lines).toHaveLength(50);
	});

	test('rejects bad slugs', () => {
		for (const slug of [
			undefined,
			'',
			'Enamel-Mug',
			'mug--large',
			'-mug',
			'mug/../x',
			'a'.repeat(101),
			42
		]) {
			const lines = [
				{ slug: 'enamel-camp-mug', quantity: 1 },
				{ slug, quantity: 1 }
			];
			expect(rejection(input({ lines })).field, String(slug)).toBe('lines[1].slug');
		}
	});

	test('rejects bad quantities', () => {
		for (const quantity of [0, -1, 1.5, 100, 1e9, Number.NaN, Infinity, '2', null, undefined]) {
			const lines = [{ slug: 'enamel-camp-mug', quantity }];
			expect(rejection(input({ lines })).field, String(quantity)).toBe('lines[0].quantity');
		}
		expect(rejection(input({ lines: [{ slug: 'enamel-camp-mug', quantity: 100 }] })).message).toBe(
			'The quantity must be from 1 to 99, not 100.'
		);
	});

	test('rejects duplicate slug', () => {
		const lines = [
			{ slug: 'enamel-camp-mug', quantity: 1 },
			{ slug: 'linen-apron', quantity: 1 },
			{ slug: 'enamel-camp-mug', quantity: 2 }
		];
		expect(rejection(input({ lines })).field).toBe('lines[2].slug');
	});

	test('rejects non-object line', () => {
		expect(rejection(input({ lines: [null] })).field).toBe('lines[0]');
		expect(rejection(input({ lines: [['enamel-camp-mug', 1]] })).field).toBe('lines[0]');
	});
});
