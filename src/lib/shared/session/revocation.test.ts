import { describe, expect, test } from 'vitest';
import { parse_revocation_keys, revocation_key, revoke_session } from './revocation.ts';

const NOW_S = 1_736_942_400;

describe('parse_revocation_keys', () => {
	test('keeps unexpired ids', () => {
		const keys = [`${NOW_S + 60}.session-a`, `${NOW_S - 60}.session-b`, `${NOW_S - 3}.session-c`];
		expect([...parse_revocation_keys(keys, NOW_S)].sort()).toEqual(['session-a', 'session-c']);
	});

	test('skips malformed keys', () => {
		const keys = ['no-dot', '.session', 'abc.session', `${NOW_S + 60}.bad id`, `${NOW_S + 60}.`];
		expect(parse_revocation_keys(keys, NOW_S).size).toBe(0);
	});
});

describe('revoke_session', () => {
	test('writes one key per session', async () => {
		// A store that, like Blobs, keeps only the last write per key: a read-modify-write list
		// would lose most of these concurrent revocations.
		const blobs = new Map<string, string>();
		const store = {
			set: async (key: string, data: string) => {
				await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
				blobs.set(key, data);
			}
		};
		const sessions = Array.from({ length: 100 }, (_, index) => ({
			session_id: `session-${index}`,
			expires_at: NOW_S + 3600
		}));
		await Promise.all(sessions.map((session) => revoke_session(store, session)));

		expect(blobs.size).toBe(100);
		expect(parse_revocation_keys(blobs.keys(), NOW_S).size).toBe(100);
		expect(blobs.has(revocation_key(sessions[0] as (typeof sessions)[number]))).toBe(true);
	});
});
