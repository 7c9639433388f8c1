import { describe, expect, test } from 'vitest';
import { hash_checkout_request, idempotency_lock_id } from './idempotency.ts';

describe('hash_checkout_request', () => {
	const cart = {
		region: 'us' as const,
		lines: [
			{ slug: 'linen-apron', quantity: 1 },
			{ slug: 'enamel-camp-mug', quantity: 2 }
		]
	};

	test('ignores line order', () => {
		const reversed = { ...cart, lines: [...cart.lines].reverse() };
		expect(hash_checkout_request(reversed)).toBe(hash_checkout_request(cart));
	});

	test('changes with quantity or region', () => {
		const base = hash_checkout_request(cart);
		const more = { ...cart, lines: [cart.lines[0]!, { slug: 'enamel-camp-mug', quantity: 3 }] };

		expect(base).toMatch(/^[0-9a-f]{64}$/);
		expect(hash_checkout_request(more)).not.toBe(base);
		expect(hash_checkout_request({ ...cart, region: 'eu' })).not.toBe(base);
	});
});

describe('idempotency_lock_id', () => {
	test('is a stable signed int8', () => {
		const id = idempotency_lock_id(7, 'checkout-key-0001');
		const value = BigInt(id);

		expect(idempotency_lock_id(7, 'checkout-key-0001')).toBe(id);
		expect(value >= -(2n ** 63n)).toBe(true);
		expect(value < 2n ** 63n).toBe(true);
	});

	test('differs per user', () => {
		expect(idempotency_lock_id(7, 'checkout-key-0001')).not.toBe(
			idempotency_lock_id(8, 'checkout-key-0001')
		);
	});
});
