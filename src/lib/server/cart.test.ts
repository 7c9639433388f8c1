import type { Cookies } from '@sveltejs/kit';
import { describe, expect, test } from 'vitest';
import {
	add_item,
	CART_COOKIE,
	MAX_LINES,
	parse_cart,
	parse_quantity,
	read_cart,
	serialize_cart,
	write_cart
} from './cart.ts';

type SetCall = { name: string; value: string; options: Record<string, unknown> };

/** Records `set` and `delete` calls and serves `get` from a fixed jar. */
function fake_cookies(jar: Record<string, string> = {}) {
	const sets: SetCall[] = [];
	const deletes: { name: string; options: Record<string, unknown> }[] = [];
	const cookies = {
		get: (name: string) => jar[name],
		set: (name: string, value: string, options: Record<string, unknown>) => {
			sets.push({ name, value, options });
		},
		delete: (name: string, options: Record<string, unknown>) => {
			deletes.push({ name, options });
		}
	} as unknown as Cookies;
	return { cookies, sets, deletes };
}

function items_value(count: number): string {
	return Array.from({ length: count }, (_, i) => `item-${i}*1`).join('.');
}

describe('parse_cart', () => {
	test('reads items in order', () => {
		expect(parse_cart('linen-apron*2.enamel-camp-mug*1')).toEqual([
			{ slug: 'linen-apron', quantity: 2 },
			{ slug: 'enamel-camp-mug', quantity: 1 }
		]);
	});

	test('missing or empty value', () => {
		expect(parse_cart(undefined)).toEqual([]);
		expect(parse_cart('')).toEqual([]);
	});

	test('merges repeated slugs', () => {
		expect(parse_cart('mug*2.apron*1.mug*3')).toEqual([
			{ slug: 'mug', quantity: 5 },
			{ slug: 'apron', quantity: 1 }
		]);
	});

	test('caps merged quantity at 99', () => {
		expect(parse_cart('mug*60.mug*60')).toEqual([{ slug: 'mug', quantity: 99 }]);
	});

	test('accepts 99 and 1', () => {
		expect(parse_cart('a*99.b*1')).toEqual([
			{ slug: 'a', quantity: 99 },
			{ slug: 'b', quantity: 1 }
		]);
	});

	test('malformed values give an empty cart', () => {
		const malformed = [
			'mug',
			'mug*',
			'*2',
			'mug*0',
			'mug*-1',
			'mug*1.5',
			'mug*100',
			'mug*99999999999999999999',
			'mug*1e1',
			'mug*01',
			'mug* 1',
			'Mug*1',
			'mug_x*1',
			'../etc*1',
			'mug*1.',
			'.mug*1',
			'mug*1..apron*1',
			`${'a'.repeat(65)}*1`,
			'[{"slug":"mug","quantity":1}]',
			'mug*1.apron*NaN'
		];
		for (const value of malformed) {
			expect(parse_cart(value), value).toEqual([]);
		}
	});

	test('one bad item empties the cart', () => {
		expect(parse_cart('linen-apron*2.bad*0')).toEqual([]);
	});

	test('accepts 64-character slugs', () => {
		const slug = 'a'.repeat(64);
		expect(parse_cart(`${slug}*3`)).toEqual([{ slug, quantity: 3 }]);
	});

	test('accepts 50 lines', () => {
		expect(parse_cart(items_value(MAX_LINES))).toHaveLength(MAX_LINES);
	});

	test('rejects 51 lines', () => {
		expect(parse_cart(items_value(MAX_LINES + 1))).toEqual([]);
	});

	test('rejects a huge value', () => {
		expect(parse_cart('mug*1.'.repeat(100_000))).toEqual([]);
	});
});

describe('serialize_cart', () => {
	test('round-trips through parse_cart', () => {
		const items = [
			{ slug: 'linen-apron', quantity: 2 },
			{ slug: 'enamel-camp-mug', quantity: 99 }
		];
		const value = serialize_cart(items);
		expect(value).toBe('linen-apron*2.enamel-camp-mug*99');
		expect(parse_cart(value)).toEqual(items);
	});

	test('survives URI encoding unchanged', () => {
		const value = serialize_cart([{ slug: 'a-b', quantity: 12 }]);
		expect(encodeURIComponent(value)).toBe(value);
	});

	test('throws on invalid items', () => {
		expect(() => serialize_cart([{ slug: 'mug', quantity: 0 }])).toThrow('Invalid cart item');
		expect(() => serialize_cart([{ slug: 'mug', quantity: 1.5 }])).toThrow('Invalid cart item');
		expect(() => serialize_cart([{ slug: 'Mug', quantity: 1 }])).toThrow('Invalid cart item');
	});

	test('throws past 50 lines', () => {
		const items = Array.from({ length: MAX_LINES + 1 }, (_, i) => ({
			slug: `item-${i}`,
			quantity: 1
		}));
		expect(() => serialize_cart(items)).toThrow('the maximum is 50');
	});
});

describe('add_item', () => {
	test('appends a new line', () => {
		const result = add_item([{ slug: 'mug', quantity: 1 }], 'apron', 2);
		expect(result).toEqual({
			ok: true,
			quantity: 2,
			items: [
				{ slug: 'mug', quantity: 1 },
				{ slug: 'apron', quantity: 2 }
			]
		});
	});

	test('adds to an existing line', () => {
		const result = add_item([{ slug: 'mug', quantity: 4 }], 'mug', 5);
		expect(result).toEqual({ ok: true, quantity: 9, items: [{ slug: 'mug', quantity: 9 }] });
	});

	test('rejects a line past 99', () => {
		expect(add_item([{ slug: 'mug', quantity: 98 }], 'mug', 2)).toEqual({
			ok: false,
			reason: 'quantity_limit'
		});
	});

	test('rejects a 51st line', () => {
		const items = parse_cart(items_value(MAX_LINES));
		expect(add_item(items, 'one-more', 1)).toEqual({ ok: false, reason: 'line_limit' });
	});

	test('adds to a line of a full cart', () => {
		const items = parse_cart(items_value(MAX_LINES));
		const result = add_item(items, 'item-0', 1);
		expect(result.ok).toBe(true);
	});
});

describe('parse_quantity', () => {
	test('accepts 1 to 99', () => {
		expect(parse_quantity('1')).toBe(1);
		expect(parse_quantity('99')).toBe(99);
		expect(parse_quantity(' 7 ')).toBe(7);
	});

	test('rejects other input', () => {
		const invalid = ['', ' ', '0', '-1', '100', '1.5', '1e1', '0x10', 'abc', '99999999', 'NaN'];
		for (const value of invalid) {
			expect(parse_quantity(value), value).toBeUndefined();
		}
	});

	test('rejects a missing field or a file', () => {
		expect(parse_quantity(null)).toBeUndefined();
		expect(parse_quantity(new File(['1'], 'q.txt'))).toBeUndefined();
	});
});

describe('cart cookie', () => {
	test('read_cart parses the cookie', () => {
		const { cookies } = fake_cookies({ [CART_COOKIE]: 'mug*2' });
		expect(read_cart(cookies)).toEqual([{ slug: 'mug', quantity: 2 }]);
	});

	test('write_cart sets attributes', () => {
		const { cookies, sets } = fake_cookies();
		write_cart(cookies, [{ slug: 'mug', quantity: 2 }]);
		expect(sets).toEqual([
			{
				name: 'cart',
				value: 'mug*2',
				options: { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 2_592_000 }
			}
		]);
	});

	test('write_cart deletes an empty cart', () => {
		const { cookies, sets, deletes } = fake_cookies({ [CART_COOKIE]: 'mug*2' });
		write_cart(cookies, []);
		expect(sets).toEqual([]);
		expect(deletes).toEqual([
			{ name: 'cart', options: { path: '/', httpOnly: true, sameSite: 'lax' } }
		]);
	});
});
