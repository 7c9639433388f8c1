/**
 * Runs a command with a database. With DATABASE_URL set, it runs the command as it is. Without
 * it, it starts the embedded PGlite database as a sidecar server on a fixed loopback port, applies
 * migrations, seeds an empty catalog, runs the command with DATABASE_URL pointing at the sidecar,
 * and stops the sidecar afterwards.
 *
 * PGlite takes no lock on its folder, and Netlify's local tooling runs functions in many threads
 * and processes, so exactly one sidecar process owns `.data/pglite`. A lock file next to the
 * folder records its PID: a second run reuses a live sidecar instead of opening the folder again.
 *
 * Before the command starts, it also writes the edge function's pipeline bundle (see
 * `scripts/bundle_edge.ts`), and under `netlify dev` it rewrites the bundle on every source change.
 *
 * Usage: node scripts/with-db.ts -- <command> [args...]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createConnection } from 'node:net';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
	create_db,
	EMBEDDED_DATABASE_URL,
	read_database_settings
} from '../src/lib/server/db/connect.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../src/lib/server/db/schema.ts';
import { bundle_edge, watch_edge } from './bundle_edge.ts';
import { migrate_to_latest } from '../src/lib/server/db/migrate.ts';
import { seed_accounts } from '../src/lib/server/db/seed/accounts.ts';
import { describe_seed, seed } from '../src/lib/server/db/seed/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = join(ROOT, '.data');
const PGLITE_DIR = join(DATA_DIR, 'pglite');
const LOCK_FILE = join(DATA_DIR, 'pglite.lock');
const SIDECAR_PORT = Number(new URL(EMBEDDED_DATABASE_URL).port);
/** A new folder runs initdb first (about 3 s on a 2-core machine), so slower machines get ample time. */
const SIDECAR_START_TIMEOUT_MS = 60_000;
const EDGE_BOOTSTRAP = join(
	ROOT,
	'node_modules/@netlify/edge-functions-dev/dist/deno/bootstrap.mjs'
);

function log(message: string): void {
	console.log(`[with-db] ${message}`);
}

function is_alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function port_answers(port: number): Promise<boolean> {
	return new Promise((done) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			done(true);
		});
		socket.once('error', () => done(false));
	});
}

async function wait_for_port(port: number, owner: ChildProcess | null, timeout_ms: number) {
	const deadline = Date.now() + timeout_ms;
	while (Date.now() < deadline) {
		if (await port_answers(port)) return;
		if (owner && owner.exitCode !== null) {
			throw new Error(`the PGlite sidecar exited with code ${owner.exitCode} before listening`);
		}
		await new Promise((wait) => setTimeout(wait, 100));
	}
	throw new Error(
		`timed out after ${timeout_ms} ms waiting for the PGlite sidecar on 127.0.0.1:${port}`
	);
}

/** Takes the lock atomically, or returns the PID of the live process that already holds it. */
function take_lock(): number | null {
	mkdirSync(DATA_DIR, { recursive: true });
	for (;;) {
		try {
			const fd = openSync(LOCK_FILE, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			return null;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const owner = Number(readFileSync(LOCK_FILE, 'utf8').trim());
		if (Number.isInteger(owner) && owner > 0 && is_alive(owner)) return owner;
		log(`removing stale lock of process ${owner || '(unreadable)'}`);
		rmSync(LOCK_FILE, { force: true });
	}
}

function write_lock(pid: number): void {
	const fd = openSync(LOCK_FILE, 'w');
	writeSync(fd, String(pid));
	closeSync(fd);
}

async function start_sidecar(): Promise<ChildProcess | null> {
	const owner = take_lock();
	if (owner !== null) {
		log(`reusing the PGlite sidecar of process ${owner} on port ${SIDECAR_PORT}`);
		await wait_for_port(SIDECAR_PORT, null, SIDECAR_START_TIMEOUT_MS);
		return null;
	}
	if (await port_answers(SIDECAR_PORT)) {
		rmSync(LOCK_FILE, { force: true });
		throw new Error(
			`port ${SIDECAR_PORT} is in use by a process that does not own ${LOCK_FILE}; stop it or set DATABASE_URL`
		);
	}

	mkdirSync(PGLITE_DIR, { recursive: true });
	log(`starting the PGlite sidecar for ${PGLITE_DIR} on 127.0.0.1:${SIDECAR_PORT}`);
	const started = Date.now();
	const server = spawn(
		join(ROOT, 'node_modules/.bin/pglite-server'),
		[`--db=${PGLITE_DIR}`, `--port=${SIDECAR_PORT}`, '--host=127.0.0.1', '--max-connections=100'],
		{ stdio: ['ignore', 'ignore', 'inherit'] }
	);
	write_lock(server.pid ?? process.pid);
	// The sidecar can also be stopped from outside, for example by a signal to the process group.
	server.once('exit', () => rmSync(LOCK_FILE, { force: true }));
	try {
		await wait_for_port(SIDECAR_PORT, server, SIDECAR_START_TIMEOUT_MS);
	} catch (error) {
		server.kill('SIGTERM');
		rmSync(LOCK_FILE, { force: true });
		throw error;
	}
	log(`sidecar ready in ${Date.now() - started} ms`);
	return server;
}

async function is_empty(db: Kysely<Database>, table: 'product' | 'app_user'): Promise<boolean> {
	const row = await db.selectFrom(table).select('id').limit(1).executeTakeFirst();
	return row === undefined;
}

async function prepare_database(url: string): Promise<void> {
	const db = create_db(read_database_settings({ DATABASE_URL: url }));
	try {
		const { results, error } = await migrate_to_latest(db);
		if (error) throw error;
		for (const result of results ?? []) log(`migration ${result.migrationName}: ${result.status}`);

		if (await is_empty(db, 'product')) {
			log('empty catalog, seeding');
			for (const line of describe_seed(await seed(db)).split('\n')) log(line);
		}
		if (await is_empty(db, 'app_user')) {
			const accounts = await seed_accounts(db);
			log(`demo accounts: ${accounts.inserted} new`);
		}
	} finally {
		await db.destroy();
	}
}

function stop_sidecar(server: ChildProcess | null): Promise<void> {
	if (!server || server.exitCode !== null) return Promise.resolve();
	return new Promise((done) => {
		const force = setTimeout(() => server.kill('SIGKILL'), 5_000);
		server.once('exit', () => {
			clearTimeout(force);
			done();
		});
		server.kill('SIGTERM');
	});
}

async function main(): Promise<number> {
	const separator = process.argv.indexOf('--');
	const command = separator === -1 ? [] : process.argv.slice(separator + 1);
	if (command.length === 0) {
		console.error('Usage: node scripts/with-db.ts -- <command> [args...]');
		return 2;
	}

	// The edge entry imports the bundle, so builds and servers need it written before they start.
	// It runs before the sidecar starts, so a failed bundle leaves nothing to stop.
	const is_netlify_dev = command[0] === 'netlify' && command[1] === 'dev';
	let stop_watching_edge: (() => Promise<void>) | null = null;
	if (is_netlify_dev) stop_watching_edge = await watch_edge();
	else await bundle_edge();

	const env: NodeJS.ProcessEnv = {
		...process.env,
		// netlify-cli fetches its Deno bootstrap from the network unless pointed at the copy it ships.
		NETLIFY_EDGE_BOOTSTRAP: process.env.NETLIFY_EDGE_BOOTSTRAP ?? pathToFileURL(EDGE_BOOTSTRAP).href
	};

	let sidecar: ChildProcess | null = null;
	if (!process.env.DATABASE_URL) {
		sidecar = await start_sidecar();
		try {
			await prepare_database(EMBEDDED_DATABASE_URL);
		} catch (error) {
			await stop_sidecar(sidecar);
			throw error;
		}
		env.DATABASE_URL = EMBEDDED_DATABASE_URL;
	}

	// The command gets its own process group, so that stopping it also stops what it started
	// (netlify dev leaves its framework server running when only its own process is stopped).
	const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env, detached: true });
	const forward = (signal: NodeJS.Signals) => {
		if (child.pid) {
			try {
				process.kill(-child.pid, signal);
			} catch {
				// The group is already gone.
			}
		}
	};
	process.on('SIGINT', () => forward('SIGINT'));
	process.on('SIGTERM', () => forward('SIGTERM'));

	const code = await new Promise<number>((done) => {
		child.once('error', (error) => {
			console.error(`[with-db] could not start "${command[0]}": ${error.message}`);
			done(127);
		});
		child.once('exit', (exit_code, signal) =>
			done(exit_code ?? 128 + (signal ? constants.signals[signal] : 0))
		);
	});
	forward('SIGTERM');
	await stop_watching_edge?.();
	await stop_sidecar(sidecar);
	return code;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(`[with-db] failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
);
