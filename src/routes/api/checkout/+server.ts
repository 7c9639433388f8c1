import { json } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { session_user_id } from '$lib/server/account.ts';
import { checkout } from '$lib/server/checkout_flow.ts';
import type { CommerceResult, ErrorBody } from '$lib/server/commerce/errors.ts';
import { get_db } from '$lib/server/db/index.ts';
import { read_json_body } from '$lib/server/json_body.ts';
import type { RequestHandler } from './$types';

/**
 * Places an order. Headers: `Idempotency-Key` (required; 16 to 128 letters, digits, `-` or `_`).
 * Body: `{ "region": "uk", "lines": [{ "slug": "...", "quantity": 2 }], "card": "4242..." }`, at
 * most 16 KB. Any price or total in the body is ignored. Responds with `place_order`'s status,
 * body and headers: 201 `{ order }`, a replay of it with `Idempotent-Replayed: true`, or an
 * error `{ error: { code, message, field } }` (400, 401, 402, 409, 413, 415, 422, 502, 503).
 */
export const POST: RequestHandler = async ({ request, locals, platform }) => {
	const user_id = session_user_id(locals.user);
	if (user_id === null) {
		return json(
			{ code: 'unauthenticated', message: 'Sign in to use this endpoint.' },
			{ status: 401, headers: { 'cache-control': 'private, no-store' } }
		);
	}

	const body = await read_json_body(request);
	if (!body.ok) return respond(body.result);
	if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
		return respond({
			status: 400,
			body: {
				error: {
					code: 'invalid_input',
					message: 'Expected a JSON object { region, lines, card }.',
					field: 'body'
				}
			}
		});
	}

	const { region, lines, card } = body.value as Record<string, unknown>;
	const result = await checkout(
		get_db(),
		{
			user_id,
			region,
			lines,
			idempotency_key: request.headers.get('idempotency-key') ?? undefined
		},
		card,
		{ env, wait_until: (promise) => platform?.context?.waitUntil(promise) }
	);
	return respond(with_body_field_names(result));
};

function respond(result: CommerceResult): Response {
	return json(result.body, {
		status: result.status,
		headers: { ...result.headers, 'cache-control': 'private, no-store' }
	});
}

/** Names the card field as this API's body does (`card`) rather than as the form does. */
function with_body_field_names(result: CommerceResult): CommerceResult {
	const error = (result.body as Partial<ErrorBody> | null)?.error;
	if (error?.field !== 'card_number') return result;
	return { ...result, body: { error: { ...error, field: 'card' } } };
}
