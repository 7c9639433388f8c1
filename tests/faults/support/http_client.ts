/**
 * A small HTTP client over `node:http` for the fault suites. Unlike `fetch`, it reports when the
 * request has been written to the socket, so a test can close the socket right after sending.
 */
import { Agent, request as http_request, type IncomingHttpHeaders } from 'node:http';

export interface HttpResponse {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
	/** Milliseconds from the call to the end of the response body. */
	ms: number;
}

export interface SendOptions {
	method?: string;
	headers?: Record<string, string>;
	body?: string;
	agent?: Agent;
	/**
	 * Close the socket this many milliseconds after the request is written, unless the response
	 * has arrived by then. 0 closes it at once.
	 */
	abort_after_ms?: number;
	/** Close the socket after writing half the body, so the server never gets a whole request. */
	abort_while_sending?: boolean;
	/** Milliseconds after which the request fails; default 30 s. */
	timeout_ms?: number;
}

/** Creates a keep-alive agent without a socket limit, so concurrent requests do not queue in the client. */
export function create_agent(): Agent {
	return new Agent({ keepAlive: true, maxSockets: Infinity });
}

/**
 * Sends one request. Resolves with the response, or with null when `abort_after_ms` closed the
 * socket first. Rejects on a network error or timeout.
 */
export function send(origin: string, path: string, options: SendOptions = {}) {
	const started = performance.now();
	// The path goes to the server as it is; resolving it against the origin would send `//host/`
	// to another host.
	if (!path.startsWith('/')) throw new Error(`Expected a path starting with "/", got "${path}"`);
	const { hostname, port } = new URL(origin);
	const body = options.body === undefined ? undefined : Buffer.from(options.body);
	const headers: Record<string, string> = { ...options.headers };
	if (body) headers['content-length'] = String(body.length);

	const abort_after_ms = options.abort_after_ms;
	const aborts = abort_after_ms !== undefined || options.abort_while_sending === true;

	return new Promise<HttpResponse | null>((done, fail) => {
		let aborted = false;
		let completed = false;
		const request = http_request({
			hostname,
			port,
			path,
			method: options.method ?? 'GET',
			headers,
			// An aborted request must not take a pooled socket down with it.
			agent: aborts ? false : options.agent,
			timeout: options.timeout_ms ?? 30_000
		});
		request.once('timeout', () =>
			request.destroy(new Error(`${options.method ?? 'GET'} ${path} timed out`))
		);
		request.once('error', (error) => {
			if (!aborted) fail(error);
		});

		if (abort_after_ms !== undefined) {
			request.once('finish', () => {
				setTimeout(() => {
					if (completed) return;
					aborted = true;
					request.destroy();
					done(null);
				}, abort_after_ms);
			});
		}

		if (options.abort_while_sending && body) {
			request.write(body.subarray(0, Math.floor(body.length / 2)), () => {
				aborted = true;
				request.destroy();
				done(null);
			});
			return;
		}

		request.once('response', (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.once('error', (error) => {
				if (!aborted) fail(error);
			});
			response.once('end', () => {
				completed = true;
				done({
					status: response.statusCode ?? 0,
					headers: response.headers,
					body: Buffer.concat(chunks).toString('utf8'),
					ms: performance.now() - started
				});
			});
		});
		request.end(body);
	});
}
