/**
 * Registration and password authentication. Both take the raw request values as `unknown` and
 * reject bad input with a `ValidationError` naming the field.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, UserRole } from '../db/schema.ts';
import { classify_database_error, CommerceError, ValidationError } from './errors.ts';
import { hash_password, needs_rehash, SCRYPT_PARAMS, verify_password } from './passwords.ts';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
export const NAME_MAX_LENGTH = 100;
/** RFC 5321 limits a forward path to 256 octets, which leaves 254 for the address. */
export const EMAIL_MAX_LENGTH = 254;

// One `@`, no spaces, and a dot in the domain: a typo check, not RFC 5322 parsing, because only a
// confirmation email proves an address.
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex -- the point is to reject control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** The user fields that are safe to hand to a route, a session or a page. */
export interface AccountUser {
	id: number;
	email: string;
	name: string;
	role: UserRole;
}

export interface RegisterInput {
	email: unknown;
	password: unknown;
	name: unknown;
}

export interface CredentialsInput {
	email: unknown;
	password: unknown;
}

/**
 * A hash in the current format whose key matches no password, checked when the email is unknown
 * so that a miss costs one scrypt run, like a hit.
 */
const DUMMY_HASH = [
	'scrypt',
	SCRYPT_PARAMS.N,
	SCRYPT_PARAMS.r,
	SCRYPT_PARAMS.p,
	randomBytes(16).toString('base64url'),
	randomBytes(32).toString('base64url')
].join('$');

/**
 * Creates a customer account. Throws `email_taken` (409) when the email exists in any letter case.
 */
export async function register(db: Kysely<Database>, input: RegisterInput): Promise<AccountUser> {
	const email = parse_email(input.email);
	const password = parse_password(input.password);
	const name = parse_name(input.name);

	const password_hash = await hash_password(password);
	try {
		return await db
			.insertInto('app_user')
			.values({ email, password_hash, name, role: 'customer' })
			.returning(['id', 'email', 'name', 'role'])
			.executeTakeFirstOrThrow();
	} catch (error) {
		if (classify_database_error(error) === 'unique_violation') {
			throw new CommerceError('email_taken', 409, 'An account with this email already exists.', {
				field: 'email',
				cause: error
			});
		}
		throw error;
	}
}

/**
 * Returns the user whose email and password match, or throws `invalid_credentials` (401). An
 * unknown email and a wrong password take the same work and raise the same error, so neither
 * the response nor its timing reveals whether an account exists. A hash made with older
 * parameters is replaced after a successful check.
 */
export async function authenticate(
	db: Kysely<Database>,
	input: CredentialsInput
): Promise<AccountUser> {
	const email = parse_email(input.email);
	const password = parse_login_password(input.password);

	const user = await db
		.selectFrom('app_user')
		.select(['id', 'email', 'name', 'role', 'password_hash'])
		.where(sql`lower(email)`, '=', sql`lower(${email})`)
		.executeTakeFirst();

	const matches = await verify_password(password, user?.password_hash ?? DUMMY_HASH);
	if (!user || !matches) {
		throw new CommerceError('invalid_credentials', 401, 'The email or password is incorrect.');
	}

	if (needs_rehash(user.password_hash)) {
		await db
			.updateTable('app_user')
			.set({ password_hash: await hash_password(password) })
			.where('id', '=', user.id)
			.execute();
	}
	return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Trims and checks an email address; letter case is kept as entered. */
export function parse_email(value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new ValidationError('email', 'Enter an email address.');
	}
	const email = value.trim();
	if (email.length > EMAIL_MAX_LENGTH) {
		throw new ValidationError(
			'email',
			`The email address is longer than ${EMAIL_MAX_LENGTH} characters.`
		);
	}
	if (!EMAIL_PATTERN.test(email)) {
		throw new ValidationError('email', 'Enter an email address like name@example.com.');
	}
	return email;
}

/** Checks a new password's length in Unicode code points; any characters are allowed. */
export function parse_password(value: unknown): string {
	if (typeof value !== 'string' || value === '') {
		throw new ValidationError('password', 'Enter a password.');
	}
	const length = [...value].length;
	if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
		throw new ValidationError(
			'password',
			`The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`
		);
	}
	return value;
}

export function parse_name(value: unknown): string {
	const name = typeof value === 'string' ? value.trim() : '';
	if (name === '') throw new ValidationError('name', 'Enter your name.');
	if ([...name].length > NAME_MAX_LENGTH) {
		throw new ValidationError('name', `The name is longer than ${NAME_MAX_LENGTH} characters.`);
	}
	if (CONTROL_CHARACTERS.test(name)) {
		throw new ValidationError('name', 'The name contains control characters.');
	}
	return name;
}

/**
 * Login accepts any non-empty password up to the maximum length, so that a password made under
 * an older minimum still works. The maximum bounds the hashing work per attempt.
 */
function parse_login_password(value: unknown): string {
	if (typeof value !== 'string' || value === '') {
		throw new ValidationError('password', 'Enter a password.');
	}
	if ([...value].length > PASSWORD_MAX_LENGTH) {
		throw new ValidationError(
			'password',
			`The password is longer than ${PASSWORD_MAX_LENGTH} characters.`
		);
	}
	return value;
}
