import { isHttpError } from '@sveltejs/kit';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_FLAGS } from '$lib/edge/flags.ts';
import type { Session } from '$lib/shared/session/policy.ts';

const blobs = new Map<string, unknown>();
const get_store = vi.fn((_options: unknown) => ({
	get: async (key: string) => blobs.get(key) ?? null,
	setJSON: async (key: string, value: unknown) => {
		blobs.set(key, structuredClone(value));
		return { modified: true };
	}
}));
vi.mock('@netlify/blobs', () => ({ getStore: (options: unknown) => get_store(options) }));

// The role stored for the caller; the token's role must match it.
const stored_role = vi.hoisted(() => ({ value: 'admin' as 'customer' | 'admin' | null }));
vi.mock('$lib/server/user_role.ts', () => ({ read_user_role: async () => stored_role.value }));

const { GET, PUT } = await import('./+server.ts');

const ADMIN: Session = { user_id: 'admin-1', role: 'admin', session_id: 's', expires_at: 0 };
const CUSTOMER: Session = { ...ADMIN, role: 'customer' };

function event(user: Session | null, body?: unknown) {
	let request = new Request('https://shop.example/api/admin/flags');
	if (body !== undefined) {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		request = new Request(request, { method: 'PUT', body: text });
	}
	// The handlers read only `locals` and `request`.
	return { locals: { user }, request } as unknown as Parameters<typeof GET>[0];
}

async function status_of(promise: Response | Promise<Response>): Promise<number> {
	try {
		return (await promise).status;
	} catch (error) {
		if (isHttpError(error)) return error.status;
		throw error;
	}
}

describe('/api/admin/flags', () => {
	beforeEach(() => {
		blobs.clear();
		get_store.mockClear();
	});

	test('requires the admin role', async () => {
		expect(await status_of(GET(event(null)))).toBe(401);
		expect(await status_of(GET(event(CUSTOMER)))).toBe(403);
		expect(await status_of(PUT(event(CUSTOMER, DEFAULT_FLAGS)))).toBe(403);
		expect(blobs.size).toBe(0);
	});

	test('refuses a demoted admin', async () => {
		stored_role.value = 'customer';
		const status = await status_of(PUT(event(ADMIN, DEFAULT_FLAGS)));
		stored_role.value = 'admin';

		expect(status).toBe(403);
		expect(blobs.size).toBe(0);
	});

	test('returns defaults when empty', async () => {
		const response = await GET(event(ADMIN));
		expect(await response.json()).toEqual({ source: 'default', flags: DEFAULT_FLAGS });
	});

	test('writes with strong consistency', async () => {
		const flags = { ...DEFAULT_FLAGS, features: { checkout: false, geo_redirect: true } };
		const response = await PUT(event(ADMIN, flags));
		expect(response.status).toBe(200);
		expect(blobs.get('flags.json')).toEqual(flags);
		expect(get_store).toHaveBeenCalledWith({ name: 'flags', consistency: 'strong' });
		expect(await (await GET(event(ADMIN))).json()).toEqual({ source: 'store', flags });
	});

	test('names the invalid field', async () => {
		const response = await PUT(event(ADMIN, { version: 1, features: { checkout: 'off' } }));
		expect(response.status).toBe(400);
		expect((await response.json()).message).toBe('"features.checkout" must be true or false.');
		expect(blobs.size).toBe(0);
	});

	test('rejects a non-JSON body', async () => {
		expect(await status_of(PUT(event(ADMIN, '{not json')))).toBe(400);
	});
});
