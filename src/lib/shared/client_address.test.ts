import { describe, expect, test } from 'vitest';
import { client_address_key } from './client_address.ts';

describe('client_address_key', () => {
	test('keeps an IPv4 address', () => {
		expect(client_address_key('192.0.2.17')).toBe('192.0.2.17');
	});

	test('unwraps IPv4-mapped IPv6', () => {
		expect(client_address_key('::ffff:192.0.2.17')).toBe('192.0.2.17');
	});

	test('groups IPv6 by /64', () => {
		expect(client_address_key('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
		expect(client_address_key('2001:db8:1:2::22')).toBe('2001:db8:1:2::/64');
		expect(client_address_key('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
	});

	test('expands a compressed prefix', () => {
		expect(client_address_key('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(client_address_key('::1')).toBe('0:0:0:0::/64');
		expect(client_address_key('FE80::1%eth0')).toBe('fe80:0:0:0::/64');
	});

	test('separates different /64 prefixes', () => {
		expect(client_address_key('2001:db8:1:2::1')).not.toBe(client_address_key('2001:db8:1:3::1'));
	});
});
