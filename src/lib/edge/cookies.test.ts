import { describe, expect, test } from 'vitest';
import { delete_cookie, read_cookie, serialize_cookie, set_cookie_name } from './cookies.ts';

describe('read_cookie', () => {
	test('finds a cookie among others', () => {
		const header = 'a=1; __Host-session=tok.en.sig; region=uk';
		expect(read_cookie(header, '__Host-session')).toBe('tok.en.sig');
		expect(read_cookie(header, 'region')).toBe('uk');
		expect(read_cookie(header, 'a')).toBe('1');
	});

	test('ignores names with a longer prefix', () => {
		expect(read_cookie('xregion=eu; region=uk', 'region')).toBe('uk');
		expect(read_cookie('xregion=eu', 'region')).toBeNull();
	});

	test('returns null when absent', () => {
		expect(read_cookie(null, 'region')).toBeNull();
		expect(read_cookie('', 'region')).toBeNull();
		expect(read_cookie('flag; other=1', 'flag')).toBeNull();
	});

	test('returns the first of duplicate cookies', () => {
		expect(read_cookie('region=us; region=eu', 'region')).toBe('us');
	});
});

describe('serialize_cookie', () => {
	test('writes every attribute', () => {
		expect(serialize_cookie('name', 'value', { max_age: 60 })).toBe(
			'name=value; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax'
		);
	});

	test('leaves out HttpOnly for script-readable cookies', () => {
		expect(serialize_cookie('theme', 'dark', { http_only: false })).toBe(
			'theme=dark; Path=/; Secure; SameSite=Lax'
		);
	});

	test('deletes with Max-Age=0', () => {
		expect(delete_cookie('__Host-session')).toBe(
			'__Host-session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax'
		);
	});
});

describe('set_cookie_name', () => {
	test('reads the cookie name', () => {
		expect(set_cookie_name('__Host-session=abc; Path=/')).toBe('__Host-session');
	});
});
