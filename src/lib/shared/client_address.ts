/**
 * Returns the key under which rate limits count a client address. An IPv4 address is one client.
 * An IPv6 client usually controls a whole /64 (one prefix per home or server), and counting full
 * addresses would give it 2^64 fresh keys, so the first four groups are the key.
 * Pure module: used by the edge limiter (Deno) and the exact limits in Postgres (Node).
 */
export function client_address_key(address: string): string {
	const text = address.trim().toLowerCase();
	// An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is the IPv4 client.
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
	if (mapped) return mapped[1]!;
	if (!text.includes(':')) return text;

	const without_zone = text.split('%')[0]!;
	const [head = '', tail] = without_zone.split('::');
	const head_groups = head ? head.split(':') : [];
	const tail_groups = tail ? tail.split(':') : [];
	const missing = tail === undefined ? 0 : 8 - head_groups.length - tail_groups.length;
	const groups = [...head_groups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tail_groups];
	const prefix = groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '') || '0');
	return `${prefix.join(':')}::/64`;
}
