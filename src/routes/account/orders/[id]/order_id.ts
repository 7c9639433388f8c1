/** Parses the `[id]` route parameter. Anything but a plain positive integer matches no order. */
export function parse_order_id(param: string): number | null {
	return /^[1-9][0-9]{0,9}$/.test(param) ? Number(param) : null;
}
