/**
 * Signed identity headers: the edge verifies the session once and passes the visitor's identity
 * to the origin in these headers, with an HMAC-SHA256 signature that expires after
 * `IDENTITY_TTL_S`. The origin trusts them only when the signature verifies, so a client that
 * reaches the origin directly cannot claim an identity by sending the headers itself.
 */
import { decode as base64url_decode, encode as base64url_encode } from 'jose/base64url';
import { HmacSha256 } from '../edge/hmac_sha256.ts';
import { is_region_code, type RegionCode } from './regions.ts';
import { is_identifier, is_session_role, type Session } from './session/policy.ts';

/** Every header starting with this prefix is internal: the edge deletes incoming ones. */
export const INTERNAL_HEADER_PREFIX = 'x-splitshop-';

export const IDENTITY_HEADERS = {
	user_id: 'x-splitshop-user-id',
	role: 'x-splitshop-role',
	session_id: 'x-splitshop-session-id',
	session_expires: 'x-splitshop-session-expires',
	cohorts: 'x-splitshop-cohorts',
	region: 'x-splitshop-region',
	request_id: 'x-splitshop-request-id',
	expires: 'x-splitshop-identity-expires',
	signature: 'x-splitshop-identity-signature'
} as const;

/** Lifetime of a signature, in seconds: long enough for the hop from edge to origin only. */
export const IDENTITY_TTL_S = 30;

/** Allowed clock difference between the edge and the origin, in seconds. */
const CLOCK_TOLERANCE_S = 5;

/** Version tag at the start of the signed text, so a future format cannot be confused with it. */
const SIGNATURE_VERSION = 'splitshop-identity-v1';

export interface Identity {
	/** The verified session, or null for an anonymous visitor. */
	session: Session | null;
	/** Experiment key to variant name. */
	cohorts: Record<string, string>;
	region: RegionCode;
	request_id: string;
}

const keys = new Map<string, Promise<CryptoKey>>();
const signers = new Map<string, HmacSha256>();
const encoder = new TextEncoder();

/**
 * Returns the signing key, prepared once per isolate. Signing runs on every edge request, so it uses the
 * synchronous HMAC; verification at the origin uses WebCrypto, which also cross-checks the two.
 */
function load_identity_signer(secret: string): HmacSha256 {
	let signer = signers.get(secret);
	if (!signer) {
		signer = new HmacSha256(encoder.encode(secret));
		signers.set(secret, signer);
	}
	return signer;
}

/** Imports the verification key once per isolate or process. */
function load_identity_key(secret: string): Promise<CryptoKey> {
	let key = keys.get(secret);
	if (!key) {
		key = crypto.subtle.importKey(
			'raw',
			encoder.encode(secret),
			{ name: 'HMAC', hash: 'SHA-256' },
			false,
			['sign', 'verify']
		);
		keys.set(secret, key);
	}
	return key;
}

/** Checks whether a (lowercase) header name is internal: only the edge may set such headers. */
export function is_internal_header(name: string): boolean {
	return name.startsWith(INTERNAL_HEADER_PREFIX);
}

/**
 * Returns the identity headers and their signature, valid until `now_ms` + `IDENTITY_TTL_S`, as
 * name and value pairs ready for a `Headers` init.
 */
export function sign_identity(
	identity: Identity,
	secret: string,
	now_ms: number
): [string, string][] {
	const values = identity_values(identity, Math.floor(now_ms / 1000) + IDENTITY_TTL_S);
	const signature = load_identity_signer(secret).sign(encoder.encode(signed_text(values)));

	const headers: [string, string][] = [];
	for (const field of IDENTITY_FIELDS) headers.push([IDENTITY_HEADERS[field], values[field]]);
	headers.push([IDENTITY_HEADERS.signature, base64url_encode(signature)]);
	return headers;
}

/**
 * Reads and verifies the identity headers. Returns null when any is missing or malformed, the
 * signature does not match, or it has expired; the caller then treats the request as unproven.
 */
export async function verify_identity(
	headers: Headers,
	secret: string,
	now_ms: number
): Promise<Identity | null> {
	const signature_header = headers.get(IDENTITY_HEADERS.signature);
	const expires_header = headers.get(IDENTITY_HEADERS.expires);
	if (!signature_header || !expires_header) return null;

	const now_s = Math.floor(now_ms / 1000);
	const expires = Number(expires_header);
	const is_current =
		Number.isInteger(expires) &&
		expires + CLOCK_TOLERANCE_S >= now_s &&
		expires <= now_s + IDENTITY_TTL_S + CLOCK_TOLERANCE_S;
	if (!is_current) return null;

	const values = {} as IdentityValues;
	for (const field of IDENTITY_FIELDS) {
		values[field] = headers.get(IDENTITY_HEADERS[field]) ?? '';
	}

	let signature: Uint8Array<ArrayBuffer>;
	try {
		signature = new Uint8Array(base64url_decode(signature_header));
	} catch {
		return null;
	}
	const key = await load_identity_key(secret);
	const data = encoder.encode(signed_text(values));
	if (!(await crypto.subtle.verify('HMAC', key, signature, data))) return null;

	return parse_identity(values);
}

const IDENTITY_FIELDS = [
	'user_id',
	'role',
	'session_id',
	'session_expires',
	'cohorts',
	'region',
	'request_id',
	'expires'
] as const;

type IdentityValues = Record<(typeof IDENTITY_FIELDS)[number], string>;

function identity_values(identity: Identity, expires: number): IdentityValues {
	const { session } = identity;
	return {
		user_id: session?.user_id ?? '',
		role: session?.role ?? '',
		session_id: session?.session_id ?? '',
		session_expires: session ? String(session.expires_at) : '',
		cohorts: format_cohorts(identity.cohorts),
		region: identity.region,
		request_id: identity.request_id,
		expires: String(expires)
	};
}

/** Joins the fields one per line. Header values cannot contain a line break, so the text is unambiguous. */
function signed_text(values: IdentityValues): string {
	let text = SIGNATURE_VERSION;
	for (const field of IDENTITY_FIELDS) text += `\n${values[field]}`;
	return text;
}

function parse_identity(values: IdentityValues): Identity | null {
	if (!is_region_code(values.region) || !is_identifier(values.request_id)) return null;
	const cohorts = parse_cohorts(values.cohorts);
	if (!cohorts) return null;

	if (values.user_id === '') {
		return { session: null, cohorts, region: values.region, request_id: values.request_id };
	}

	const expires_at = Number(values.session_expires);
	if (
		!is_identifier(values.user_id) ||
		!is_session_role(values.role) ||
		!is_identifier(values.session_id) ||
		!Number.isInteger(expires_at)
	) {
		return null;
	}
	return {
		session: {
			user_id: values.user_id,
			role: values.role,
			session_id: values.session_id,
			expires_at
		},
		cohorts,
		region: values.region,
		request_id: values.request_id
	};
}

/** Formats cohorts as `key=variant` pairs sorted by key and joined with commas. */
export function format_cohorts(cohorts: Record<string, string>): string {
	return Object.keys(cohorts)
		.sort()
		.map((key) => `${key}=${cohorts[key]}`)
		.join(',');
}

/** Parses `format_cohorts` output; returns null when a pair is malformed. */
export function parse_cohorts(text: string): Record<string, string> | null {
	const cohorts: Record<string, string> = {};
	if (text === '') return cohorts;

	for (const pair of text.split(',')) {
		const equals = pair.indexOf('=');
		const key = pair.slice(0, equals);
		const variant = pair.slice(equals + 1);
		if (equals === -1 || !is_identifier(key) || !is_identifier(variant)) return null;
		cohorts[key] = variant;
	}
	return cohorts;
}
