/**
 * The payment step of checkout: a provider interface, card number checks and the audit trail.
 * Only the last four digits of a card are ever stored.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Currency } from '../../shared/regions.ts';
import type { Database, PaymentOutcome } from '../db/schema.ts';
import { ValidationError } from './errors.ts';

export interface AuthorizationRequest {
	/** Minor units of `currency`. */
	amount: number;
	currency: Currency;
	card_number: string;
	/**
	 * Stable for every retry of one checkout, so a provider that deduplicates on it charges once
	 * even when the order transaction is rolled back and run again.
	 */
	idempotency_key: string;
}

export type Authorization =
	{ approved: true; reference: string } | { approved: false; decline_code: string; reason: string };

/**
 * A payment provider. `authorize` resolves with a decision, and rejects only when the provider
 * could not decide (network failure, outage), which checkout reports as `payment_failed`.
 */
export interface PaymentProvider {
	/** Short name stored in the audit rows, such as `test`. */
	name: string;
	authorize(request: AuthorizationRequest): Promise<Authorization>;
}

/** The payment part of a checkout: the provider, and the card number as the client sent it. */
export interface PaymentRequest {
	provider: PaymentProvider;
	card_number: unknown;
}

interface TestCard {
	outcome: 'approved' | 'declined';
	decline_code?: string;
	reason?: string;
}

/**
 * Card numbers that the test provider recognises. Every other number that passes the Luhn check is
 * declined with `unknown_test_card`, so a real card number typed into a test shop fails.
 *
 * | Number | Result |
 * |---|---|
 * | 4242 4242 4242 4242 | approved (Visa) |
 * | 5555 5555 5555 4444 | approved (Mastercard) |
 * | 4000 0000 0000 0002 | declined: `card_declined` |
 * | 4000 0000 0000 9995 | declined: `insufficient_funds` |
 * | 4000 0000 0000 0069 | declined: `expired_card` |
 */
export const TEST_CARDS: Readonly<Record<string, TestCard>> = Object.freeze({
	'4242424242424242': { outcome: 'approved' },
	'5555555555554444': { outcome: 'approved' },
	'4000000000000002': {
		outcome: 'declined',
		decline_code: 'card_declined',
		reason: 'The card was declined.'
	},
	'4000000000009995': {
		outcome: 'declined',
		decline_code: 'insufficient_funds',
		reason: 'The card has insufficient funds.'
	},
	'4000000000000069': {
		outcome: 'declined',
		decline_code: 'expired_card',
		reason: 'The card has expired.'
	}
});

/** The built-in provider for development and tests; it never contacts anyone. */
export const TEST_PAYMENT_PROVIDER: PaymentProvider = Object.freeze({
	name: 'test',
	async authorize(request: AuthorizationRequest): Promise<Authorization> {
		const card = TEST_CARDS[request.card_number];
		if (!card) {
			return {
				approved: false,
				decline_code: 'unknown_test_card',
				reason: 'The test payment provider accepts only its documented test card numbers.'
			};
		}
		if (card.outcome === 'declined') {
			return { approved: false, decline_code: card.decline_code!, reason: card.reason! };
		}
		// Derived from the key, like a provider that deduplicates on the idempotency key.
		const digest = createHash('sha256').update(request.idempotency_key).digest('hex');
		return { approved: true, reference: `test_${digest.slice(0, 24)}` };
	}
});

/**
 * Returns the card number as digits only, after removing spaces and hyphens, or throws a
 * `ValidationError` for `card_number` when it has the wrong length or fails the Luhn check.
 */
export function parse_card_number(value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new ValidationError('card_number', 'Enter a card number.');
	}
	const digits = value.replace(/[\s-]/g, '');
	if (!/^[0-9]{12,19}$/.test(digits)) {
		throw new ValidationError('card_number', 'A card number has 12 to 19 digits.');
	}
	if (!passes_luhn(digits)) {
		throw new ValidationError('card_number', 'The card number is invalid. Check it for typos.');
	}
	return digits;
}

/** Returns whether `digits` passes the Luhn (mod 10) check that all card numbers pass. */
export function passes_luhn(digits: string): boolean {
	let sum = 0;
	for (let index = 0; index < digits.length; index++) {
		let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
		if (index % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

export interface PaymentAuditEntry {
	user_id: number;
	order_id: number | null;
	idempotency_key: string;
	provider: string;
	outcome: PaymentOutcome;
	reason: string | null;
	amount: number;
	currency: Currency;
	card_number: string;
	reference: string | null;
}

/** Writes one audit row for an authorisation attempt, keeping only the card's last four digits. */
export async function record_payment_attempt(
	db: Kysely<Database>,
	entry: PaymentAuditEntry
): Promise<void> {
	const { card_number, ...row } = entry;
	await db
		.insertInto('payment_audit')
		.values({ ...row, card_last4: card_number.slice(-4) })
		.execute();
}
