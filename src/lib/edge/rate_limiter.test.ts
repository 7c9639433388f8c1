import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ClientRateLimits, parse_rate_limit, SlidingWindowLimiter } from './rate_limiter.ts';

const WINDOW = 60_000;

/** Request times in milliseconds, sorted, spread over a few windows. */
const arrivals = fc
	.array(fc.integer({ min: 0, max: 4 * WINDOW }), { minLength: 1, maxLength: 300 })
	.map((times) => times.sort((a, b) => a - b));
const limits = fc.integer({ min: 1, max: 40 });

function allowed_times(limiter: SlidingWindowLimiter, times: number[]): number[] {
	return times.filter((time) => limiter.check('client', time).allowed);
}

describe('SlidingWindowLimiter', () => {
	test('caps each fixed window', () => {
		fc.assert(
			fc.property(limits, arrivals, (limit, times) => {
				const allowed = allowed_times(
					new SlidingWindowLimiter({ limit, window_ms: WINDOW }),
					times
				);
				const per_window = new Map<number, number>();
				for (const time of allowed) {
					const window = Math.floor(time / WINDOW);
					per_window.set(window, (per_window.get(window) ?? 0) + 1);
				}
				for (const count of per_window.values()) expect(count).toBeLessThanOrEqual(limit);
			})
		);
	});

	test('caps any interval at twice the limit', () => {
		fc.assert(
			fc.property(limits, arrivals, (limit, times) => {
				const allowed = allowed_times(
					new SlidingWindowLimiter({ limit, window_ms: WINDOW }),
					times
				);
				let start = 0;
				for (let end = 0; end < allowed.length; end++) {
					while ((allowed[end] as number) - (allowed[start] as number) >= WINDOW) start++;
					expect(end - start + 1).toBeLessThanOrEqual(2 * limit);
				}
			})
		);
	});

	test('allows a retry after Retry-After', () => {
		fc.assert(
			fc.property(limits, arrivals, (limit, times) => {
				const limiter = new SlidingWindowLimiter({ limit, window_ms: WINDOW });
				for (const time of times) {
					const decision = limiter.check('client', time);
					if (!decision.allowed) {
						const probe = new SlidingWindowLimiter({ limit, window_ms: WINDOW });
						// Replay the same history into a copy, then retry at the advertised time.
						for (const earlier of times) {
							if (earlier > time) break;
							probe.check('client', earlier);
						}
						expect(decision.retry_after_s).toBeLessThanOrEqual((2 * WINDOW) / 1000);
						expect(probe.check('client', time + decision.retry_after_s * 1000).allowed).toBe(true);
						return;
					}
				}
			})
		);
	});

	test('never limits half the rate', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 6, max: 60 }),
				fc.integer({ min: 0, max: WINDOW }),
				(limit, offset) => {
					const limiter = new SlidingWindowLimiter({ limit, window_ms: WINDOW });
					const gap = Math.ceil((2 * WINDOW) / limit);
					for (let index = 0; index < 3 * limit; index++) {
						expect(limiter.check('client', offset + index * gap).allowed).toBe(true);
					}
				}
			)
		);
	});

	test('keeps clients independent', () => {
		fc.assert(
			fc.property(limits, fc.integer({ min: 1, max: 100 }), (limit, flood) => {
				const limiter = new SlidingWindowLimiter({ limit, window_ms: WINDOW });
				for (let index = 0; index < flood; index++) limiter.check('noisy', 1000);
				expect(limiter.check('quiet', 1000).allowed).toBe(true);
			})
		);
	});

	test('does not count rejected requests', () => {
		const limiter = new SlidingWindowLimiter({ limit: 2, window_ms: WINDOW });
		for (let index = 0; index < 50; index++) limiter.check('client', 1000);
		expect(limiter.check('client', 2 * WINDOW + 1).allowed).toBe(true);
	});

	test('drops the oldest clients beyond max_keys', () => {
		const limiter = new SlidingWindowLimiter({ limit: 1, window_ms: WINDOW, max_keys: 100 });
		for (let index = 0; index < 1000; index++) limiter.check(`client-${index}`, 1000);
		expect(limiter.size).toBeLessThanOrEqual(100);
	});

	test('rejects a zero limit', () => {
		expect(() => new SlidingWindowLimiter({ limit: 0, window_ms: WINDOW })).toThrow(RangeError);
	});
});

describe('ClientRateLimits', () => {
	test('limits login posts only', () => {
		const limits = new ClientRateLimits(
			{ limit: 100, window_ms: WINDOW },
			{ limit: 3, window_ms: WINDOW }
		);
		const logins = Array.from(
			{ length: 5 },
			() => limits.check('198.51.100.1', 'POST', '/login', 1000).allowed
		);
		expect(logins).toEqual([true, true, true, false, false]);
		expect(limits.check('198.51.100.1', 'GET', '/login', 1000).allowed).toBe(true);
		expect(limits.check('198.51.100.1', 'POST', '/us/cart', 1000).allowed).toBe(true);
	});

	test('counts every sensitive path spelling', () => {
		const limits = new ClientRateLimits(
			{ limit: 100, window_ms: WINDOW },
			{ limit: 1, window_ms: WINDOW }
		);
		expect(limits.check('198.51.100.1', 'POST', '/login', 1000).allowed).toBe(true);
		expect(limits.check('198.51.100.1', 'POST', '/LOGIN/', 1000).allowed).toBe(false);
		expect(limits.check('198.51.100.1', 'POST', '/%6cogin', 1000).allowed).toBe(false);
	});
});

describe('ClientRateLimits keys', () => {
	test('counts one IPv6 /64 as one client', () => {
		const limits = new ClientRateLimits(
			{ limit: 3, window_ms: WINDOW },
			{ limit: 1, window_ms: WINDOW }
		);
		const decisions = [
			'2001:db8:1:2::1',
			'2001:db8:1:2::2',
			'2001:db8:1:2::3',
			'2001:db8:1:2::4'
		].map((ip) => limits.check(ip, 'GET', '/us', 0).allowed);

		expect(decisions).toEqual([true, true, true, false]);
		expect(limits.check('2001:db8:1:3::1', 'GET', '/us', 0).allowed).toBe(true);
	});
});

describe('parse_rate_limit', () => {
	const fallback = { limit: 5, window_ms: 1000 };

	test('reads requests per seconds', () => {
		const warnings: string[] = [];

		expect(parse_rate_limit('300/60', fallback, (m) => warnings.push(m))).toEqual({
			limit: 300,
			window_ms: 60_000
		});
		expect(warnings).toEqual([]);
	});

	test('keeps the fallback when unset', () => {
		expect(parse_rate_limit(undefined, fallback, () => {})).toBe(fallback);
		expect(parse_rate_limit('  ', fallback, () => {})).toBe(fallback);
	});

	test.each(['0/60', '10/0', '-1/60', '10', 'ten/60', '1.5/60', '10/60/2'])(
		'warns on %s and keeps the fallback',
		(text) => {
			const warnings: string[] = [];

			expect(parse_rate_limit(text, fallback, (m) => warnings.push(m))).toBe(fallback);
			expect(warnings).toEqual([
				`Invalid rate limit "${text}": expected <requests>/<seconds> such as 300/60; using the default`
			]);
		}
	);
});
