/**
 * fast-check generators for the fuzzing suites: request values that mix valid data with the
 * shapes clients get wrong, so a run covers the success path and every validation branch.
 */
import fc from 'fast-check';

/** Any JSON value, including deep nesting and unusual numbers. */
export const any_json = fc.jsonValue({ maxDepth: 3 });

/** Strings of any code points, lone surrogates excluded. */
export const any_text = fc.string({ unit: 'binary', maxLength: 40 });

/** Short strings over characters that matter to URL, cookie and form parsers. */
export const tricky_text = fc.string({
	unit: fc.constantFrom(
		'a',
		'z',
		'0',
		'9',
		'-',
		'_',
		'.',
		'*',
		'%',
		'/',
		'\\',
		';',
		'=',
		' ',
		',',
		'"',
		'\0',
		'é',
		'𝄞'
	),
	maxLength: 30
});

/** Slugs that exist, slugs that do not, and values that are not slugs; mostly ones that exist. */
export function slug_value(slugs: readonly string[]) {
	return fc.oneof(
		{ weight: 8, arbitrary: fc.constantFrom(...slugs) },
		{ weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,70}$/) },
		{ weight: 1, arbitrary: tricky_text },
		{ weight: 1, arbitrary: any_json }
	);
}

/** Quantities in range, out of range, fractional, and of the wrong type; mostly in range. */
export const quantity_value = fc.oneof(
	{ weight: 8, arbitrary: fc.integer({ min: 1, max: 5 }) },
	{ weight: 1, arbitrary: fc.integer({ min: -3, max: 120 }) },
	{ weight: 1, arbitrary: fc.double({ noNaN: false }) },
	{ weight: 1, arbitrary: fc.constantFrom('1', '2', '1e1', '0x10', '', ' 3 ', '99', '100') },
	{ weight: 1, arbitrary: any_json }
);

/** Converts any value to the text a form field would carry. */
export function as_field_text(value: unknown): string {
	return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** Generates a checkout line: usually an object with slug and quantity, sometimes any JSON. */
export function line_value(slugs: readonly string[]) {
	return fc.oneof(
		{ weight: 8, arbitrary: fc.record({ slug: slug_value(slugs), quantity: quantity_value }) },
		{
			weight: 1,
			arbitrary: fc.record(
				{ slug: slug_value(slugs), quantity: quantity_value, price: fc.integer() },
				{ requiredKeys: [] }
			)
		},
		{ weight: 1, arbitrary: any_json }
	);
}

/**
 * Generates the client-controlled fields of a checkout request. Each field is valid most of the time, so
 * about a third of the requests pass validation and reach the database.
 */
export function checkout_fields(slugs: readonly string[]) {
	return fc.record({
		region: fc.oneof(
			{ weight: 8, arbitrary: fc.constantFrom('us', 'uk', 'eu') },
			{ weight: 1, arbitrary: fc.constantFrom('US', 'de', '') },
			{ weight: 1, arbitrary: any_json }
		),
		idempotency_key: fc.oneof(
			{ weight: 8, arbitrary: fc.uuid() },
			{ weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{0,140}$/) },
			{ weight: 1, arbitrary: tricky_text },
			{ weight: 1, arbitrary: any_json }
		),
		lines: fc.oneof(
			{ weight: 8, arbitrary: fc.array(line_value(slugs), { maxLength: 3 }) },
			{ weight: 1, arbitrary: fc.array(line_value(slugs), { minLength: 48, maxLength: 55 }) },
			{ weight: 1, arbitrary: any_json }
		),
		card: fc.oneof(
			{
				weight: 8,
				arbitrary: fc.constantFrom('4242424242424242', '4242 4242 4242 4242', '5555555555554444')
			},
			{ weight: 1, arbitrary: fc.constantFrom('4000000000000002', '4242424242424241') },
			{ weight: 1, arbitrary: fc.stringMatching(/^[0-9 -]{0,30}$/) },
			{ weight: 1, arbitrary: any_json }
		)
	});
}
