/**
 * Starts Debian's PgBouncer in transaction mode in front of a Postgres server, with a generated
 * config in a temp folder. Used by the load and fault tests, and runnable by hand:
 *
 *   node scripts/pgbouncer.ts postgres://user:password@127.0.0.1:5432/db [--port 6432] [--pool 20]
 *
 * prints the pooled URL and runs until Ctrl-C. PgBouncer refuses to run as root, so under root it
 * runs as the `postgres` user.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

export const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';

export interface PgBouncerOptions {
	/** Upstream server: `postgres://user:password@host:port/database`. */
	upstream: string;
	/** Port to listen on (127.0.0.1 only). */
	port: number;
	/** Maximum server connections for the database (`max_db_connections`); default 20. */
	pool_size?: number;
	/** Maximum client connections (`max_client_conn`); default 2000. */
	max_clients?: number;
	/** Seconds a client waits for a server connection before an error (`query_wait_timeout`); default 5. */
	wait_timeout_s?: number;
}

export interface PgBouncer {
	/** The pooled URL: the upstream's user, password and database on PgBouncer's port. */
	url: string;
	port: number;
	stop(): Promise<void>;
}

function quote(value: string): string {
	return `"${value.replaceAll('"', '""')}"`;
}

function render_config(options: PgBouncerOptions, dir: string): string {
	const upstream = new URL(options.upstream);
	const database = decodeURIComponent(upstream.pathname.slice(1)) || 'postgres';
	const pool_size = options.pool_size ?? 20;
	return [
		'[databases]',
		`${database} = host=${upstream.hostname} port=${upstream.port || 5432} dbname=${database}`,
		'',
		'[pgbouncer]',
		'listen_addr = 127.0.0.1',
		`listen_port = ${options.port}`,
		// The default backlog of 128 drops connection attempts in a burst, and clients then wait
		// out TCP's retransmission delays.
		'listen_backlog = 4096',
		`unix_socket_dir = ${dir}`,
		'auth_type = scram-sha-256',
		`auth_file = ${join(dir, 'userlist.txt')}`,
		'pool_mode = transaction',
		`default_pool_size = ${pool_size}`,
		`max_db_connections = ${pool_size}`,
		`max_client_conn = ${options.max_clients ?? 2000}`,
		`query_wait_timeout = ${options.wait_timeout_s ?? 5}`,
		'server_connect_timeout = 3',
		// After a failed server login PgBouncer waits this long before trying again (default 15 s),
		// so a restarted Postgres is used within a second.
		'server_login_retry = 1',
		'ignore_startup_parameters = extra_float_digits',
		`logfile = ${join(dir, 'pgbouncer.log')}`,
		`pidfile = ${join(dir, 'pgbouncer.pid')}`,
		''
	].join('\n');
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

async function log_tail(dir: string): Promise<string> {
	const text = await readFile(join(dir, 'pgbouncer.log'), 'utf8').catch(() => '(no log)');
	return text.trimEnd().split('\n').slice(-10).join('\n');
}

/**
 * Reads the role's SCRAM verifier from the server, or null without the privilege to read it.
 * With the verifier in its user list, PgBouncer checks each client login against it and reuses it
 * to log in to the server. With a plain password, it derives the SCRAM keys anew for every client
 * login on its single thread (4,096 PBKDF2 rounds each), and a storm of 1,000 logins took 3.4 s.
 */
async function read_scram_verifier(upstream: string, user: string): Promise<string | null> {
	const client = new pg.Client({ connectionString: upstream, connectionTimeoutMillis: 3_000 });
	try {
		await client.connect();
		const { rows } = await client.query<{ rolpassword: string | null }>(
			'select rolpassword from pg_authid where rolname = $1',
			[user]
		);
		const verifier = rows[0]?.rolpassword;
		return verifier?.startsWith('SCRAM-SHA-256$') ? verifier : null;
	} catch {
		// Only superusers can read pg_authid; the plain password still works, only slower.
		return null;
	} finally {
		await client.end().catch(() => {});
	}
}

/** Starts PgBouncer and waits until it accepts connections. */
export async function start_pgbouncer(options: PgBouncerOptions): Promise<PgBouncer> {
	const upstream = new URL(options.upstream);
	const dir = await mkdtemp(join(tmpdir(), 'splitshop-pgbouncer-'));
	const user = decodeURIComponent(upstream.username);
	const password = decodeURIComponent(upstream.password);

	await writeFile(join(dir, 'pgbouncer.ini'), render_config(options, dir));
	const secret = (await read_scram_verifier(options.upstream, user)) ?? password;
	await writeFile(join(dir, 'userlist.txt'), `${quote(user)} ${quote(secret)}\n`, {
		mode: 0o600
	});

	const as_root = process.getuid?.() === 0;
	let command = PGBOUNCER_BIN;
	let args = [join(dir, 'pgbouncer.ini')];
	if (as_root) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		for (const file of ['', 'pgbouncer.ini', 'userlist.txt'])
			await chown(join(dir, file), uid, gid);
		// Each client uses a file descriptor, and the default soft limit of 1024 is below max_clients.
		command = 'sh';
		args = ['-c', `ulimit -n 8192 && exec runuser -u postgres -- ${PGBOUNCER_BIN} "$0"`, args[0]!];
	}

	const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

	const deadline = Date.now() + 10_000;
	while (!(await port_answers(options.port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			const reason = child.exitCode !== null ? `exited with code ${child.exitCode}` : 'timed out';
			const detail = `${stderr.trim()}\n${await log_tail(dir)}`;
			await rm(dir, { recursive: true, force: true });
			throw new Error(`PgBouncer on port ${options.port} ${reason}:\n${detail}`);
		}
		await new Promise((wait) => setTimeout(wait, 50));
	}

	const pooled = new URL(options.upstream);
	pooled.hostname = '127.0.0.1';
	pooled.port = String(options.port);

	return {
		url: pooled.href,
		port: options.port,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((done) => child.once('exit', done));
				// runuser does not forward signals, so signal PgBouncer itself. SIGINT is its safe shutdown.
				const pid = Number(await readFile(join(dir, 'pgbouncer.pid'), 'utf8').catch(() => ''));
				if (pid > 0) process.kill(pid, 'SIGINT');
				else child.kill('SIGINT');
				const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
				await exited;
				clearTimeout(force);
			}
			await rm(dir, { recursive: true, force: true });
		}
	};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const [upstream, ...rest] = process.argv.slice(2);
	const flag = (name: string, fallback: number) => {
		const at = rest.indexOf(name);
		return at === -1 ? fallback : Number(rest[at + 1]);
	};
	if (!upstream?.startsWith('postgres')) {
		console.error('Usage: node scripts/pgbouncer.ts <postgres-url> [--port 6432] [--pool 20]');
		process.exit(2);
	}
	const bouncer = await start_pgbouncer({
		upstream,
		port: flag('--port', 6432),
		pool_size: flag('--pool', 20)
	});
	console.log(`pgbouncer: transaction pooling on ${bouncer.url.replace(/:[^:@/]*@/, ':***@')}`);
	const stop = () => void bouncer.stop().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}
