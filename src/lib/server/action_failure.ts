/**
 * Turns commerce results and errors into SvelteKit form action failures, so forms show the same
 * status, code, message and field as the JSON API.
 */
import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import {
	CommerceError,
	database_failure_result,
	to_result,
	type CommerceResult,
	type ErrorBody
} from './commerce/errors.ts';

/** The data of a failed action: the error, plus form values to show again. */
export type FormError<Values extends Record<string, string>> = ErrorBody['error'] & Values;

type SetHeaders = RequestEvent['setHeaders'];

/**
 * Returns a failure for a non-2xx commerce result. A `retry-after` header is passed on. Other
 * result headers only concern API clients.
 */
export function fail_with_result<Values extends Record<string, string>>(
	result: CommerceResult,
	set_headers: SetHeaders,
	values: Values
): ActionFailure<FormError<Values>> {
	const retry_after = result.headers?.['retry-after'];
	if (retry_after) set_headers({ 'retry-after': retry_after });
	const { error } = result.body as ErrorBody;
	return fail(result.status, { ...error, ...values });
}

/**
 * Returns a failure for an expected error (`CommerceError`) or a database outage, and rethrows
 * anything else, which `handleError` then logs.
 */
export function fail_with_error<Values extends Record<string, string>>(
	error: unknown,
	set_headers: SetHeaders,
	values: Values
): ActionFailure<FormError<Values>> {
	if (error instanceof CommerceError)
		return fail_with_result(to_result(error), set_headers, values);
	const outage = database_failure_result(error);
	if (outage) return fail_with_result(outage, set_headers, values);
	throw error;
}
