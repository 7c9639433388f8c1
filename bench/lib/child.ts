/**
 * The parent side of a benchmark part: starts a Node script as a child process, prints its
 * output line by line under a prefix, and stops it when it runs past its time limit.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { INPUT_VARIABLE, OUTPUT_VARIABLE } from './part.ts';

/** Time a part gets to exit after SIGTERM before its whole process group gets SIGKILL. */
const KILL_GRACE_MS = 5_000;
/** Lines of stderr kept for the failure reason. */
const STDERR_TAIL_LINES = 12;

export type PartStatus = 'ok' | 'failed' | 'timed out';

export interface ChildOutcome<Result> {
	status: PartStatus;
	result: Result | null;
	/** Reason the part failed or timed out, or null when it succeeded. */
	reason: string | null;
	duration_s: number;
	/** Every line the child printed to stdout, for parts that report there. */
	stdout: string[];
}

export interface ChildOptions {
	/** Prefix of the child's output lines, such as `pool storm`. */
	label: string;
	script: string;
	args?: string[];
	/** Input, serialised to JSON in `BENCH_INPUT`. Leave it out for a script that reads none. */
	input?: unknown;
	timeout_ms: number;
	env?: Record<string, string | undefined>;
	/** Whether the script writes a result file through `run_part`. Default true. */
	expects_result?: boolean;
}

const running = new Set<number>();

/** Kills the process groups of every child still running, for the parent's signal handler. */
export function kill_running_children(): void {
	for (const pid of running) kill_group(pid);
	running.clear();
}

function kill_group(pid: number): void {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// ESRCH: every process of the group has exited.
	}
}

export async function run_child<Result>(options: ChildOptions): Promise<ChildOutcome<Result>> {
	const started = performance.now();
	const folder = mkdtempSync(join(tmpdir(), 'splitshop-bench-'));
	const output_file = join(folder, 'result.json');
	const expects_result = options.expects_result ?? true;

	// A process group of its own lets a timeout stop the part and everything it started.
	const child = spawn(process.execPath, [options.script, ...(options.args ?? [])], {
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			...options.env,
			[INPUT_VARIABLE]: JSON.stringify(options.input ?? null),
			[OUTPUT_VARIABLE]: output_file
		}
	});
	if (child.pid !== undefined) running.add(child.pid);

	const stdout: string[] = [];
	const stderr: string[] = [];
	createInterface({ input: child.stdout }).on('line', (line) => {
		stdout.push(line);
		console.log(`  [${options.label}] ${line}`);
	});
	createInterface({ input: child.stderr }).on('line', (line) => {
		stderr.push(line);
		console.log(`  [${options.label}] ${line}`);
	});

	let timed_out = false;
	let kill_timer: NodeJS.Timeout | undefined;
	const timer = setTimeout(() => {
		timed_out = true;
		console.log(`  [${options.label}] timed out after ${options.timeout_ms / 1000} s; stopping it`);
		child.kill('SIGTERM');
		kill_timer = setTimeout(() => {
			if (child.pid !== undefined) kill_group(child.pid);
		}, KILL_GRACE_MS);
	}, options.timeout_ms);

	const exit_code = await new Promise<number | null>((done) => {
		child.once('error', (error) => {
			stderr.push(error.message);
			done(null);
		});
		child.once('close', (code) => done(code));
	});
	clearTimeout(timer);
	clearTimeout(kill_timer);
	if (child.pid !== undefined) {
		running.delete(child.pid);
		// Grandchildren such as pgbench may outlive a part that was killed.
		kill_group(child.pid);
	}

	const duration_s = (performance.now() - started) / 1000;
	let result: Result | null = null;
	let reason: string | null = null;
	if (!timed_out && exit_code === 0 && expects_result) {
		try {
			result = JSON.parse(readFileSync(output_file, 'utf8')) as Result;
		} catch (error) {
			reason = `the part exited without a readable result file: ${(error as Error).message}`;
		}
	} else if (!timed_out && exit_code !== 0) {
		const tail = stderr.slice(-STDERR_TAIL_LINES).join('\n').trim();
		reason = `exited with code ${exit_code}${tail ? `: ${tail}` : ''}`;
	}
	rmSync(folder, { recursive: true, force: true });

	if (timed_out) {
		return {
			status: 'timed out',
			result: null,
			reason: `ran past its ${options.timeout_ms / 1000} s limit`,
			duration_s,
			stdout
		};
	}
	return { status: reason ? 'failed' : 'ok', result, reason, duration_s, stdout };
}
