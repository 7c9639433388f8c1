/**
 * Serves the built SvelteKit app (`.svelte-kit/output`) over HTTP on a free loopback port, as
 * Netlify would: prerendered pages as static files, everything else through `Server.respond`.
 * Like Netlify, it reads the whole request body before it calls the app, so a client that
 * disconnects while sending never reaches the app, and one that disconnects later only loses
 * the response. Started as a child process by `app_server.ts`, with the database settings and
 * secrets in its environment. Prints one JSON line, `{ "port", "routes" }`, once it listens.
 *
 *   BUILD_DIR=.svelte-kit/output node tests/faults/support/serve_build.ts
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setResponse } from '@sveltejs/kit/node';

/** Largest request body read, as adapter-node's default `BODY_SIZE_LIMIT`. */
const BODY_SIZE_LIMIT = 512 * 1024;

interface BuiltManifest {
	_: { routes: { id: string }[] };
}

interface BuiltServer {
	init(options: { env: Record<string, string> }): Promise<void>;
	respond(request: Request, options: { getClientAddress(): string }): Promise<Response>;
}

const build_dir = resolve(process.env.BUILD_DIR ?? '.svelte-kit/output');
const pages_dir = join(build_dir, 'prerendered', 'pages');

const { manifest } = (await import(
	pathToFileURL(join(build_dir, 'server', 'manifest.js')).href
)) as { manifest: BuiltManifest };
const { Server } = (await import(pathToFileURL(join(build_dir, 'server', 'index.js')).href)) as {
	Server: new (manifest: BuiltManifest) => BuiltServer;
};
const server = new Server(manifest);
await server.init({ env: process.env as Record<string, string> });

/** Returns the prerendered file for a path, as Netlify's CDN would serve it, or null. */
async function find_prerendered(pathname: string): Promise<string | null> {
	const path = normalize(decodeURIComponent(pathname)).replace(/\/+$/, '');
	if (path.includes('\0') || path.split('/').includes('..')) return null;
	const candidates =
		path === '' ? ['index.html'] : [`${path}.html`, join(path, 'index.html'), path];
	for (const candidate of candidates) {
		const file = join(pages_dir, candidate);
		if (!file.startsWith(pages_dir)) continue;
		const info = await stat(file).catch(() => null);
		if (info?.isFile()) return file;
	}
	return null;
}

/**
 * Reads the whole body. Returns null when the client disconnected first, and `too large` past
 * `BODY_SIZE_LIMIT`.
 */
function read_body(req: IncomingMessage): Promise<Buffer<ArrayBuffer> | null | 'too large'> {
	return new Promise((done) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= BODY_SIZE_LIMIT) chunks.push(chunk);
		});
		req.once('end', () => done(size > BODY_SIZE_LIMIT ? 'too large' : Buffer.concat(chunks)));
		req.once('aborted', () => done(null));
		req.once('error', () => done(null));
	});
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
	// Concatenated, not resolved: a path such as `//x` would otherwise name a host.
	const url = new URL(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`);
	if ((req.method === 'GET' || req.method === 'HEAD') && existsSync(pages_dir)) {
		const file = await find_prerendered(url.pathname).catch(() => null);
		if (file) {
			const content_type = file.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/plain';
			res.writeHead(200, { 'content-type': content_type });
			res.end(req.method === 'HEAD' ? undefined : await readFile(file));
			return;
		}
	}

	const has_body = req.method !== 'GET' && req.method !== 'HEAD';
	const body = has_body ? await read_body(req) : undefined;
	if (body === null) return;
	if (body === 'too large') {
		res.writeHead(413).end(`The request body is larger than ${BODY_SIZE_LIMIT} bytes.`);
		return;
	}

	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		for (const item of Array.isArray(value) ? value : [value ?? '']) headers.append(name, item);
	}
	const request = new Request(url, {
		method: req.method,
		headers,
		body
	});
	const response = await server.respond(request, {
		getClientAddress: () => req.socket.remoteAddress ?? '127.0.0.1'
	});
	await setResponse(res, response);
}

const http_server = createServer((req, res) => {
	handle(req, res).catch((error: unknown) => {
		console.error('[serve_build] request failed:', error);
		if (!res.headersSent && !res.destroyed) res.writeHead(500).end('Internal Error');
		else res.destroy();
	});
});
http_server.keepAliveTimeout = 30_000;

http_server.listen(0, '127.0.0.1', () => {
	const address = http_server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	const routes = manifest._.routes.map((route) => route.id);
	console.log(JSON.stringify({ port, routes }));
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.once(signal, () => {
		http_server.closeAllConnections();
		http_server.close(() => process.exit(0));
	});
}
