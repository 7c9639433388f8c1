/** The machine and software versions a benchmark ran on, for the report. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { POSTGRES_BIN } from '../../tests/support/postgres_cluster.ts';
import { PGBOUNCER_BIN } from '../../scripts/pgbouncer.ts';

export interface MachineInfo {
	cpu_model: string;
	cores: number;
	memory_gib: number;
	os: string;
	/** 1-minute load average when the run started. Other work on the machine skews results. */
	load_average_at_start: number;
}

export interface Versions {
	node: string;
	postgres: string;
	pgbouncer: string;
	pgbench: string;
	packages: Record<string, string>;
}

/** Packages whose version changes the figures. */
const PACKAGES = [
	'@sveltejs/kit',
	'@sveltejs/adapter-netlify',
	'svelte',
	'vite',
	'kysely',
	'pg',
	'jose',
	'netlify-cli'
];

export function read_machine_info(): MachineInfo {
	return {
		cpu_model: cpus()[0]?.model.trim() ?? 'unknown',
		cores: availableParallelism(),
		memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
		os: `${read_os_name()} (Linux ${release()})`,
		load_average_at_start: Math.round((loadavg()[0] ?? 0) * 100) / 100
	};
}

function read_os_name(): string {
	try {
		const text = readFileSync('/etc/os-release', 'utf8');
		return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'Linux';
	} catch {
		return process.platform;
	}
}

function first_line_of(command: string, args: string[]): string {
	try {
		return execFileSync(command, args, { encoding: 'utf8', timeout: 10_000 })
			.split('\n')[0]!
			.trim();
	} catch (error) {
		return `unavailable (${(error as Error).message.split('\n')[0]})`;
	}
}

export function read_versions(root: string): Versions {
	const packages: Record<string, string> = {};
	for (const name of PACKAGES) {
		try {
			const manifest = JSON.parse(
				readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')
			) as { version: string };
			packages[name] = manifest.version;
		} catch {
			packages[name] = 'not installed';
		}
	}
	return {
		node: process.version,
		postgres: first_line_of(join(POSTGRES_BIN, 'postgres'), ['--version']),
		pgbouncer: first_line_of(PGBOUNCER_BIN, ['--version']),
		pgbench: first_line_of(join(POSTGRES_BIN, 'pgbench'), ['--version']),
		packages
	};
}
