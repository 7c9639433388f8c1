/**
 * Declares Netlify's rate limiting for the password and order endpoints. Netlify attaches a
 * `rateLimit` to a whole edge function, not to one of its paths, so this function exists only to
 * carry that rule for these paths. It passes every request on unchanged.
 */
import type { Config } from '@netlify/edge-functions';

export default function rate_limits(): undefined {
	return undefined;
}

export const config: Config = {
	path: ['/login', '/register', '/checkout', '/api/checkout'],
	method: 'POST',
	rateLimit: {
		windowLimit: 20,
		// NOTE: the @netlify/edge-functions 4.0 types do not state the unit; 60 assumes seconds.
		windowSize: 60,
		// Must be an array: @netlify/edge-bundler replaces any other value with ['domain'] alone.
		aggregateBy: ['ip', 'domain']
	}
};
