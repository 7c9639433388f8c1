/**
 * Error types and response shapes shared by the commerce modules. Expected failures become a
 * `CommerceResult` with a stable `code`, so a route can send it as it is and a client can branch
 * on the code rather than the message.
 */

export type CommerceErrorCode =
	| 'invalid_input'
	| 'unknown_product'
	| 'email_taken'
	| 'invalid_credentials'
	| 'rate_limited'
	| 'unknown_user'
	| 'out_of_stock'
	| 'payment_declined'
	| 'payment_failed'
	| 'idempotency_key_in_use'
	| 'idempotency_key_reused'
	| 'conflict'
	| 'database_unavailable';

/**
 * JSON body of every error result. `field` names the input at fault, as a path like
 * `lines[2].quantity`.
 */
export interface ErrorBody {
	error: {
		code: CommerceErrorCode;
		message: string;
		field?: string;
		/** Extra machine-readable facts, such as the product that ran out. */
		details?: Record<string, string | number>;
	};
}

/** A status, a JSON body and optional headers that a route sends unchanged. */
export interface CommerceResult<Body = unknown> {
	status: number;
	body: Body;
	headers?: Record<string, string>;
}

/** An expected failure with its HTTP status; `to_result` turns it into a response. */
export class CommerceError extends Error {
	readonly code: CommerceErrorCode;
	readonly status: number;
	readonly field: string | undefined;
	readonly details: Record<string, string | number> | undefined;
	readonly headers: Record<string, string> | undefined;

	constructor(
		code: CommerceErrorCode,
		status: number,
		message: string,
		options: {
			field?: string;
			details?: Record<string, string | number>;
			headers?: Record<string, string>;
			cause?: unknown;
		} = {}
	) {
		super(message, { cause: options.cause });
		this.name = new.target.name;
		this.code = code;
		this.status = status;
		this.field = options.field;
		this.details = options.details;
		this.headers = options.headers;
	}
}

/** A request value that is missing, malformed or out of range; always 400 and names the field. */
export class ValidationError extends CommerceError {
	constructor(field: string, message: string) {
		super('invalid_input', 400, message, { field });
	}
}

export function to_result(error: CommerceError): CommerceResult<ErrorBody> {
	const body: ErrorBody = { error: { code: error.code, message: error.message } };
	if (error.field !== undefined) body.error.field = error.field;
	if (error.details !== undefined) body.error.details = error.details;
	return error.headers
		? { status: error.status, body, headers: error.headers }
		: { status: error.status, body };
}

/**
 * The kinds of database failure that callers turn into a clear result instead of a 500.
 * `unavailable` covers a refused or lost connection, a full pool and an administrator shutdown.
 */
export type DatabaseFailure =
	'unique_violation' | 'check_violation' | 'serialization_failure' | 'lock_timeout' | 'unavailable';

const FAILURE_BY_SQLSTATE: Record<string, DatabaseFailure> = {
	'23505': 'unique_violation',
	'23514': 'check_violation',
	'40001': 'serialization_failure',
	'40P01': 'serialization_failure',
	'55P03': 'lock_timeout',
	'57014': 'lock_timeout',
	'53300': 'unavailable',
	'57P01': 'unavailable',
	'57P02': 'unavailable',
	'57P03': 'unavailable'
};

const NETWORK_ERROR_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN'
]);

/**
 * Classifies an error thrown by pg, the Neon driver or PGlite, or returns null when it is not a
 * database failure a caller can handle. Both drivers put the SQLSTATE in `code`.
 */
export function classify_database_error(error: unknown): DatabaseFailure | null {
	if (!(error instanceof Error)) return null;

	const code = (error as { code?: unknown }).code;
	if (typeof code === 'string') {
		if (code in FAILURE_BY_SQLSTATE) return FAILURE_BY_SQLSTATE[code]!;
		// Class 08 is "connection exception".
		if (code.startsWith('08') || NETWORK_ERROR_CODES.has(code)) return 'unavailable';
	}

	// pg-pool rejects a checkout that outlives `connectionTimeoutMillis` with this message and no
	// code. pg does the same for a query on a dead client, for a client that lost its connection
	// ("not queryable") and for a query past `query_timeout` ("Query read timeout"), so the
	// message is all there is to match.
	if (
		/timeout exceeded when trying to connect|Connection terminated|not queryable|Query read timeout/i.test(
			error.message
		)
	) {
		return 'unavailable';
	}
	if (error.cause !== undefined && error.cause !== error)
		return classify_database_error(error.cause);
	return null;
}

/** Seconds a client should wait before retrying after a transient database failure. */
export const DATABASE_RETRY_AFTER_S = 2;

/**
 * Maps a database failure to a result, or returns null for an error the caller must rethrow.
 * Unique and check violations are left to the caller, because only it can tell which
 * constraint failed.
 */
export function database_failure_result(error: unknown): CommerceResult<ErrorBody> | null {
	const failure = classify_database_error(error);
	if (failure === 'unavailable') {
		return to_result(
			new CommerceError(
				'database_unavailable',
				503,
				'The database is unavailable. Retry the request in a few seconds.',
				{ headers: { 'retry-after': String(DATABASE_RETRY_AFTER_S) } }
			)
		);
	}
	if (failure === 'serialization_failure' || failure === 'lock_timeout') {
		return to_result(
			new CommerceError(
				'conflict',
				503,
				'The request collided with a concurrent update and nothing was written. Retry it.',
				{ headers: { 'retry-after': '1' } }
			)
		);
	}
	return null;
}
