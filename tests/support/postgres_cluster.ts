/**
 * Throwaway PostgreSQL 15 cluster for tests, built from Debian's binaries in a fresh temp folder.
 *
 * `initdb` and `postgres` refuse to run as root, so under root every server command runs as the
 * `postgres` user through `runuser`, and the folder is handed to that user. The server listens on
 * 127.0.0.1 only, with SCRAM password auth over TCP and trust on its private Unix socket.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run_file = promisify(execFile);

export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
const SERVER_USER = 'postgres';
const ROOT_PREFIX = 'splitshop-pg-';
/** File in each cluster folder with the PID of the process that started the cluster. */
const OWNER_FILE = 'owner.pid';
/** Attempts at binding a port, because another process may take the free port first. */
const PORT_ATTEMPTS = 3;

export interface PostgresClusterOptions {
	/** Server `max_connections`. Default 100. */
	max_connections?: number;
	/** Seconds to wait for the server to accept connections. Default 30. */
	start_timeout_s?: number;
}

export type ShutdownMode = 'fast' | 'immediate';

export interface PostgresCluster {
	/** `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres`, for the superuser over TCP. */
	url: string;
	port: number;
	/** Data folder, owned by the `postgres` user when the tests run as root. */
	data_dir: string;
	/** Stops the server if it runs and removes the whole temp folder. A second call does nothing. */
	stop(): Promise<void>;
	/**
	 * Stops the server but keeps its data, so `start_server()` brings back the same cluster on the
	 * same port. `immediate` skips the shutdown checkpoint, like a crash.
	 */
	stop_server(mode?: ShutdownMode): Promise<void>;
	/** Starts the server again after `stop_server()`. */
	start_server(): Promise<void>;
}

const live_roots = new Set<string>();
let exit_hook_installed = false;

/** Starts a new cluster on a free loopback port and waits until it accepts connections. */
export async function start_postgres_cluster(
	options: PostgresClusterOptions = {}
): Promise<PostgresCluster> {
	const max_connections = options.max_connections ?? 100;
	const start_timeout_s = options.start_timeout_s ?? 30;
	const as_root = process.getuid?.() === 0;

	await remove_orphaned_clusters();
	const root = await mkdtemp(join(tmpdir(), ROOT_PREFIX));
	live_roots.add(root);
	install_exit_hook();
	await writeFile(join(root, OWNER_FILE), String(process.pid));
	const data_dir = join(root, 'data');
	const socket_dir = join(root, 'socket');
	const log_file = join(root, 'server.log');
	const password = randomBytes(18).toString('hex');

	const run = (command: string, args: string[], timeout_ms = 60_000) => {
		const file = join(POSTGRES_BIN, command);
		return as_root
			? run_file('runuser', ['-u', SERVER_USER, '--', file, ...args], { timeout: timeout_ms })
			: run_file(file, args, { timeout: timeout_ms });
	};

	try {
		await mkdir(socket_dir, { mode: 0o700 });
		const password_file = join(root, 'password');
		await writeFile(password_file, password, { mode: 0o600 });
		if (as_root) await hand_to_server_user([root, socket_dir, password_file]);

		await run('initdb', [
			`--pgdata=${data_dir}`,
			`--username=${SERVER_USER}`,
			`--pwfile=${password_file}`,
			'--auth-local=trust',
			'--auth-host=scram-sha-256',
			'--encoding=UTF8',
			'--locale=C',
			'--no-sync',
			'--no-instructions'
		]);
		await rm(password_file);

		// Appended settings override initdb's defaults earlier in the file. `fsync = off` only
		// risks data on an OS crash. `synchronous_commit` stays on, because with it off an
		// immediate stop lost commits that had already returned to the client.
		const settings = [
			`listen_addresses = '127.0.0.1'`,
			`unix_socket_directories = '${socket_dir}'`,
			`max_connections = ${max_connections}`,
			'fsync = off',
			'full_page_writes = off',
			`password_encryption = 'scram-sha-256'`
		];
		const config_file = join(data_dir, 'postgresql.conf');
		const config = await readFile(config_file, 'utf8');
		await writeFile(config_file, `${config}\n${settings.join('\n')}\n`);
	} catch (error) {
		await remove_root(root);
		const reason = describe_exec_error(error);
		throw new Error(`Creating a PostgreSQL cluster in ${root} failed: ${reason}`, { cause: error });
	}

	let port = 0;
	let running = false;

	const start_server = async () => {
		if (running) return;
		try {
			await run(
				'pg_ctl',
				[
					'start',
					'-D',
					data_dir,
					'-l',
					log_file,
					'-w',
					'-t',
					String(start_timeout_s),
					'-o',
					`-p ${port}`
				],
				(start_timeout_s + 10) * 1000
			);
		} catch (error) {
			const log = await read_log_tail(log_file);
			throw new Error(
				`PostgreSQL failed to start on 127.0.0.1:${port} (timeout ${start_timeout_s} s): ` +
					`${describe_exec_error(error)}\nServer log tail:\n${log}`,
				{ cause: error }
			);
		}
		running = true;
	};

	const stop_server = async (mode: ShutdownMode = 'fast') => {
		if (!running) return;
		await run('pg_ctl', ['stop', '-D', data_dir, '-m', mode, '-w', '-t', '30']);
		running = false;
	};

	for (let attempt = 1; ; attempt++) {
		port = await find_free_port();
		try {
			await start_server();
			break;
		} catch (error) {
			const log = await read_log_tail(log_file);
			const port_taken = /could not bind|Address already in use/.test(log);
			if (port_taken && attempt < PORT_ATTEMPTS) continue;
			// After a timeout the server may still be starting, so stop it before deleting its folder.
			await run('pg_ctl', ['stop', '-D', data_dir, '-m', 'immediate']).catch(() => undefined);
			await remove_root(root);
			throw error;
		}
	}

	let stopped = false;
	return {
		url: `postgres://${SERVER_USER}:${password}@127.0.0.1:${port}/postgres`,
		port,
		data_dir,
		start_server,
		stop_server,
		async stop() {
			if (stopped) return;
			stopped = true;
			try {
				await stop_server('fast');
			} finally {
				await remove_root(root);
			}
		}
	};
}

/**
 * Returns a port that was free on 127.0.0.1 a moment ago. Another process may bind it first, so
 * the caller must handle that.
 */
export async function find_free_port(): Promise<number> {
	const server = createServer();
	await new Promise<void>((listening, failed) => {
		server.once('error', failed);
		server.listen(0, '127.0.0.1', listening);
	});
	const address = server.address();
	await new Promise((closed) => server.close(closed));
	if (address === null || typeof address === 'string') {
		throw new Error(`Expected a TCP address from the port probe, got ${String(address)}`);
	}
	return address.port;
}

async function hand_to_server_user(paths: string[]): Promise<void> {
	const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
		run_file('id', ['-u', SERVER_USER]),
		run_file('id', ['-g', SERVER_USER])
	]);
	for (const path of paths) await chown(path, Number(uid.trim()), Number(gid.trim()));
}

async function read_log_tail(log_file: string, lines = 20): Promise<string> {
	try {
		const text = await readFile(log_file, 'utf8');
		return text.trimEnd().split('\n').slice(-lines).join('\n') || '(empty)';
	} catch {
		return `(no log at ${log_file})`;
	}
}

function describe_exec_error(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const stderr = (error as { stderr?: unknown }).stderr;
	return typeof stderr === 'string' && stderr.trim() ? stderr.trim() : error.message;
}

async function remove_root(root: string): Promise<void> {
	await rm(root, { recursive: true, force: true });
	live_roots.delete(root);
}

/**
 * Stops and removes clusters whose starting process no longer runs. `pg_ctl` detaches the server,
 * so a test process killed with SIGKILL leaves it running with its folder.
 */
async function remove_orphaned_clusters(): Promise<void> {
	const entries = await readdir(tmpdir());
	for (const entry of entries.filter((name) => name.startsWith(ROOT_PREFIX))) {
		const root = join(tmpdir(), entry);
		const owner = Number(await readFile(join(root, OWNER_FILE), 'utf8').catch(() => 'NaN'));
		// Folders without an owner file are skipped: another tool may have made them.
		if (!Number.isInteger(owner) || is_process_alive(owner)) continue;
		stop_server_now(root);
		await rm(root, { recursive: true, force: true });
	}
}

function is_process_alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM means the process exists but belongs to another user.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Stops the server of a cluster folder at once, synchronously, ignoring a server that is not running. */
function stop_server_now(root: string): void {
	const pg_ctl = [
		join(POSTGRES_BIN, 'pg_ctl'),
		'stop',
		'-D',
		join(root, 'data'),
		'-m',
		'immediate'
	];
	try {
		if (process.getuid?.() === 0) {
			execFileSync('runuser', ['-u', SERVER_USER, '--', ...pg_ctl], { stdio: 'ignore' });
		} else {
			execFileSync(pg_ctl[0]!, pg_ctl.slice(1), { stdio: 'ignore' });
		}
	} catch {
		// pg_ctl exits non-zero when no server runs in the folder, which leaves only the folder.
	}
}

/**
 * Stops servers that are still running when the process exits without calling `stop()`, for
 * example after a crash in a test hook. The hook must be synchronous, so it uses `pg_ctl` directly.
 */
function install_exit_hook(): void {
	if (exit_hook_installed) return;
	exit_hook_installed = true;
	process.once('exit', () => {
		for (const root of live_roots) {
			stop_server_now(root);
			rmSync(root, { recursive: true, force: true });
		}
	});
}
