import { isRedirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, test, vi } from 'vitest';
import { SESSION_COOKIE, type Session } from '../shared/session/policy.ts';
import { load_sign_in_form, sign_in_and_redirect, submitted_text } from './sign_in_form.ts';

const USER = { id: 7, email: 'a@example.com', name: 'A', role: 'customer' } as const;

function load_event(path: string, user: Session | null = null) {
	const set_headers = vi.fn();
	const event = {
		url: new URL(path, 'http://localhost'),
		locals: { user } as App.Locals,
		setHeaders: set_headers
	};
	return { event, set_headers };
}

/** Runs `action` and returns what it threw. */
async function thrown_by(action: () => unknown): Promise<unknown> {
	try {
		await action();
	} catch (error) {
		return error;
	}
	return undefined;
}

describe('load_sign_in_form', () => {
	test('returns next for anonymous visitor', () => {
		const { event, set_headers } = load_event('/login?next=%2Fcheckout%3Fregion%3Duk');
		expect(load_sign_in_form(event)).toEqual({ next: '/checkout?region=uk', signed_in: false });
		expect(set_headers).toHaveBeenCalledWith({ 'cache-control': 'private, no-store' });
	});

	test('defaults next to account', () => {
		const { event } = load_event('/register');
		expect(load_sign_in_form(event).next).toBe('/account');
	});

	test('redirects signed-in visitor', async () => {
		const session = { user_id: '7', role: 'customer', session_id: 's-7', expires_at: 0 } as const;
		const { event } = load_event('/login?next=%2Fcheckout', session);
		const thrown = await thrown_by(() => load_sign_in_form(event));
		expect(isRedirect(thrown)).toBe(true);
		expect(thrown).toMatchObject({ status: 303, location: '/checkout' });
	});
});

describe('sign_in_and_redirect', () => {
	test('sets cookie and redirects', async () => {
		const set = vi.fn();
		const event = { cookies: { set } as unknown as Cookies, platform: undefined } satisfies Pick<
			RequestEvent,
			'cookies' | 'platform'
		>;
		const thrown = await thrown_by(() => sign_in_and_redirect(event, USER, '/account/orders/3'));
		expect(isRedirect(thrown)).toBe(true);
		expect(thrown).toMatchObject({ status: 303, location: '/account/orders/3' });
		expect(set).toHaveBeenCalledTimes(1);
		expect(set.mock.calls[0]![0]).toBe(SESSION_COOKIE);
	});
});

describe('submitted_text', () => {
	test('returns text fields', () => {
		const form = new FormData();
		form.set('email', 'a@example.com');
		expect(submitted_text(form, 'email')).toBe('a@example.com');
	});

	test('returns empty for missing field', () => {
		expect(submitted_text(new FormData(), 'email')).toBe('');
	});

	test('returns empty for file field', () => {
		const form = new FormData();
		form.set('email', new Blob(['a@example.com']), 'email.txt');
		expect(submitted_text(form, 'email')).toBe('');
	});
});
