/**
 * Builds the Kysely instance from the environment. This is the only module that reads
 * `DATABASE_URL`; everything else receives the instance.
 *
 * - No `DATABASE_URL`: the embedded PGlite database served by `scripts/with-db.ts` on a fixed
 *   loopback port. PGlite takes no file lock, so a single sidecar process owns its folder and
 *   the app talks to it over the Postgres protocol.
 * - A Neon URL (host under `neon.tech`) or `DATABASE_DRIVER=neon`: `@neondatabase/serverless`
 *   with its WebSocket `Pool`, which supports interactive transactions.
 * - Any other URL: `pg`.
 */
import { Pool as NeonPool, neonConfig } from '@neondatabase/serverless';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/** Address of the embedded database sidecar; fixed because `netlify dev` functions may not inherit the sidecar's environment. */
export const EMBEDDED_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/postgres';

export type DriverKind = 'pg' | 'neon';

export interface DatabaseSettings {
	url: string;
	driver: DriverKind;
	embedded: boolean;
	/** Maximum connections this process opens. A serverless instance needs few. */
	pool_max: number;
	/** Milliseconds to wait for a connection before failing. */
	connect_timeout_ms: number;
	/** Milliseconds a query may run before the client gives up on it. */
	query_timeout_ms: number;
	/** `host:port` of a WebSocket-to-TCP proxy for the Neon driver, used to reach a local server. */
	neon_ws_proxy?: string;
}

type Env = Record<string, string | undefined>;

/** Node's timers turn a delay above 2^31-1 ms into 1 ms, which would cancel every query. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function read_integer(env: Env, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value <= 0 || value > MAX_TIMER_MS) {
		throw new Error(`Invalid ${name} "${raw}": expected an integer from 1 to ${MAX_TIMER_MS}`);
	}
	return value;
}

function read_proxy(env: Env): string | undefined {
	const raw = env.NEON_WS_PROXY?.trim();
	if (!raw) return undefined;
	if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(raw)) {
		throw new Error(`Invalid NEON_WS_PROXY "${raw}": expected host:port without a scheme`);
	}
	return raw;
}

/** Reads the database settings from the environment and rejects invalid values with a message naming the variable. */
export function read_database_settings(env: Env): DatabaseSettings {
	const configured = env.DATABASE_URL?.trim();
	const url = configured || EMBEDDED_DATABASE_URL;

	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new Error('Invalid DATABASE_URL: expected postgres://user:password@host:port/database');
	}
	if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
		throw new Error(`Invalid DATABASE_URL protocol "${parsed.protocol}": expected postgres:`);
	}

	const forced = env.DATABASE_DRIVER?.trim();
	if (forced && forced !== 'pg' && forced !== 'neon') {
		throw new Error(`Invalid DATABASE_DRIVER "${forced}": expected "pg" or "neon"`);
	}
	const driver: DriverKind =
		(forced as DriverKind | undefined) ?? (parsed.hostname.endsWith('.neon.tech') ? 'neon' : 'pg');

	return {
		url,
		driver,
		embedded: !configured,
		pool_max: read_integer(env, 'DATABASE_POOL_MAX', 5),
		connect_timeout_ms: read_integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 2_000),
		query_timeout_ms: read_integer(env, 'DATABASE_QUERY_TIMEOUT_MS', 5_000),
		neon_ws_proxy: read_proxy(env)
	};
}

function create_pool(settings: DatabaseSettings): pg.Pool {
	const options = {
		connectionString: settings.url,
		max: settings.pool_max,
		connectionTimeoutMillis: settings.connect_timeout_ms,
		query_timeout: settings.query_timeout_ms,
		idleTimeoutMillis: 10_000,
		allowExitOnIdle: true
	};
	if (settings.driver === 'pg') return new pg.Pool(options);

	if (settings.neon_ws_proxy) {
		// A local proxy speaks plain WebSocket and TCP, and a SCRAM role cannot use pipelined connects.
		neonConfig.wsProxy = (host, port) => `${settings.neon_ws_proxy}/v1?address=${host}:${port}`;
		neonConfig.useSecureWebSocket = false;
		neonConfig.pipelineTLS = false;
		neonConfig.pipelineConnect = false;
	}
	// The Neon Pool implements the pg Pool interface over a WebSocket.
	return new NeonPool(options) as unknown as pg.Pool;
}

/** Creates a Kysely instance for the given settings. The caller owns it and calls `destroy()`. */
export function create_db(settings: DatabaseSettings): Kysely<Database> {
	const pool = create_pool(settings);
	// An idle client that loses its connection emits an error, which crashes the process unless handled.
	pool.on('error', (error) => console.error('[db] idle connection failed:', error.message));
	// A client that is checked out emits the same event when the server drops it (a restart, a
	// terminated backend). The query in flight still fails with the error, so this only keeps
	// the event from crashing the process.
	pool.on('connect', (client) => {
		client.on('error', (error) => console.error('[db] connection failed:', error.message));
	});
	return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
