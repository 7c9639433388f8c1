/**
 * One cold start, run by `bench/cold_start.ts` in a fresh Node process: imports a function
 * module, sends it one GET, then the same GET again warm, and prints the timings as JSON. It is
 * plain JavaScript, so Node strips no types before the measured import. `performance.now()`
 * counts from the start of the process.
 *
 * Usage: node bench/cold_start_probe.mjs <function module> <url>
 */
import { pathToFileURL } from 'node:url';

const [module_path, url] = process.argv.slice(2);
const context = {
	ip: '127.0.0.1',
	geo: { country: { code: 'US', name: 'United States' } },
	waitUntil() {}
};

const import_started_ms = performance.now();
const { default: handler } = await import(pathToFileURL(module_path).href);
const imported_ms = performance.now();
const response = await handler(new Request(url), context);
const body = await response.text();
const responded_ms = performance.now();
const second = await handler(new Request(url), context);
await second.text();
const second_response_ms = performance.now() - responded_ms;

console.log(
	JSON.stringify({
		import_started_ms,
		imported_ms,
		responded_ms,
		second_response_ms,
		status: response.status,
		bytes: body.length
	})
);
// The app's database pool would otherwise keep the process alive for its idle timeout.
process.exit(0);
