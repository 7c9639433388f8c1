/**
 * Validation of a checkout request body. Only slugs and quantities are read from the client:
 * any price, total or other extra field is ignored, because the server prices every line.
 */
import { is_region_code, type RegionCode } from '../../shared/regions.ts';
import { ValidationError } from './errors.ts';

export const MAX_LINES = 50;
export const MAX_QUANTITY = 99;

/** 16 to 128 letters, digits, `-` or `_`: a UUID or any random token the checkout form makes. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** Lower-case words joined by single hyphens, as in the catalog. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_MAX_LENGTH = 100;

export interface CheckoutInput {
	/** The signed-in user, from the verified session; not client input. */
	user_id: number;
	region: unknown;
	idempotency_key: unknown;
	lines: unknown;
}

export interface CheckoutLine {
	slug: string;
	quantity: number;
}

export interface CheckoutRequest {
	user_id: number;
	region: RegionCode;
	idempotency_key: string;
	lines: CheckoutLine[];
}

/** Returns the validated request or throws a `ValidationError` naming the first bad field. */
export function parse_checkout_request(input: CheckoutInput): CheckoutRequest {
	if (!Number.isInteger(input.user_id) || input.user_id < 1) {
		throw new Error(`Invalid user id ${input.user_id}: expected a positive integer`);
	}
	return {
		user_id: input.user_id,
		region: parse_region(input.region),
		idempotency_key: parse_idempotency_key(input.idempotency_key),
		lines: parse_lines(input.lines)
	};
}

function parse_idempotency_key(value: unknown): string {
	if (typeof value !== 'string' || value === '') {
		throw new ValidationError('idempotency_key', 'The Idempotency-Key header is missing.');
	}
	if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
		throw new ValidationError(
			'idempotency_key',
			'The idempotency key must be 16 to 128 letters, digits, "-" or "_", such as a UUID.'
		);
	}
	return value;
}

function parse_region(value: unknown): RegionCode {
	if (!is_region_code(value)) {
		const quoted_value = typeof value === 'string' && value.length <= 20 ? ` "${value}"` : '';
		throw new ValidationError('region', `Unknown region${quoted_value}: expected us, uk or eu.`);
	}
	return value;
}

function parse_lines(value: unknown): CheckoutLine[] {
	if (!Array.isArray(value)) {
		throw new ValidationError('lines', 'Expected lines to be a list of { slug, quantity }.');
	}
	if (value.length === 0) throw new ValidationError('lines', 'The cart is empty.');
	if (value.length > MAX_LINES) {
		throw new ValidationError(
			'lines',
			`The cart has ${value.length} lines, but the maximum is ${MAX_LINES}.`
		);
	}

	const seen = new Set<string>();
	return value.map((line: unknown, index) => {
		const parsed = parse_line(line, `lines[${index}]`);
		if (seen.has(parsed.slug)) {
			throw new ValidationError(
				`lines[${index}].slug`,
				`"${parsed.slug}" appears twice in the cart. Send one line with the total quantity.`
			);
		}
		seen.add(parsed.slug);
		return parsed;
	});
}

function parse_line(line: unknown, path: string): CheckoutLine {
	if (typeof line !== 'object' || line === null || Array.isArray(line)) {
		throw new ValidationError(path, 'Expected a line of the form { slug, quantity }.');
	}
	const { slug, quantity } = line as Record<string, unknown>;

	if (typeof slug !== 'string' || slug === '') {
		throw new ValidationError(`${path}.slug`, 'The product slug is missing.');
	}
	if (slug.length > SLUG_MAX_LENGTH || !SLUG_PATTERN.test(slug)) {
		throw new ValidationError(
			`${path}.slug`,
			'Invalid product slug: expected lower-case letters and digits joined by hyphens.'
		);
	}

	if (typeof quantity !== 'number' || !Number.isInteger(quantity)) {
		throw new ValidationError(`${path}.quantity`, 'The quantity must be a whole number.');
	}
	if (quantity < 1 || quantity > MAX_QUANTITY) {
		throw new ValidationError(
			`${path}.quantity`,
			`The quantity must be from 1 to ${MAX_QUANTITY}, not ${quantity}.`
		);
	}
	return { slug, quantity };
}
