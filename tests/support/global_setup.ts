/**
 * Vitest global setup: one PostgreSQL cluster and one Neon WebSocket proxy for the whole run,
 * handed to the test workers through `provide`/`inject`. Vitest calls the returned teardown
 * after the run, also when tests failed.
 */
import type { TestProject } from 'vitest/node';
import { start_neon_ws_proxy, type NeonWsProxy } from './neon_ws_proxy.ts';
import { start_postgres_cluster } from './postgres_cluster.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Superuser URL of the run's cluster, on its `postgres` database. */
		postgres_url: string;
		/** `127.0.0.1:PORT` of the WebSocket proxy, for `NEON_WS_PROXY`. */
		neon_ws_proxy: string;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const started = performance.now();
	const cluster = await start_postgres_cluster();
	let proxy: NeonWsProxy;
	try {
		proxy = await start_neon_ws_proxy({ allow: [`127.0.0.1:${cluster.port}`] });
	} catch (error) {
		await cluster.stop();
		throw error;
	}
	const elapsed = Math.round(performance.now() - started);
	console.log(
		`[test databases] PostgreSQL on port ${cluster.port} and proxy ready in ${elapsed} ms`
	);

	project.provide('postgres_url', cluster.url);
	project.provide('neon_ws_proxy', proxy.address);

	return async () => {
		try {
			await proxy.stop();
		} finally {
			await cluster.stop();
		}
	};
}
