/**
 * WebSocket-to-TCP proxy that lets the Neon driver reach a local PostgreSQL server.
 *
 * The driver opens `ws://` + `neonConfig.wsProxy(host, port)`. With `connect.ts` setting that to
 * `${NEON_WS_PROXY}/v1?address=${host}:${port}`, requests arrive as `GET /v1?address=HOST:PORT`.
 * `/v2` is accepted too, because the driver's own default appends `/v2` to the host. Each
 * WebSocket carries one Postgres connection as binary frames in both directions.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

const PROXY_PATHS = new Set(['/v1', '/v2']);

export interface NeonWsProxyOptions {
	/** `host:port` targets the proxy may open; any other request is rejected with 403. */
	allow: readonly string[];
}

export interface NeonWsProxy {
	/** `127.0.0.1:PORT`, the value for `NEON_WS_PROXY`. */
	address: string;
	port: number;
	/** Closes every open tunnel and the listening socket. */
	stop(): Promise<void>;
}

/** Starts the proxy on a free port of 127.0.0.1. */
export async function start_neon_ws_proxy(options: NeonWsProxyOptions): Promise<NeonWsProxy> {
	const allowed = new Set(options.allow);
	const tunnels = new Set<{ ws: WebSocket; tcp: Socket }>();
	const websockets = new WebSocketServer({ noServer: true });

	const server = createServer((_request, response) => {
		response.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket upgrade required\n');
	});

	server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
		const target = read_target(request.url);
		if (target === null || !allowed.has(target)) {
			socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		websockets.handleUpgrade(request, socket, head, (ws) => {
			const tunnel = { ws, tcp: open_tunnel(ws, target) };
			tunnels.add(tunnel);
			ws.once('close', () => tunnels.delete(tunnel));
		});
	});

	await new Promise<void>((listening, failed) => {
		server.once('error', failed);
		server.listen(0, '127.0.0.1', listening);
	});
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error(`Expected a TCP address for the WebSocket proxy, got ${String(address)}`);
	}

	return {
		address: `127.0.0.1:${address.port}`,
		port: address.port,
		async stop() {
			for (const { ws, tcp } of tunnels) {
				ws.terminate();
				tcp.destroy();
			}
			websockets.close();
			server.closeAllConnections();
			await new Promise((closed) => server.close(closed));
		}
	};
}

/** Returns the `host:port` of `?address=`, or null when the path or the address is invalid. */
function read_target(request_url: string | undefined): string | null {
	const url = new URL(request_url ?? '/', 'http://proxy.invalid');
	if (!PROXY_PATHS.has(url.pathname)) return null;
	const target = url.searchParams.get('address');
	if (!target) return null;
	const port = Number(target.slice(target.lastIndexOf(':') + 1));
	return Number.isInteger(port) && port > 0 && port < 65_536 ? target : null;
}

function open_tunnel(ws: WebSocket, target: string): Socket {
	const split = target.lastIndexOf(':');
	const host = target.slice(0, split).replace(/^\[(.*)\]$/, '$1');
	const tcp = connect({ host, port: Number(target.slice(split + 1)) });
	tcp.setNoDelay(true);

	// Writes before the TCP connect completes are buffered by the socket.
	ws.on('message', (data: RawData) => tcp.write(to_buffer(data)));
	tcp.on('data', (chunk) => ws.send(chunk));

	ws.once('close', () => tcp.destroy());
	ws.once('error', () => tcp.destroy());
	tcp.once('close', (had_error) => {
		if (ws.readyState === ws.OPEN) ws.close(had_error ? 1011 : 1000);
	});
	// A refused or reset upstream connection ends only this tunnel, through the 'close' handler.
	tcp.on('error', () => undefined);
	return tcp;
}

function to_buffer(data: RawData): Buffer {
	if (Array.isArray(data)) return Buffer.concat(data);
	if (Buffer.isBuffer(data)) return data;
	return Buffer.from(data);
}
