import { describe, expect, test } from 'vitest';
import { ValidationError } from './errors.ts';
import { parse_card_number, passes_luhn, TEST_PAYMENT_PROVIDER } from './payment.ts';

function authorize(card_number: string) {
	return TEST_PAYMENT_PROVIDER.authorize({
		amount: 1800,
		currency: 'USD',
		card_number,
		idempotency_key: '7:checkout-key-0001'
	});
}

describe('passes_luhn', () => {
	test('accepts valid numbers', () => {
		for (const number of [
			'4242424242424242',
			'5555555555554444',
			'4000000000000002',
			'79927398713'
		]) {
			expect(passes_luhn(number), number).toBe(true);
		}
	});

	test('rejects one changed digit', () => {
		expect(passes_luhn('4242424242424241')).toBe(false);
		expect(passes_luhn('79927398710')).toBe(false);
	});
});

describe('parse_card_number', () => {
	test('strips spaces and hyphens', () => {
		expect(parse_card_number('4242 4242-4242 4242')).toBe('4242424242424242');
	});

	test('names card_number field', () => {
		const cases: [unknown, string][] = [
			[undefined, 'Enter a card number.'],
			[4242424242424242, 'Enter a card number.'],
			['   ', 'Enter a card number.'],
			['4242', 'A card number has 12 to 19 digits.'],
			['4242abcd42424242', 'A card number has 12 to 19 digits.'],
			['4242424242424241', 'The card number is invalid. Check it for typos.']
		];
		for (const [value, message] of cases) {
			let caught: unknown;
			try {
				parse_card_number(value);
			} catch (error) {
				caught = error;
			}
			expect(caught, String(value)).toBeInstanceOf(ValidationError);
			expect((caught as ValidationError).field).toBe('card_number');
			expect((caught as ValidationError).message).toBe(message);
		}
	});
});

describe('TEST_PAYMENT_PROVIDER', () => {
	test('approves 4242 card', async () => {
		const first = await authorize('4242424242424242');
		const again = await authorize('4242424242424242');

		expect(first.approved).toBe(true);
		expect(first).toEqual(again);
	});

	test('declines documented numbers', async () => {
		expect(await authorize('4000000000000002')).toEqual({
			approved: false,
			decline_code: 'card_declined',
			reason: 'The card was declined.'
		});
		expect(await authorize('4000000000009995')).toMatchObject({
			decline_code: 'insufficient_funds'
		});
		expect(await authorize('4000000000000069')).toMatchObject({ decline_code: 'expired_card' });
	});

	test('declines unknown valid numbers', async () => {
		expect(await authorize('79927398713')).toMatchObject({
			approved: false,
			decline_code: 'unknown_test_card'
		});
	});
});
