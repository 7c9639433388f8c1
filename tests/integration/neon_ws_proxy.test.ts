import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { start_neon_ws_proxy, type NeonWsProxy } from '../support/neon_ws_proxy.ts';

/** Resolves with the HTTP status of a rejected upgrade, or 101 when the WebSocket opened. */
function upgrade_status(url: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url);
		ws.once('open', () => {
			ws.close();
			resolve(101);
		});
		ws.once('unexpected-response', (_request, response) => {
			resolve(response.statusCode ?? 0);
			ws.terminate();
		});
		ws.once('error', reject);
	});
}

describe('neon_ws_proxy', () => {
	let echo: Server;
	let echo_target = '';
	let proxy: NeonWsProxy;

	beforeAll(async () => {
		echo = createServer((socket) => socket.pipe(socket));
		await new Promise<void>((listening) => echo.listen(0, '127.0.0.1', listening));
		const address = echo.address();
		if (address === null || typeof address === 'string') throw new Error('echo server has no port');
		echo_target = `127.0.0.1:${address.port}`;
		proxy = await start_neon_ws_proxy({ allow: [echo_target] });
	});

	afterAll(async () => {
		await proxy.stop();
		await new Promise((closed) => echo.close(closed));
	});

	test('binds to loopback', () => {
		expect(proxy.address).toBe(`127.0.0.1:${proxy.port}`);
	});

	test('tunnels bytes to an allowed target', async () => {
		const ws = new WebSocket(`ws://${proxy.address}/v1?address=${echo_target}`);
		const reply = new Promise<Buffer>((resolve) =>
			ws.once('message', (data) => resolve(data as Buffer))
		);
		await new Promise((opened) => ws.once('open', opened));

		ws.send(Buffer.from([0, 1, 2, 255]));

		expect([...(await reply)]).toEqual([0, 1, 2, 255]);
		ws.close();
	});

	test('rejects a target off the allow-list', async () => {
		expect(await upgrade_status(`ws://${proxy.address}/v1?address=127.0.0.1:1`)).toBe(403);
	});

	test('rejects a request without address', async () => {
		expect(await upgrade_status(`ws://${proxy.address}/v1`)).toBe(403);
	});

	test('rejects an unknown path', async () => {
		expect(await upgrade_status(`ws://${proxy.address}/other?address=${echo_target}`)).toBe(403);
	});

	test('closes the WebSocket when the target closes', async () => {
		const closing = createServer((socket) => socket.end());
		await new Promise<void>((listening) => closing.listen(0, '127.0.0.1', listening));
		const { port } = closing.address() as { port: number };
		const scoped = await start_neon_ws_proxy({ allow: [`127.0.0.1:${port}`] });
		try {
			const ws = new WebSocket(`ws://${scoped.address}/v1?address=127.0.0.1:${port}`);
			const code = await new Promise<number>((resolve) => ws.once('close', resolve));
			expect(code).toBe(1000);
		} finally {
			await scoped.stop();
			await new Promise((closed) => closing.close(closed));
		}
	});
});
