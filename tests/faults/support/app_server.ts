/**
 * Starts `serve_build.ts` as a child process: the built app on a loopback port, connected to a
 * given database. Fault suites send it real HTTP requests, so client aborts close real sockets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { load_session_keyring } from '../../../src/lib/shared/session/keys.ts';
import { SESSION_COOKIE } from '../../../src/lib/shared/session/policy.ts';
import type { Secrets } from '../../../src/lib/shared/session/secrets.ts';
import { sign_session_token } from '../../../src/lib/shared/session/sign.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BUILD_DIR = join(ROOT, '.svelte-kit/output');
const SERVE_SCRIPT = join(ROOT, 'tests/faults/support/serve_build.ts');
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export interface AppServerOptions {
	database_url: string;
	/** `DATABASE_POOL_MAX`; the app's default when left out. */
	pool_max?: number;
	/** `DATABASE_CONNECT_TIMEOUT_MS`; the app's default when left out. */
	connect_timeout_ms?: number;
}

export interface AppServer {
	/** `http://127.0.0.1:PORT` */
	origin: string;
	/** Route ids of the build's server manifest, such as `/api/checkout`. */
	routes: string[];
	/** Every line the server wrote to stdout or stderr after it started. */
	output: string[];
	/** `SESSION_SECRET` and `IDENTITY_SECRET` of the server, for an edge in front of it. */
	secrets: Secrets;
	/** Null while the server runs, else how it exited and the last lines it wrote. */
	exit_report(): string | null;
	/** Returns a `Cookie` header value with a session of the given user. */
	session_cookie(user_id: number): Promise<string>;
	/** Stops the server with SIGTERM, or SIGKILL after five seconds. */
	stop(): Promise<void>;
}

/** Checks whether `npm run build` has produced a server build. */
export function has_build(): boolean {
	return existsSync(join(BUILD_DIR, 'server', 'manifest.js'));
}

/** Starts the built app, or throws when there is no build or it fails to start. */
export async function start_app_server(options: AppServerOptions): Promise<AppServer> {
	if (!has_build()) throw new Error(`No build in ${BUILD_DIR}: run npm run build first`);

	const secrets: Secrets = {
		session: { current: randomBytes(32).toString('base64url') },
		identity: randomBytes(32).toString('base64url')
	};
	// Netlify variables would let the app call Netlify's APIs; the suites stay on loopback.
	const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('NETLIFY'));
	const env: Record<string, string | undefined> = {
		...Object.fromEntries(inherited),
		BUILD_DIR,
		NODE_ENV: 'production',
		DATABASE_URL: options.database_url,
		DATABASE_DRIVER: 'pg',
		DATABASE_POOL_MAX: options.pool_max?.toString(),
		DATABASE_CONNECT_TIMEOUT_MS: options.connect_timeout_ms?.toString(),
		SESSION_SECRET: secrets.session.current,
		IDENTITY_SECRET: secrets.identity,
		// Without these, a checkout does not call the outbox background function over the network.
		URL: undefined,
		OUTBOX_TRIGGER_SECRET: undefined
	};
	const child = spawn(process.execPath, [SERVE_SCRIPT], {
		cwd: ROOT,
		env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
		stdio: ['ignore', 'pipe', 'pipe']
	});

	const output: string[] = [];
	createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
	const lines = createInterface({ input: child.stdout! });
	const ready = await new Promise<{ port: number; routes: string[] }>((done, fail) => {
		const timer = setTimeout(() => fail(new Error('timed out')), START_TIMEOUT_MS);
		lines.on('line', (line) => {
			if (line.startsWith('{"port"')) {
				clearTimeout(timer);
				done(JSON.parse(line));
			} else {
				output.push(line);
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			fail(new Error(`exited with code ${code}`));
		});
	}).catch((error: Error) => {
		child.kill('SIGKILL');
		throw new Error(`The built app failed to start: ${error.message}\n${output.join('\n')}`, {
			cause: error
		});
	});

	let exit: string | null = null;
	child.once('exit', (code, signal) => {
		exit = `exited with ${signal ?? `code ${code}`}:\n${output.slice(-15).join('\n')}`;
	});

	const keyring = await load_session_keyring(secrets.session);
	return {
		origin: `http://127.0.0.1:${ready.port}`,
		routes: ready.routes,
		output,
		secrets,
		exit_report: () => exit,
		async session_cookie(user_id) {
			const { token } = await sign_session_token(
				{ user_id: String(user_id), role: 'customer' },
				keyring
			);
			return `${SESSION_COOKIE}=${token}`;
		},
		stop: () => stop_child(child)
	};
}

async function stop_child(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((done) => child.once('exit', done));
	child.kill('SIGTERM');
	const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
	await exited;
	clearTimeout(force);
}
